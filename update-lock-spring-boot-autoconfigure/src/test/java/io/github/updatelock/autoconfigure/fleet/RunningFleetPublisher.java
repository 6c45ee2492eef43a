package io.github.updatelock.autoconfigure.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.fleet.BalenaApiSettings;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.testsupport.FakeBalenaApi;

/**
 * A manager on a lock file in a temporary directory and a fleet tag publisher writing to a
 * local server that answers like the balenaCloud API, at most every 50 ms, with holds that count
 * as long after 100 ms, so that a hold changes the tags: what the
 * tests of the endpoint's fleet view, the health detail and the meters start from.
 */
public final class RunningFleetPublisher implements AutoCloseable {

	private final FakeBalenaApi api = FakeBalenaApi.start();

	private final UpdateLockManager manager;

	private final FleetTagPublisher publisher;

	/**
	 * Starts the server, the manager and the publisher.
	 * @param directory where the lock file goes
	 */
	public RunningFleetPublisher(Path directory) {
		this.manager = UpdateLockManager.builder()
			.lockPath(directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			// A hold becomes a long hold, which the tags show, a moment after it starts.
			.longHoldWarning(Duration.ofMillis(100))
			.build();
		this.publisher = FleetTagPublisher
			.builder(this.manager, BalenaApiSettings.of(this.api.uri(), FakeBalenaApi.KEY, FakeBalenaApi.DEVICE_UUID))
			.minInterval(Duration.ofMillis(50))
			.build();
	}

	/** The server: the tags as balenaCloud would show them, and scripted failures. */
	public FakeBalenaApi api() {
		return this.api;
	}

	/** The manager whose lock the tags show. */
	public UpdateLockManager manager() {
		return this.manager;
	}

	/** The publisher, already started. */
	public FleetTagPublisher publisher() {
		return this.publisher;
	}

	/** Closes the publisher first, as an application shuts down, then the manager and the server. */
	@Override
	public void close() {
		this.publisher.close();
		this.manager.close();
		this.api.close();
	}

}
