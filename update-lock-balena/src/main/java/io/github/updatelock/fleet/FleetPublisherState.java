package io.github.updatelock.fleet;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link FleetTagPublisher} has done so far: an immutable value for endpoints, health
 * details and meters.
 *
 * @param enabled whether tags are published at all
 * @param deviceId the device's id in balenaCloud, or {@code null} until it is resolved
 * @param lastPublishedAt when a tag was last written or removed, or {@code null} before the first time
 * @param lastErrorKind why the last attempt failed, or {@code null} when it succeeded (or none was made)
 * @param lastError the message of that failure (never the key), or {@code null}
 * @param lastErrorAt when it failed, or {@code null}
 * @param consecutiveFailures how many attempts failed since the last success
 * @param nextAttemptAt when the next attempt is due while backing off after a failure, or {@code null}
 * @param tags the tags as last written to balenaCloud, key to value
 * @param writes how many tags were written or removed since the publisher started
 * @param failures how many attempts failed since the publisher started
 */
public record FleetPublisherState(boolean enabled, @Nullable Long deviceId, @Nullable Instant lastPublishedAt,
		@Nullable BalenaErrorKind lastErrorKind, @Nullable String lastError, @Nullable Instant lastErrorAt,
		int consecutiveFailures, @Nullable Instant nextAttemptAt, Map<String, String> tags, long writes,
		long failures) {

	/** The state of a publisher that is switched off, or not started. */
	public static final FleetPublisherState DISABLED = new FleetPublisherState(false, null, null, null, null, null, 0,
			null, Map.of(), 0, 0);

	/**
	 * Creates a state, with its own copy of the tags.
	 * @param enabled whether tags are published at all
	 * @param deviceId the device's id in balenaCloud, or {@code null} until it is resolved
	 * @param lastPublishedAt when a tag was last written or removed, or {@code null} before the first time
	 * @param lastErrorKind why the last attempt failed, or {@code null} when it succeeded (or none was made)
	 * @param lastError the message of that failure (never the key), or {@code null}
	 * @param lastErrorAt when it failed, or {@code null}
	 * @param consecutiveFailures how many attempts failed since the last success
	 * @param nextAttemptAt when the next attempt is due while backing off after a failure, or {@code null}
	 * @param tags the tags as last written to balenaCloud, key to value (kept sorted by key)
	 * @param writes how many tags were written or removed since the publisher started
	 * @param failures how many attempts failed since the publisher started
	 */
	public FleetPublisherState {
		tags = Collections.unmodifiableMap(new TreeMap<>(tags));
	}

}
