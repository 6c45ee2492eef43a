package io.github.updatelock.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.github.updatelock.NoLibcBinding;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.MutableClock;
import io.github.updatelock.testsupport.OwnThread;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link UpdateLockHealthIndicator} on a real manager, real files and, where the
 * Supervisor plays a part, the real Supervisor peer.
 */
class UpdateLockHealthIndicatorTests {

	@TempDir
	Path directory;

	private UpdateLockManager manager;

	@AfterEach
	void closeManager() {
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private Path lockPath() {
		return this.directory.resolve("updates.lock");
	}

	private UpdateLockHealthIndicator indicator() {
		return indicator((builder) -> {
		});
	}

	private UpdateLockHealthIndicator indicator(Consumer<UpdateLockManager.Builder> customizer) {
		UpdateLockManager.Builder builder = UpdateLockManager.builder()
			.lockPath(lockPath())
			.environment(Map.of())
			.shutdownHook(false)
			.watchInterval(Duration.ofMillis(50))
			.initialBackoff(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(100));
		customizer.accept(builder);
		this.manager = builder.build();
		return new UpdateLockHealthIndicator(this.manager);
	}

	@Test
	void upWithDetailsWhileIdle() {
		Health health = indicator().health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsExactly(Map.entry("lockStatus", "RELEASED"),
				Map.entry("path", lockPath().toString()), Map.entry("flockHeld", false), Map.entry("protection", "NONE"),
				Map.entry("holds", List.of()));
	}

	@Test
	void downWhereTheWantedFlockCannotBeHeldOnADevice() {
		UpdateLockHealthIndicator indicator = indicator(NoLibcBinding::apply);
		Health idle = indicator.health();
		assertThat(idle.getStatus()).isEqualTo(Status.DOWN);
		assertThat(idle.getDetails().get("reason")).asString()
			.contains("IllegalCallerException", "host OS updates will not wait");
		try (UpdateLockHold hold = this.manager.acquire("nightly-sync")) {
			Health held = indicator.health();
			assertThat(held.getStatus()).isEqualTo(Status.DOWN);
			assertThat(held.getDetails()).containsEntry("lockStatus", "HELD")
				.containsEntry("flockHeld", false)
				.containsEntry("protection", "APP_UPDATES_ONLY");
		}
	}

	@Test
	void upOffADeviceWhereTheWantedFlockCannotBeHeld() {
		this.directory = this.directory.resolve("no-balena-here");
		Health health = indicator(NoLibcBinding::apply).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails().get("warnings")).asString().contains("host OS updates will not wait");
	}

	@Test
	void upAndAppUpdatesOnlyWhenFlockIsSwitchedOff() {
		UpdateLockHealthIndicator indicator = indicator((builder) -> builder.flock(false));
		try (UpdateLockHold hold = this.manager.acquire("nightly-sync")) {
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("protection", "APP_UPDATES_ONLY");
			assertThat(health.getDetails().get("warnings")).asString().contains("app updates only, on purpose");
		}
	}

	@Test
	void upWhileHoldingTheLock() {
		UpdateLockHealthIndicator indicator = indicator();
		try (UpdateLockHold hold = this.manager.acquire("nightly-sync")) {
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("lockStatus", "HELD")
				.containsEntry("flockHeld", true)
				.containsEntry("protection", "APP_AND_HOST_OS_UPDATES")
				.containsEntry("holds", List.of("nightly-sync"))
				.doesNotContainKey("reason");
		}
	}

	@Test
	void upWithTheLongHoldsNamedOnceAHoldOutlivesTheWarning() {
		UpdateLockHealthIndicator indicator = indicator((builder) -> builder.longHoldWarning(Duration.ofMillis(100)));
		try (UpdateLockHold endless = this.manager.acquire("endless-stream")) {
			assertThat(indicator.health().getDetails()).doesNotContainKey("longHolds");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(indicator.health().getDetails()).containsKey("longHolds"));
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("longHolds")).asInstanceOf(InstanceOfAssertFactories.LIST)
				.singleElement()
				.isEqualTo("endless-stream since " + endless.since());
		}
	}

	@Test
	void aWallClockStepOfDaysNamesNoHoldAsLong() {
		MutableClock wallClock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
		UpdateLockHealthIndicator indicator = indicator(
				(builder) -> builder.clock(wallClock).longHoldWarning(Duration.ofHours(1)));
		try (UpdateLockHold fresh = this.manager.acquire("fresh")) {
			wallClock.advance(Duration.ofDays(3));
			// Several rounds of the watch, which marks the holds it finds old.
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(2))
				.until(() -> !indicator.health().getDetails().containsKey("longHolds"));
			assertThat(indicator.health().getDetails()).containsEntry("holds", List.of(fresh.name()));
		}
	}

	@Test
	void upWhileWaitingForTheSupervisor() throws IOException {
		UpdateLockHealthIndicator indicator = indicator();
		LockPeers.takeSupervisorLock(lockPath());
		CompletableFuture<UpdateLockHold> waiting = CompletableFuture
			.supplyAsync(() -> this.manager.acquire("firmware-write", Duration.ofSeconds(30)),
					OwnThread.EXECUTOR);
		try {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(indicator.health().getDetails()).containsEntry("lockStatus", "WAITING"));
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("blocker", "SUPERVISOR");
		}
		finally {
			// The Supervisor is done and removes its lock.
			Files.deleteIfExists(lockPath());
		}
		waiting.join().release();
	}

	@Test
	void downWhileTheLockIsLostAndUpAgainOnceItsHoldsEnd() {
		UpdateLockHealthIndicator indicator = indicator();
		UpdateLockHold hold = this.manager.acquire("export");
		try {
			LockPeers.supervisorOverrides(lockPath());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN));
			Health health = indicator.health();
			assertThat(health.getDetails()).containsEntry("lockStatus", "LOST")
				.containsEntry("flockHeld", false)
				.containsEntry("holds", List.of("export"))
				.containsKey("lastLost");
			assertThat((String) health.getDetails().get("reason")).contains(lockPath().toString())
				.contains("was taken away")
				.contains("1 hold(s)");
		}
		finally {
			hold.release();
		}
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("lockStatus", "RELEASED").containsKey("lastLost");
	}

	@Test
	void upWithAWarningWhenTheDirectoryIsMissingAndNothingAsksForTheLock() {
		Path missing = this.directory.resolve("not-balena");
		Health health = indicator((builder) -> builder.lockPath(missing.resolve("updates.lock"))).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("lockStatus", "UNAVAILABLE").doesNotContainKey("reason");
		assertThat(warnings(health)).singleElement().asString().contains(missing.toString()).contains("does not exist");
	}

	@Test
	void downWhenTheDirectoryIsMissingWhileAHoldRuns() {
		Path missing = this.directory.resolve("not-balena");
		UpdateLockHealthIndicator indicator = indicator((builder) -> builder.lockPath(missing.resolve("updates.lock")));
		try (UpdateLockHold hold = this.manager.acquire("firmware-write")) {
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) health.getDetails().get("reason"))
				.startsWith("1 hold(s) asked for the update lock but run unprotected")
				.contains(missing.toString());
		}
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aDirectoryThatVanishesAfterStartupIsNoticed() throws IOException {
		Path lockDirectory = Files.createDirectory(this.directory.resolve("balena"));
		UpdateLockHealthIndicator indicator = indicator(
				(builder) -> builder.lockPath(lockDirectory.resolve("updates.lock")));
		assertThat(indicator.health().getDetails()).doesNotContainKey("warnings");
		Files.delete(lockDirectory);
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(warnings(health)).singleElement().asString().contains("does not exist");
	}

	@Test
	void downWhenTheDirectoryIsNotWritable() throws Exception {
		Path lockDirectory = Files.createDirectory(this.directory.resolve("balena"));
		UpdateLockHealthIndicator indicator = indicator(
				(builder) -> builder.lockPath(lockDirectory.resolve("updates.lock")));
		try (AutoCloseable unwritable = LockPeers.makeUnwritable(lockDirectory)) {
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) health.getDetails().get("reason")).contains("not writable")
				.contains(lockDirectory.toString());
		}
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void downWhileOurFileCannotBeRemovedAndUpOnceItIsGone() throws Exception {
		Path lockDirectory = Files.createDirectory(this.directory.resolve("balena"));
		UpdateLockHealthIndicator indicator = indicator(
				(builder) -> builder.lockPath(lockDirectory.resolve("updates.lock")));
		UpdateLockHold hold = this.manager.acquire("firmware-write");
		try (AutoCloseable immutable = LockPeers.makeUnwritable(lockDirectory)) {
			hold.release();
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).doesNotContainKey("lastLost");
			assertThat((String) health.getDetails().get("reason")).startsWith("Could not remove our")
				.contains(lockDirectory.resolve("updates.lock").toString())
				.contains("EPERM");
		}
		await().atMost(LockPeers.TIMEOUT)
			.untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
		assertThat(lockDirectory.resolve("updates.lock")).doesNotExist();
	}

	@Test
	void upWithAWarningWhenAnOverrideVariableIsSet() {
		Health health = indicator((builder) -> builder.environment(Map.of("BALENA_SUPERVISOR_OVERRIDE_LOCK", "true")))
			.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(warnings(health)).singleElement().asString().contains("BALENA_SUPERVISOR_OVERRIDE_LOCK=true");
	}

	@SuppressWarnings("unchecked")
	private static List<String> warnings(Health health) {
		return (List<String>) health.getDetails().get("warnings");
	}

}
