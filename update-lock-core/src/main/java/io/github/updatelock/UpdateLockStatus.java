package io.github.updatelock;

/**
 * What the lock is doing right now. The names are public API: endpoints, logs and
 * dashboards show them, so they never change.
 */
public enum UpdateLockStatus {

	/** No hold is active and nothing waits: updates may proceed. */
	RELEASED,

	/**
	 * At least one hold is active and the lock file on disk is ours: app updates wait, and
	 * host OS updates too while its {@code flock(2)} is held; see
	 * {@link UpdateLockSnapshot#protection()}.
	 */
	HELD,

	/** A hold was asked for and the lock file belongs to someone else; we keep trying. */
	WAITING,

	/**
	 * Holds are active but the lock file is no longer ours (an override, a {@code force}
	 * update, or a manual deletion): nothing protects the running work any more.
	 */
	LOST,

	/**
	 * The lock cannot protect anything here (lock directory missing or not writable, or
	 * the process runs as the Supervisor's uid); see the snapshot's warnings.
	 */
	UNAVAILABLE

}
