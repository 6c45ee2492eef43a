package io.github.updatelock.internal;

/**
 * Why an exclusive create of the lock file did not succeed.
 */
public final class LockFileCreationException extends Exception {

	private static final long serialVersionUID = 1L;

	public enum Reason {

		/** Something already exists at the path. */
		EXISTS,

		/** The lock directory does not exist. */
		DIRECTORY_MISSING,

		/** We may not create files in the lock directory. */
		NOT_WRITABLE,

		/** The file was created, but someone else kept a {@code flock} on it; we removed it again. */
		FLOCK_CONTENDED,

		/**
		 * The file was created, but it belongs to the uid the Supervisor takes for its own
		 * (root squash, a user namespace); we removed it again.
		 */
		SUPERVISOR_OWNER

	}

	private final Reason reason;

	LockFileCreationException(Reason reason, String message) {
		super(message, null, false, false);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

}
