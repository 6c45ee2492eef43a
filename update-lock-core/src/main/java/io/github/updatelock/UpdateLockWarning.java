package io.github.updatelock;

import java.util.Objects;

/**
 * A problem found with this process's lock, with a message that names the path and says
 * what to do.
 *
 * @param problem what is wrong
 * @param message a sentence for the log, the endpoint and health details
 */
public record UpdateLockWarning(UpdateLockProblem problem, String message) {

	/**
	 * Creates a warning.
	 * @param problem what is wrong
	 * @param message a sentence for the log, the endpoint and health details
	 */
	public UpdateLockWarning {
		Objects.requireNonNull(problem, "problem");
		Objects.requireNonNull(message, "message");
	}

}
