package io.github.updatelock.fleet;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Writes tags straight to balenaCloud, for Supervisors older than 17.8 and devices without
 * the Supervisor API: resolves the device's id once, then creates or updates one tag after
 * the other. Needs the device key that the label {@code io.balena.features.balena-api} puts
 * into the container.
 */
final class BalenaCloudTagChannel implements FleetTagChannel {

	private final BalenaApiClient client;

	/** Written by one request's completion at a time: the publisher has one write in flight. */
	private volatile @Nullable Long deviceId;

	/** The tags this process wrote, which are updated directly rather than created first. */
	private final Set<String> existing = ConcurrentHashMap.newKeySet();

	BalenaCloudTagChannel(BalenaApiClient client) {
		this.client = Objects.requireNonNull(client, "client");
	}

	@Override
	public CompletableFuture<Void> write(Map<String, String> tags) {
		CompletableFuture<Long> id = (this.deviceId != null) ? CompletableFuture.completedFuture(this.deviceId)
				: this.client.resolveDeviceId().thenApply((resolved) -> this.deviceId = resolved);
		CompletableFuture<Void> written = id.thenApply((resolved) -> null);
		for (Map.Entry<String, String> tag : tags.entrySet()) {
			written = written.thenCompose((ignored) -> this.client
				.setTag(this.deviceId, tag.getKey(), tag.getValue(), this.existing.contains(tag.getKey()))
				.thenRun(() -> this.existing.add(tag.getKey())));
		}
		return written;
	}

	@Override
	public @Nullable Long deviceId() {
		return this.deviceId;
	}

	@Override
	public String describe() {
		return "the balenaCloud API at " + this.client.settings().apiUrl() + " (device "
				+ this.client.settings().deviceUuid() + ")";
	}

}
