package io.github.updatelock.supervisor;

/**
 * Whether the application gives way to a pending update. The names are public API
 * (configuration values), so they never change.
 */
public enum UpdateYieldMode {

	/** Never give way: pending updates are reported and wait until the holds end on their own. */
	NEVER,

	/**
	 * Release the yieldable holds (e.g. a startup hold or an update-window hold) when an
	 * update is pending and no other hold is active, so the update goes ahead at the first
	 * idle moment; optionally also after a maximum deferral (see {@link UpdateYieldPolicy}).
	 */
	WHEN_IDLE

}
