package io.github.updatelock;

/**
 * A reason why the lock protects less than an application would expect.
 */
public enum UpdateLockProblem {

	/** The lock directory does not exist: not on balenaOS, or the configured path is wrong. */
	LOCK_DIRECTORY_MISSING(true),

	/** The lock directory exists but we may not create the lock file in it. */
	LOCK_DIRECTORY_NOT_WRITABLE(true),

	/**
	 * The process runs as uid 65534, the Supervisor's lock owner, or the lock file it
	 * creates ends up owned by it (a user namespace that does not map its uid): the
	 * Supervisor would adopt our file as its own and delete it.
	 */
	RUNNING_AS_SUPERVISOR_UID(true),

	/** {@code flock(2)} is not available: the file blocks app updates but not host OS reboots. */
	FLOCK_UNAVAILABLE(false),

	/** {@code flock(2)} was switched off by configuration: host OS reboots do not wait. */
	FLOCK_DISABLED(false),

	/** A lock override variable is set in the environment: the Supervisor may ignore the lock. */
	OVERRIDE_VARIABLE_SET(false),

	/**
	 * The last attempt to create the lock file failed on a system call (such as {@code EIO}
	 * or {@code ENOSPC}); the hold that asked was refused with the failure. Cleared when a
	 * lock file is taken.
	 */
	CREATION_FAILED(false),

	/**
	 * A release could not remove our lock file (such as {@code EROFS}): the file stays, with
	 * its flock, and keeps updates out while its removal is retried.
	 */
	REMOVAL_FAILED(false);

	private final boolean preventsLocking;

	UpdateLockProblem(boolean preventsLocking) {
		this.preventsLocking = preventsLocking;
	}

	/**
	 * Whether this problem means no lock file can be taken at all.
	 * @return {@code true} for problems that make the status {@code UNAVAILABLE}
	 */
	public boolean preventsLocking() {
		return this.preventsLocking;
	}

}
