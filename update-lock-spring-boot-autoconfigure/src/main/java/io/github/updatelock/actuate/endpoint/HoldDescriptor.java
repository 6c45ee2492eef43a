package io.github.updatelock.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;

/**
 * One active hold.
 *
 * @param id the hold's number, unique within the application
 * @param name the name its holder gave
 * @param since when it was granted
 * @param duration how long it has been held when the endpoint was read
 * @param operator whether it was taken through this endpoint (and so may be released
 * through it) rather than by application code
 */
public record HoldDescriptor(long id, String name, Instant since, Duration duration, boolean operator) {
}
