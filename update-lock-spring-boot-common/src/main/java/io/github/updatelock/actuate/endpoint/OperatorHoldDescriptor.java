package io.github.updatelock.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;

import io.github.updatelock.UpdateLockStatus;
import org.jspecify.annotations.Nullable;

/**
 * What {@code POST} and {@code DELETE /actuator/updatelock/{name}} answer.
 *
 * @param name the hold's name as requested
 * @param outcome what happened
 * @param message a sentence for the operator saying what happened and, when the request
 * failed, why
 * @param lockStatus the lock's status after the request
 * @param since when the hold was granted, or {@code null} when there is no such hold
 * @param expiresAt when the hold ends by itself because its {@code ttl} runs out, or
 * {@code null} when it has no ttl or there is no such hold
 * @param heldFor how long the released hold was held, or {@code null} unless it was released
 */
public record OperatorHoldDescriptor(String name, OperatorHoldOutcome outcome, String message,
		UpdateLockStatus lockStatus, @Nullable Instant since, @Nullable Instant expiresAt,
		@Nullable Duration heldFor) {
}
