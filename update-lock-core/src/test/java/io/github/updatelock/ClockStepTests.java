package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.updatelock.event.UpdateLockDeniedEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.event.UpdateLockLongHoldEvent;
import io.github.updatelock.testsupport.MutableClock;
import io.github.updatelock.testsupport.NanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A device without a real-time clock has its wall clock stepped by days when NTP first
 * answers. Durations come from the monotonic clock, so such a step changes no age, no
 * long-hold warning and no wait; only the instants shown to people follow the wall clock.
 */
class ClockStepTests {

	private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

	private static final Duration STEP = Duration.ofDays(3);

	/** Far below the step and far above anything a test run takes. */
	private static final Duration SMALL = Duration.ofMinutes(1);

	@TempDir
	Path directory;

	private final MutableClock wallClock = new MutableClock(START);

	private final NanoClock nanoClock = new NanoClock();

	private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

	private final List<UpdateLockManager> managers = new ArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	@Test
	void wallClockStepForwardMakesNoHoldLongRunning() {
		UpdateLockManager manager = manager(this.events::add);
		try (UpdateLockHold fresh = manager.acquire("fresh")) {
			this.wallClock.advance(STEP);
			awaitWatchRounds();
			assertThat(this.events).noneMatch(UpdateLockLongHoldEvent.class::isInstance);
			assertThat(manager.snapshot().holds()).singleElement().satisfies((hold) -> {
				assertThat(hold.longRunning()).isFalse();
				assertThat(hold.age()).isLessThan(SMALL);
				assertThat(hold.since()).isEqualTo(START);
			});
			assertThat(fresh.age()).isLessThan(SMALL);
		}
	}

	@Test
	void wallClockStepBackMakesNoDurationNegative() {
		UpdateLockManager manager = manager(this.events::add);
		UpdateLockHold hold = manager.acquire("stepped-back");
		this.wallClock.set(START.minus(STEP));
		assertThat(manager.snapshot().holds()).singleElement()
			.satisfies((active) -> assertThat(active.age()).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(SMALL));
		hold.release();
		DeliveredEvents.await(manager);
		assertThat(this.events).filteredOn(UpdateLockHoldReleasedEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((UpdateLockHoldReleasedEvent) event).heldFor())
				.isGreaterThanOrEqualTo(Duration.ZERO)
				.isLessThan(SMALL));
	}

	@Test
	void wallClockStepDuringAWaitDoesNotChangeForHowLongTheBlockerWasSeen() throws IOException {
		Files.writeString(this.directory.resolve("updates.lock"), "someone else's");
		UpdateLockManager manager = manager((event) -> {
			// The step comes after the blocker was first seen and before the refusal says for how long.
			if (event instanceof UpdateLockDeniedEvent) {
				this.wallClock.advance(STEP);
			}
		});
		assertThatExceptionOfType(UpdateLockTimeoutException.class)
			.isThrownBy(() -> manager.acquire("waiter", Duration.ofMillis(200)))
			.satisfies((ex) -> assertThat(ex.getBlockedFor()).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(SMALL));
	}

	@Test
	void holdIsLongRunningOnceTheMonotonicClockSaysSoWhateverTheWallClockShows() {
		UpdateLockManager manager = manager(this.events::add);
		try (UpdateLockHold stuck = manager.acquire("stuck")) {
			this.wallClock.set(START.minus(STEP));
			this.nanoClock.advance(Duration.ofHours(2));
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(this.events).filteredOn(UpdateLockLongHoldEvent.class::isInstance)
					.singleElement()
					.satisfies((event) -> assertThat(((UpdateLockLongHoldEvent) event).age())
						.isBetween(Duration.ofHours(2), Duration.ofHours(2).plus(SMALL))));
			assertThat(manager.snapshot().holds()).singleElement()
				.satisfies((hold) -> assertThat(hold.longRunning()).isTrue());
			assertThat(stuck.age()).isGreaterThanOrEqualTo(Duration.ofHours(2));
		}
	}

	@Test
	void operatorHoldEndsAfterItsTtlOnTheMonotonicClockAndReportsItsOwnAge() {
		UpdateLockManager manager = manager(this.events::add);
		OperatorHolds operatorHolds = new OperatorHolds(manager);
		OperatorHold taken = operatorHolds.take("maintenance", Duration.ZERO, Duration.ofMillis(300)).hold();
		this.wallClock.set(START.minus(STEP));
		assertThat(taken.heldFor()).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(SMALL);
		this.wallClock.set(START.plus(STEP));
		assertThat(operatorHolds.find("maintenance")).isPresent();
		await().atMost(Duration.ofSeconds(5)).until(() -> operatorHolds.find("maintenance").isEmpty());
		assertThat(manager.snapshot().holds()).isEmpty();
	}

	/** Enough rounds of the watch that a long-hold warning would have been given. */
	private void awaitWatchRounds() {
		await().during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.events.stream().noneMatch(UpdateLockLongHoldEvent.class::isInstance));
	}

	private UpdateLockManager manager(UpdateLockListener listener) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.clock(this.wallClock)
			.monotonicClock(this.nanoClock::nanoTime)
			.watchInterval(Duration.ofMillis(20))
			.longHoldWarning(Duration.ofHours(1))
			.listener(listener)
			.build();
		this.managers.add(manager);
		return manager;
	}

}
