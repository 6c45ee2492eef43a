package io.github.updatelock;

import io.github.updatelock.event.UpdateLockEvent;

/**
 * Receives {@link UpdateLockEvent events} from an {@link UpdateLockManager}.
 * <p>
 * Called on the manager's event thread, {@code update-lock-events}, one event at a time, in
 * the order of their {@link UpdateLockEvent#sequence() sequence numbers}, which is the order
 * the lock's state changed; never on the thread that took or released the hold, nor on the
 * thread that watches the lock. A listener may therefore block without delaying the lock:
 * it delays the events after it, and while it is 4,096 events behind, further events are
 * dropped, logged and counted ({@link UpdateLockManager#droppedEvents()}). An exception
 * thrown here is logged and ends nothing.
 */
@FunctionalInterface
public interface UpdateLockListener {

	/**
	 * Called for each event.
	 * @param event what happened
	 */
	void onEvent(UpdateLockEvent event);

	/**
	 * Whether this listener wants the per-hold events
	 * ({@link io.github.updatelock.event.UpdateLockHoldAcquiredEvent},
	 * {@link io.github.updatelock.event.UpdateLockHoldReleasedEvent}), sent for every hold
	 * including nested ones. A listener that only cares about the lock itself answers
	 * {@code false}, so that a hold taken while the lock is already held builds no event for it.
	 * @return {@code true} unless overridden
	 */
	default boolean wantsHoldEvents() {
		return true;
	}

}
