package io.github.updatelock;

import io.github.updatelock.event.UpdateLockEvent;

/**
 * Receives {@link UpdateLockEvent events} from an {@link UpdateLockManager}. Called on the
 * thread that caused the event (or the watch thread for a loss); an exception thrown here
 * is logged and never breaks an acquisition or a release.
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
