package io.github.updatelock.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.updatelock.NoLibcBinding;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockTimeoutException;
import io.github.updatelock.event.UpdateLockWaitingEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link UpdateLockMetrics} on a real manager and real files.
 */
class UpdateLockMetricsTests {

	@TempDir
	Path directory;

	/**
	 * Enough holds for per-call names to show, and few enough that their events (two each,
	 * inside an outer hold) fit the manager's event queue of 4096 even when the event thread
	 * does not run during the loop: beyond that the manager drops events rather than block
	 * the lock, and the timers would count fewer than were held.
	 */
	private static final int CALLS = 1_000;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

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

	private UpdateLockMetrics bind() {
		return bind((builder) -> {
		});
	}

	private UpdateLockMetrics bind(Consumer<UpdateLockManager.Builder> customizer) {
		UpdateLockManager.Builder builder = UpdateLockManager.builder()
			.lockPath(lockPath())
			.environment(Map.of())
			.shutdownHook(false)
			.watchInterval(Duration.ofMillis(50))
			.initialBackoff(Duration.ofMillis(10));
		customizer.accept(builder);
		this.manager = builder.build();
		UpdateLockMetrics metrics = new UpdateLockMetrics(this.manager);
		metrics.bindTo(this.registry);
		return metrics;
	}

	@Test
	void everyMeterExistsAtZeroBeforeAnythingHappens() {
		bind();
		assertThat(gauge(UpdateLockMetrics.HELD)).isZero();
		assertThat(gauge(UpdateLockMetrics.ACTIVE_HOLDS)).isZero();
		assertThat(acquisitions(this.registry, "acquired")).isZero();
		assertThat(acquisitions(this.registry, "waited")).isZero();
		assertThat(acquisitions(this.registry, "rejected")).isZero();
		assertThat(acquisitions(this.registry, "skipped")).isZero();
		assertThat(this.registry.get(UpdateLockMetrics.STALE_RECLAIMS).counter().count()).isZero();
		assertThat(this.registry.get(UpdateLockMetrics.LOST).counter().count()).isZero();
		assertThat(this.registry.get(UpdateLockMetrics.EVENTS_DROPPED).functionCounter().count()).isZero();
	}

	@Test
	void gaugesFollowTheHolds() {
		bind();
		try (UpdateLockHold outer = this.manager.acquire("outer")) {
			try (UpdateLockHold inner = this.manager.acquire("inner")) {
				assertThat(gauge(UpdateLockMetrics.HELD)).isEqualTo(1);
				assertThat(gauge(UpdateLockMetrics.ACTIVE_HOLDS)).isEqualTo(2);
			}
			assertThat(gauge(UpdateLockMetrics.ACTIVE_HOLDS)).isEqualTo(1);
		}
		assertThat(gauge(UpdateLockMetrics.HELD)).isZero();
		assertThat(gauge(UpdateLockMetrics.ACTIVE_HOLDS)).isZero();
	}

	@Test
	void aHoldWithoutTheWantedFlockCountsAsNeitherHeldNorFlocked() {
		bind(NoLibcBinding::apply);
		try (UpdateLockHold hold = this.manager.acquire("flash")) {
			assertThat(this.manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(gauge(UpdateLockMetrics.HELD)).isZero();
			assertThat(gauge(UpdateLockMetrics.FLOCK_HELD)).isZero();
		}
	}

	@Test
	void flockSwitchedOffCountsAsHeldButNotFlocked() {
		bind((builder) -> builder.flock(false));
		try (UpdateLockHold hold = this.manager.acquire("flash")) {
			assertThat(gauge(UpdateLockMetrics.HELD)).isEqualTo(1);
			assertThat(gauge(UpdateLockMetrics.FLOCK_HELD)).isZero();
		}
	}

	@Test
	void theFlockGaugeFollowsTheFlock() {
		bind();
		assertThat(gauge(UpdateLockMetrics.FLOCK_HELD)).isZero();
		try (UpdateLockHold hold = this.manager.acquire("flash")) {
			assertThat(gauge(UpdateLockMetrics.FLOCK_HELD)).isEqualTo(1);
		}
		assertThat(gauge(UpdateLockMetrics.FLOCK_HELD)).isZero();
	}

	@Test
	void holdsOlderThanTheLongHoldWarningAreCounted() {
		bind((builder) -> builder.longHoldWarning(Duration.ofMillis(100)));
		assertThat(gauge(UpdateLockMetrics.LONG_HOLDS)).isZero();
		try (UpdateLockHold endless = this.manager.acquire("endless")) {
			await().atMost(Duration.ofSeconds(5)).until(() -> gauge(UpdateLockMetrics.LONG_HOLDS) == 1);
			try (UpdateLockHold young = this.manager.acquire("young")) {
				assertThat(gauge(UpdateLockMetrics.LONG_HOLDS)).isEqualTo(1);
			}
		}
		assertThat(gauge(UpdateLockMetrics.LONG_HOLDS)).isZero();
	}

	@Test
	void lockThatProtectsNothingIsNotCountedAsHeld() {
		bind((builder) -> builder.lockPath(this.directory.resolve("not-balena").resolve("updates.lock")));
		try (UpdateLockHold hold = this.manager.acquire("unprotected")) {
			assertThat(gauge(UpdateLockMetrics.HELD)).isZero();
			assertThat(gauge(UpdateLockMetrics.ACTIVE_HOLDS)).isEqualTo(1);
		}
	}

	@Test
	void eventsDroppedBehindABlockedListenerAreCounted() throws InterruptedException {
		CountDownLatch listenerBlocked = new CountDownLatch(1);
		CountDownLatch unblock = new CountDownLatch(1);
		bind((builder) -> builder.listener((event) -> {
			listenerBlocked.countDown();
			try {
				unblock.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
		try (UpdateLockHold outer = this.manager.acquire("outer")) {
			assertThat(listenerBlocked.await(5, TimeUnit.SECONDS)).isTrue();
			// Each nested hold queues two events: more than the queue takes while the listener blocks.
			for (int nested = 0; nested < 2100; nested++) {
				this.manager.acquire("nested").release();
			}
		}
		finally {
			unblock.countDown();
		}
		assertThat(this.manager.droppedEvents()).isPositive();
		assertThat(this.registry.get(UpdateLockMetrics.EVENTS_DROPPED).functionCounter().count())
			.isEqualTo((double) this.manager.droppedEvents());
	}

	@Test
	void holdsGrantedAtOnceCountAsAcquired() {
		bind();
		try (UpdateLockHold outer = this.manager.acquire("outer")) {
			this.manager.acquire("inner").release();
		}
		await().untilAsserted(() -> assertThat(acquisitions(this.registry, "acquired")).isEqualTo(2));
		assertThat(acquisitions(this.registry, "waited")).isZero();
	}

	@Test
	void holdGrantedAfterWaitingForSomeoneElseCountsAsWaited() throws IOException {
		Files.writeString(lockPath(), "another program's lock");
		bind((builder) -> builder.listener((event) -> {
			if (event instanceof UpdateLockWaitingEvent) {
				// The other program lets go while we wait.
				delete(lockPath());
			}
		}));
		this.manager.acquire("patient", Duration.ofSeconds(10)).release();
		await().untilAsserted(() -> assertThat(acquisitions(this.registry, "waited")).isEqualTo(1));
		assertThat(acquisitions(this.registry, "acquired")).isZero();
	}

	@Test
	void holdThatGaveUpCountsAsRejected() throws IOException {
		Files.writeString(lockPath(), "another program's lock");
		bind();
		assertThatExceptionOfType(UpdateLockTimeoutException.class)
			.isThrownBy(() -> this.manager.acquire("impatient", Duration.ZERO));
		await().untilAsserted(() -> assertThat(acquisitions(this.registry, "rejected")).isEqualTo(1));
		assertThat(acquisitions(this.registry, "acquired")).isZero();
	}

	@Test
	void skippedHoldsAreCountedWhenReported() {
		UpdateLockMetrics metrics = bind();
		metrics.recordSkipped();
		assertThat(acquisitions(this.registry, "skipped")).isEqualTo(1);
	}

	@Test
	void holdDurationIsTimedPerHoldName() {
		bind();
		this.manager.acquire("export").release();
		this.manager.acquire("export").release();
		this.manager.acquire("firmware-write").release();
		// The timers appear with the first event of their hold, on the manager's event thread.
		await().ignoreExceptions().untilAsserted(() -> {
			assertThat(holdTimer("export").count()).isEqualTo(2);
			assertThat(holdTimer("firmware-write").count()).isEqualTo(1);
		});
	}

	@Test
	void holdsNamedPerCallAreTimedUnderTheirDeclaredName() {
		bind();
		try (UpdateLockHold outer = this.manager.acquire("outer")) {
			for (int order = 0; order < CALLS; order++) {
				this.manager.acquire("payment-" + order, "payment-#{#order.id}").release();
			}
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(holdTimer("payment-#{#order.id}").count()).isEqualTo(CALLS));
		assertThat(this.registry.get(UpdateLockMetrics.EVENTS_DROPPED).functionCounter().count()).isZero();
		assertThat(holdTimers()).extracting((timer) -> timer.getId().getTag(UpdateLockMetrics.HOLD_TAG))
			.containsExactlyInAnyOrder("payment-#{#order.id}", "outer");
	}

	@Test
	void distinctHoldNamesPastTheLimitAreTimedAsOther() {
		bind();
		try (UpdateLockHold outer = this.manager.acquire("outer")) {
			for (int batch = 0; batch < CALLS; batch++) {
				this.manager.acquire("import-" + batch).release();
			}
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(holdTimer(UpdateLockMetrics.OTHER_HOLDS).count())
				.isEqualTo(CALLS + 1 - UpdateLockMetrics.MAX_HOLD_TAGS));
		assertThat(this.registry.get(UpdateLockMetrics.EVENTS_DROPPED).functionCounter().count()).isZero();
		assertThat(holdTimers()).hasSize(UpdateLockMetrics.MAX_HOLD_TAGS + 1);
		assertThat(holdTimer("import-0").count()).isOne();
		assertThat(holdTimer("import-" + (UpdateLockMetrics.MAX_HOLD_TAGS - 1)).count()).isOne();
		this.manager.acquire("import-0").release();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(holdTimer("import-0").count()).isEqualTo(2));
	}

	@Test
	void staleLockOfADeadInstanceIsCountedWhenReclaimed() throws IOException {
		writeMarkerOfDeadInstance(lockPath());
		bind();
		this.manager.acquire("after-crash").release();
		await().untilAsserted(
				() -> assertThat(this.registry.get(UpdateLockMetrics.STALE_RECLAIMS).counter().count()).isEqualTo(1));
	}

	@Test
	void lockTakenAwayWhileHeldIsCountedAsLost() throws IOException {
		bind();
		try (UpdateLockHold hold = this.manager.acquire("export")) {
			// A manual deletion is one of the ways a lock gets lost, like an override.
			Files.delete(lockPath());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(this.registry.get(UpdateLockMetrics.LOST).counter().count()).isEqualTo(1));
			assertThat(gauge(UpdateLockMetrics.HELD)).isZero();
		}
	}

	@Test
	void eachBoundRegistryCountsEveryEventOnce() {
		bind();
		SimpleMeterRegistry second = new SimpleMeterRegistry();
		new UpdateLockMetrics(this.manager).bindTo(second);
		UpdateLockMetrics metrics = new UpdateLockMetrics(this.manager);
		SimpleMeterRegistry third = new SimpleMeterRegistry();
		metrics.bindTo(third);
		metrics.bindTo(new SimpleMeterRegistry());
		this.manager.acquire("job").release();
		await().untilAsserted(() -> {
			assertThat(acquisitions(this.registry, "acquired")).isEqualTo(1);
			assertThat(acquisitions(second, "acquired")).isEqualTo(1);
			assertThat(acquisitions(third, "acquired")).isEqualTo(1);
		});
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

	private static double acquisitions(MeterRegistry registry, String outcome) {
		return registry.get(UpdateLockMetrics.ACQUISITIONS)
			.tag(UpdateLockMetrics.OUTCOME_TAG, outcome)
			.counter()
			.count();
	}

	private Collection<Timer> holdTimers() {
		return this.registry.find(UpdateLockMetrics.HOLD_DURATION).timers();
	}

	private Timer holdTimer(String hold) {
		return this.registry.get(UpdateLockMetrics.HOLD_DURATION).tag(UpdateLockMetrics.HOLD_TAG, hold).timer();
	}

	/**
	 * What an instance killed with SIGKILL leaves behind: our marker, and no flock any more
	 * (the kernel dropped it with the process). The format is the core's marker record.
	 */
	private static void writeMarkerOfDeadInstance(Path path) throws IOException {
		String marker = "io.github.updatelock marker v1\n" + "instance=" + UUID.randomUUID() + "\n"
				+ "hostname=crashed-container\n" + "boot-id=unknown\n" + "pid=1\n" + "process-start=0\n"
				+ "flock=true\n" + "created=" + Instant.now() + "\n";
		Files.writeString(path, marker, StandardCharsets.UTF_8);
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
