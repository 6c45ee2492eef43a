package io.github.updatelock.fleet;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.SupervisorVersion;
import org.jspecify.annotations.Nullable;

/**
 * Writes tags through the Supervisor ({@code PATCH /v2/device/tags}, Supervisor 17.8 and
 * later), which stores them across restarts, sends balenaCloud only what changed when the
 * device is online, and retries on its own. The first write asks the Supervisor's version;
 * an older Supervisor hands every write to the balenaCloud fallback, when there is one.
 */
final class SupervisorTagChannel implements FleetTagChannel {

	private final SupervisorClient client;

	private final @Nullable FleetTagChannel fallback;

	private final System.Logger logger;

	/** Writes through the Supervisor itself. */
	private final FleetTagChannel direct = new FleetTagChannel() {

		@Override
		public CompletableFuture<Void> write(Map<String, String> tags) {
			return SupervisorTagChannel.this.client.setDeviceTagsAsync(tags);
		}

		@Override
		public String describe() {
			return supervisor();
		}

	};

	/** The channel the version chose; {@code null} until the Supervisor told its version. */
	private volatile @Nullable FleetTagChannel chosen;

	SupervisorTagChannel(SupervisorClient client, @Nullable FleetTagChannel fallback, System.Logger logger) {
		this.client = Objects.requireNonNull(client, "client");
		this.fallback = fallback;
		this.logger = Objects.requireNonNull(logger, "logger");
	}

	@Override
	public CompletableFuture<Void> write(Map<String, String> tags) {
		FleetTagChannel channel = this.chosen;
		if (channel != null) {
			return channel.write(tags);
		}
		return this.client.versionAsync().thenCompose((version) -> choose(version).write(tags));
	}

	@Override
	public @Nullable Long deviceId() {
		FleetTagChannel channel = this.chosen;
		return (channel != null) ? channel.deviceId() : null;
	}

	@Override
	public String describe() {
		FleetTagChannel channel = this.chosen;
		return (channel != null && channel != this.direct) ? channel.describe() : supervisor();
	}

	private FleetTagChannel choose(SupervisorVersion version) {
		FleetTagChannel channel;
		if (version.isAtLeast(SupervisorVersion.DEVICE_TAGS)) {
			channel = this.direct;
			this.logger.log(Level.INFO, () -> "Supervisor " + version + " at " + this.client.settings().address()
					+ " stores the device tags and reports them to balenaCloud");
		}
		else if (this.fallback != null) {
			channel = this.fallback;
			this.logger.log(Level.INFO, () -> "Supervisor " + version + " at " + this.client.settings().address()
					+ " predates device tags (" + SupervisorVersion.DEVICE_TAGS + "); writing them to "
					+ this.fallback.describe() + " instead");
		}
		else {
			throw new IllegalStateException("Supervisor " + version + " at " + this.client.settings().address()
					+ " predates device tags (" + SupervisorVersion.DEVICE_TAGS + ") and the balenaCloud API is not "
					+ "available (label io.balena.features.balena-api); the update lock's device tags are not written");
		}
		this.chosen = channel;
		return channel;
	}

	private String supervisor() {
		return "the Supervisor at " + this.client.settings().address();
	}

}
