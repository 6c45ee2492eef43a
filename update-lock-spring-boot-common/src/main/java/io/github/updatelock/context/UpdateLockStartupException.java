package io.github.updatelock.context;

import java.nio.file.Path;

import io.github.updatelock.UpdateLockException;

/**
 * The application did not start because {@code update-lock.startup.required} is on and the
 * startup hold was not held once {@code update-lock.startup.wait} was over.
 */
public class UpdateLockStartupException extends UpdateLockException {

	private static final long serialVersionUID = 1L;

	private final String holdName;

	private final transient Path path;

	private final UpdateLockStartupHold.State state;

	/**
	 * Creates an exception.
	 * @param message what happened
	 * @param holdName the startup hold's name
	 * @param path the lock file
	 * @param state the startup hold's state when startup gave up
	 * @param cause why the hold could not be taken, or {@code null} when it was still waiting
	 */
	public UpdateLockStartupException(String message, String holdName, Path path, UpdateLockStartupHold.State state,
			Throwable cause) {
		super(message, cause);
		this.holdName = holdName;
		this.path = path;
		this.state = state;
	}

	/**
	 * The startup hold's name.
	 * @return the hold name
	 */
	public String getHoldName() {
		return this.holdName;
	}

	/**
	 * The lock file.
	 * @return the path
	 */
	public Path getPath() {
		return this.path;
	}

	/**
	 * The startup hold's state when startup gave up: {@code WAITING} (someone else held the
	 * lock for the whole wait) or {@code FAILED}.
	 * @return the state
	 */
	public UpdateLockStartupHold.State getState() {
		return this.state;
	}

}
