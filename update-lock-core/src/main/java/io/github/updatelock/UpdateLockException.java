package io.github.updatelock;

/**
 * Base class of the exceptions this library throws when a hold cannot be granted.
 */
public class UpdateLockException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened
	 */
	public UpdateLockException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with its cause.
	 * @param message what happened
	 * @param cause what made it happen
	 */
	public UpdateLockException(String message, Throwable cause) {
		super(message, cause);
	}

}
