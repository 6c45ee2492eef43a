package io.github.updatelock;

/**
 * What an acquisition does when the lock cannot protect anything here (status
 * {@link UpdateLockStatus#UNAVAILABLE}).
 */
public enum UnavailableLockPolicy {

	/**
	 * Count the hold and let the work run unprotected, with one WARN naming the path and
	 * the status {@code UNAVAILABLE}. Suits apps that also run off-device (laptops, CI).
	 */
	RUN_UNPROTECTED,

	/** Throw an {@link UpdateLockUnavailableException}: the work does not run. */
	FAIL

}
