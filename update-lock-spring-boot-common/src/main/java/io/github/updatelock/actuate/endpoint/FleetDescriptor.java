package io.github.updatelock.actuate.endpoint;

import java.time.Instant;
import java.util.Map;

import io.github.updatelock.fleet.BalenaErrorKind;
import io.github.updatelock.fleet.FleetPublisherState;
import org.jspecify.annotations.Nullable;

/**
 * What the application has shown of the lock in balenaCloud as device tags. Nothing is
 * asked of the API when the endpoint is read, and the device key is never part of it.
 *
 * @param enabled whether tags are published
 * @param deviceId the device's id in balenaCloud, or {@code null} until it is resolved
 * @param lastPublishedAt when a tag was last written or removed, or {@code null} before the first time
 * @param lastErrorKind why the last attempt failed ({@code UNAUTHORIZED}, {@code RATE_LIMITED},
 * {@code UNREACHABLE}, ...), or {@code null} when it succeeded
 * @param lastError that failure's message, or {@code null}
 * @param lastErrorAt when it failed, or {@code null}
 * @param consecutiveFailures how many attempts failed since the last success
 * @param nextAttemptAt when the next attempt is due while backing off, or {@code null}
 * @param writes how many tags were written or removed since the start
 * @param failures how many attempts failed since the start
 * @param tags the tags as last written to balenaCloud, key to value
 */
public record FleetDescriptor(boolean enabled, @Nullable Long deviceId,
		@Nullable Instant lastPublishedAt, @Nullable BalenaErrorKind lastErrorKind, @Nullable String lastError,
		@Nullable Instant lastErrorAt, int consecutiveFailures, @Nullable Instant nextAttemptAt, long writes,
		long failures, Map<String, String> tags) {

	static FleetDescriptor of(FleetPublisherState state) {
		return new FleetDescriptor(state.enabled(), state.deviceId(), state.lastPublishedAt(),
				state.lastErrorKind(), state.lastError(), state.lastErrorAt(), state.consecutiveFailures(),
				state.nextAttemptAt(), state.writes(), state.failures(), state.tags());
	}

}
