package io.github.updatelock.actuate.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * What {@code POST /actuator/updatelock/{area}/{action}} answers.
 *
 * @param area the area as requested: {@code window} or {@code supervisor}
 * @param action the action as requested: {@code open}, {@code close} or {@code force-update}
 * @param outcome what happened
 * @param message a sentence for the operator saying what happened and, when the request
 * failed, why
 * @param window the update windows right after a {@code window} action, else {@code null}
 * @param supervisorStatus the HTTP status the Supervisor answered to a
 * {@code supervisor} action, as it was sent; {@code null} when there was no answer
 * @param supervisorBody the body of that answer, as it was sent; {@code null} when there
 * was no answer
 */
public record OperatorActionDescriptor(String area, String action, OperatorActionOutcome outcome, String message,
		@Nullable UpdateWindowDescriptor window, @Nullable Integer supervisorStatus,
		@Nullable String supervisorBody) {
}
