package io.github.updatelock.supervisor;

/**
 * Receives an {@link UpdatePendingEvent} once per pending update. Called on the monitor's
 * poll thread; an exception thrown here is logged and never stops the polling.
 */
@FunctionalInterface
public interface UpdatePendingListener {

	/**
	 * Called once for each update found waiting.
	 * @param event the pending update
	 */
	void onUpdatePending(UpdatePendingEvent event);

	/**
	 * Called after each poll that got the documented answers, announced or not: a view that
	 * no longer shows an update pending is how a listener learns that it stopped waiting.
	 * Does nothing unless overridden.
	 * @param view what the monitor knows now
	 */
	default void onSupervisorRead(SupervisorView view) {
	}

}
