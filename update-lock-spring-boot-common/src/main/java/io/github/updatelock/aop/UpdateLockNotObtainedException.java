package io.github.updatelock.aop;

import io.github.updatelock.UpdateLockException;

/**
 * A {@link HoldUpdateLock @HoldUpdateLock} method was not called because its hold could
 * not be had. The cause says why: an {@code UpdateLockTimeoutException} (someone else held
 * the lock for the whole wait, and who) or an {@code UpdateLockUnavailableException} (the
 * lock cannot protect anything here and the manager's policy is {@code FAIL}).
 */
public class UpdateLockNotObtainedException extends UpdateLockException {

	private static final long serialVersionUID = 1L;

	private final String holdName;

	private final String method;

	/**
	 * Creates an exception for one call.
	 * @param holdName the name of the hold that was asked for
	 * @param method the advised method, as {@code fully.qualified.Class#method}
	 * @param cause why the hold could not be had
	 */
	public UpdateLockNotObtainedException(String holdName, String method, UpdateLockException cause) {
		super("Update lock not obtained for hold '" + holdName + "' of " + method + ": " + cause.getMessage(), cause);
		this.holdName = holdName;
		this.method = method;
	}

	/**
	 * The name of the hold that was asked for.
	 * @return the hold name
	 */
	public String getHoldName() {
		return this.holdName;
	}

	/**
	 * The advised method.
	 * @return the method as {@code fully.qualified.Class#method}
	 */
	public String getMethod() {
		return this.method;
	}

}
