package io.github.updatelock.fleet;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link FleetTagPublisher} writes its tags: through the Supervisor, or straight to
 * balenaCloud on older Supervisors.
 */
interface FleetTagChannel {

	/**
	 * Writes these tags; tags left out stay as they are.
	 * @param tags key to value
	 * @return a future that completes once they are written; cancelling it gives up on them
	 */
	CompletableFuture<Void> write(Map<String, String> tags);

	/**
	 * The device's id in balenaCloud, where this channel needs one.
	 * @return the id, or {@code null} when not known or not needed
	 */
	default @Nullable Long deviceId() {
		return null;
	}

	/**
	 * Where the tags go, for logs.
	 * @return such as {@code the Supervisor at http://127.0.0.1:48484}
	 */
	String describe();

}
