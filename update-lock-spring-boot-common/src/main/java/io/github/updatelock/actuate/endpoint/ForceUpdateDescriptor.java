package io.github.updatelock.actuate.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * What {@code POST /actuator/forceupdate} answers.
 *
 * @param outcome what happened
 * @param message a sentence for the operator saying what happened and, when the request
 * failed, why
 * @param supervisorStatus the HTTP status the Supervisor answered, as it was sent;
 * {@code null} when there was no answer
 * @param supervisorBody the body of that answer, as it was sent; {@code null} when there
 * was no answer
 */
public record ForceUpdateDescriptor(ForceUpdateOutcome outcome, String message, @Nullable Integer supervisorStatus,
		@Nullable String supervisorBody) {
}
