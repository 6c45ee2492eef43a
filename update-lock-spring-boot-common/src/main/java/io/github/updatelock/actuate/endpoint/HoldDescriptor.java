package io.github.updatelock.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One active hold.
 *
 * @param id the hold's number, unique within the application
 * @param name the name its holder gave
 * @param since when it was granted
 * @param duration how long it has been held when the endpoint was read, on the monotonic
 * clock: unlike the distance from {@code since}, a step of the system clock does not change it
 * @param operator whether it was taken through this endpoint (and so may be released
 * through it) rather than by application code
 * @param expiresAt when an operator hold ends by itself because its {@code ttl} runs out,
 * or {@code null} when it has none
 * @param longRunning whether it has lasted longer than {@code update-lock.long-hold-warning}
 */
public record HoldDescriptor(long id, String name, Instant since, Duration duration, boolean operator,
		@Nullable Instant expiresAt, boolean longRunning) {
}
