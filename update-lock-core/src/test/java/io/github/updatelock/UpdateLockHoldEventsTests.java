package io.github.updatelock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldAcquiredEvent;
import io.github.updatelock.event.UpdateLockWaitingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the per-hold events, which metrics are built on.
 */
class UpdateLockHoldEventsTests {

	@TempDir
	Path directory;

	private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

	private UpdateLockManager manager;

	@AfterEach
	void closeManager() {
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private UpdateLockManager manager(UpdateLockListener listener) {
		this.manager = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.initialBackoff(Duration.ofMillis(10))
			.listener(listener)
			.build();
		return this.manager;
	}

	@Test
	void holdThatDidNotWaitReportsZeroWaited() {
		UpdateLockManager manager = manager(this.events::add);
		manager.acquire("first").release();
		DeliveredEvents.await(manager);
		assertThat(holdAcquiredEvents()).singleElement()
			.satisfies((event) -> assertThat(event.waited()).isEqualTo(Duration.ZERO));
	}

	@Test
	void holdThatWaitedBehindAnotherFileReportsTheWait() throws IOException {
		Path lockPath = this.directory.resolve("updates.lock");
		Files.writeString(lockPath, "someone else's lock");
		UpdateLockManager manager = manager((event) -> {
			this.events.add(event);
			if (event instanceof UpdateLockWaitingEvent) {
				// The other holder lets go while we wait.
				delete(lockPath);
			}
		});
		manager.acquire("patient", Duration.ofSeconds(10)).release();
		DeliveredEvents.await(manager);
		assertThat(holdAcquiredEvents()).singleElement()
			.satisfies((event) -> assertThat(event.waited()).isPositive());
	}

	private List<UpdateLockHoldAcquiredEvent> holdAcquiredEvents() {
		return this.events.stream()
			.filter(UpdateLockHoldAcquiredEvent.class::isInstance)
			.map(UpdateLockHoldAcquiredEvent.class::cast)
			.toList();
	}

	private static void delete(Path path) {
		try {
			Files.delete(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
