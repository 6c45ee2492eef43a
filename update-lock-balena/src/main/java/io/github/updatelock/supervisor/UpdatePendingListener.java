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

}
