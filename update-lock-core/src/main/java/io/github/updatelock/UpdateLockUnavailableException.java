package io.github.updatelock;

import java.util.List;

/**
 * The lock cannot protect anything here and the manager's policy is
 * {@link UnavailableLockPolicy#FAIL}.
 */
public class UpdateLockUnavailableException extends UpdateLockException {

	private static final long serialVersionUID = 1L;

	private final transient List<UpdateLockWarning> warnings;

	/**
	 * Creates an exception.
	 * @param message what happened
	 * @param warnings the problems that prevent locking
	 */
	public UpdateLockUnavailableException(String message, List<UpdateLockWarning> warnings) {
		super(message);
		this.warnings = List.copyOf(warnings);
	}

	/**
	 * Why the lock is unavailable.
	 * @return the problems that prevent locking
	 */
	public List<UpdateLockWarning> getWarnings() {
		return this.warnings;
	}

}
