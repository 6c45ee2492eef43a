package io.github.updatelock;

/**
 * Who holds the lock file when we cannot take it.
 */
public enum UpdateLockBlocker {

	/**
	 * The Supervisor (a file owned by uid 65534): an update is being applied and this
	 * container may be about to be stopped. Its file is never deleted.
	 */
	SUPERVISOR,

	/** Another live process that speaks this protocol, e.g. the previous container of this app. */
	LIVE_INSTANCE,

	/**
	 * An entry we cannot attribute: no marker of ours, a directory, a symbolic link, or a
	 * lock taken by another library. Treated as held; never deleted.
	 */
	FOREIGN

}
