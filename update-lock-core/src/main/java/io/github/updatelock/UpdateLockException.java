package io.github.updatelock;

/**
 * Base class of the exceptions this library throws when a hold cannot be granted.
 */
public class UpdateLockException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public UpdateLockException(String message) {
		super(message);
	}

	public UpdateLockException(String message, Throwable cause) {
		super(message, cause);
	}

}
