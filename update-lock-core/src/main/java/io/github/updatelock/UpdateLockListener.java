package io.github.updatelock;

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

}
