package io.github.updatelock;

/**
 * Which updates wait for this application right now. The names are public API: endpoints,
 * health, meters and fleet tags show them, so they never change.
 */
public enum UpdateLockProtection {

	/** Nothing waits: no lock file of ours (released, waiting, lost or unavailable). */
	NONE,

	/**
	 * The lock file is ours, so app updates wait, but no {@code flock(2)} is held on it: a
	 * host OS update's final reboot does not wait. Chosen with {@code flock(false)}, or the
	 * result of a missing libc binding.
	 */
	APP_UPDATES_ONLY,

	/** The lock file is ours and {@code flock}ed: app updates and host OS updates wait. */
	APP_AND_HOST_OS_UPDATES

}
