package io.github.updatelock.actuate.endpoint;

/**
 * What {@code POST /actuator/updatewindow/{action}} answers.
 *
 * @param action the action as requested: {@code open} or {@code close}
 * @param outcome what happened
 * @param message a sentence for the operator saying what happened and, when the request
 * failed, why
 * @param window the update windows right after the request
 */
public record UpdateWindowActionDescriptor(String action, UpdateWindowActionOutcome outcome, String message,
		UpdateWindowDescriptor window) {
}
