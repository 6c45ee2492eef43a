package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.updatelock.event.UpdateLockDeniedEvent;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorHoldsTests {

	/** Longer than any ttl here, so that the manager's watch is never the next task. */
	private static final Duration WATCH_INTERVAL = Duration.ofDays(1);

	@TempDir
	Path tempDir;

	private final ManualScheduler scheduler = new ManualScheduler();

	private final List<String> expired = new CopyOnWriteArrayList<>();

	private final List<UpdateLockManager> managers = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	private UpdateLockManager manager(Path lockFile, UnavailableLockPolicy policy) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			.initialBackoff(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(50))
			.watchInterval(WATCH_INTERVAL)
			.unavailablePolicy(policy)
			.scheduler(this.scheduler)
			.build();
		this.managers.add(manager);
		return manager;
	}

	private Path lockFile() {
		return this.tempDir.resolve("updates.lock");
	}

	private OperatorHolds operatorHolds(UpdateLockManager manager) {
		return new OperatorHolds(manager, new OperatorHolds.Listener() {

			@Override
			public void expired(OperatorHold hold, Duration ttl) {
				OperatorHoldsTests.this.expired.add(hold.name() + " after " + ttl);
			}

			@Override
			public void expiryFailed(OperatorHold hold, Duration ttl, RuntimeException failure) {
				OperatorHoldsTests.this.expired.add(hold.name() + " failed: " + failure.getMessage());
			}

		});
	}

	@Test
	void takeHoldsUntilReleasedAndNamesAreUnique() {
		UpdateLockManager manager = manager(lockFile(), UnavailableLockPolicy.FAIL);
		OperatorHolds holds = operatorHolds(manager);
		OperatorHolds.Taking taken = holds.take("maintenance", Duration.ZERO, null);
		assertThat(taken.outcome()).isEqualTo(OperatorHolds.TakeOutcome.TAKEN);
		assertThat(taken.hold().expiresAt()).isNull();
		assertThat(lockFile()).exists();
		OperatorHolds.Taking again = holds.take("maintenance", Duration.ZERO, null);
		assertThat(again.outcome()).isEqualTo(OperatorHolds.TakeOutcome.ALREADY_HELD);
		assertThat(again.hold()).isSameAs(taken.hold());
		assertThat(manager.snapshot().holds()).singleElement()
			.satisfies((active) -> assertThat(active.id()).isEqualTo(taken.hold().id()));
		assertThat(holds.release("maintenance")).containsSame(taken.hold());
		assertThat(holds.release("maintenance")).isEmpty();
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void atMostSixteenAtOnceAndAReleaseFreesASlot() {
		OperatorHolds holds = operatorHolds(manager(lockFile(), UnavailableLockPolicy.FAIL));
		for (int i = 1; i <= OperatorHolds.MAX_HOLDS; i++) {
			assertThat(holds.take("maintenance-" + i, Duration.ZERO, null).outcome())
				.isEqualTo(OperatorHolds.TakeOutcome.TAKEN);
		}
		assertThat(holds.take("maintenance-17", Duration.ZERO, null).outcome())
			.isEqualTo(OperatorHolds.TakeOutcome.LIMIT_REACHED);
		assertThat(holds.take("maintenance-1", Duration.ZERO, null).outcome())
			.isEqualTo(OperatorHolds.TakeOutcome.ALREADY_HELD);
		holds.release("maintenance-1");
		assertThat(holds.take("maintenance-17", Duration.ZERO, null).outcome())
			.isEqualTo(OperatorHolds.TakeOutcome.TAKEN);
		assertThat(holds.active()).hasSize(OperatorHolds.MAX_HOLDS);
	}

	@Test
	void aTtlEndsTheHoldOnTheManagersSchedulerAndAReleaseByHandCancelsIt() {
		UpdateLockManager manager = manager(lockFile(), UnavailableLockPolicy.FAIL);
		OperatorHolds holds = operatorHolds(manager);
		Instant before = Instant.now();
		OperatorHolds.Taking taken = holds.take("maintenance", Duration.ZERO, Duration.ofMinutes(30));
		assertThat(taken.hold().expiresAt()).isBetween(before.plus(Duration.ofMinutes(30)),
				Instant.now().plus(Duration.ofMinutes(30)));
		holds.take("inspection", Duration.ZERO, Duration.ofMinutes(10));
		assertThat(holds.release("inspection")).isPresent();
		assertThat(this.scheduler.pending()).extracting(ManualScheduler.Task::delay)
			.containsExactlyInAnyOrder(Duration.ofMinutes(30), WATCH_INTERVAL, HeldFileEvents.AFTER);
		this.scheduler.runNext(Duration.ofMinutes(30));
		assertThat(this.expired).containsExactly("maintenance after PT30M");
		assertThat(holds.find("maintenance")).isEmpty();
		assertThat(manager.snapshot().holds()).isEmpty();
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void anExpiryNeverEndsALaterHoldOfTheSameName() {
		UpdateLockManager manager = manager(lockFile(), UnavailableLockPolicy.FAIL);
		OperatorHolds holds = operatorHolds(manager);
		holds.take("maintenance", Duration.ZERO, Duration.ofMinutes(30));
		ManualScheduler.Task firstExpiry = this.scheduler.pending()
			.stream()
			.filter((task) -> task.delay().equals(Duration.ofMinutes(30)))
			.findFirst()
			.orElseThrow();
		holds.release("maintenance");
		OperatorHolds.Taking again = holds.take("maintenance", Duration.ZERO, null);
		// Run the cancelled task anyway, as a scheduler that was already starting it would.
		firstExpiry.runnable().run();
		assertThat(holds.find("maintenance")).containsSame(again.hold());
		assertThat(this.expired).isEmpty();
	}

	@Test
	void aLockHeldElsewhereForTheWholeWaitIsBlockedAndTakesNothing() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		UpdateLockManager manager = manager(lockFile, UnavailableLockPolicy.FAIL);
		List<UpdateLockDeniedEvent> denied = new CopyOnWriteArrayList<>();
		manager.addListener((event) -> {
			if (event instanceof UpdateLockDeniedEvent deniedEvent) {
				denied.add(deniedEvent);
			}
		});
		OperatorHolds holds = operatorHolds(manager);
		OperatorHolds.Taking taking = holds.take("maintenance", Duration.ZERO, Duration.ofHours(1));
		assertThat(taking.outcome()).isEqualTo(OperatorHolds.TakeOutcome.BLOCKED);
		assertThat(taking.refusal()).startsWith("Could not take update lock " + lockFile + " for 'maintenance'")
			.contains("held by the Supervisor (an update is being applied)");
		DeliveredEvents.await(manager);
		assertThat(denied).singleElement()
			.satisfies((event) -> assertThat(event.blocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR));
		assertThat(holds.active()).isEmpty();
		assertThat(this.scheduler.pending()).as("no retry, no expiry").isEmpty();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.RELEASED);
		Files.delete(lockFile);
		assertThat(holds.take("maintenance", Duration.ZERO, null).outcome())
			.isEqualTo(OperatorHolds.TakeOutcome.TAKEN);
	}

	@Test
	void anUnavailableLockUnderTheFailPolicyIsReportedAndFreesItsSlot() {
		OperatorHolds holds = operatorHolds(
				manager(this.tempDir.resolve("missing").resolve("updates.lock"), UnavailableLockPolicy.FAIL));
		for (int i = 0; i <= OperatorHolds.MAX_HOLDS; i++) {
			OperatorHolds.Taking taking = holds.take("maintenance", Duration.ZERO, null);
			assertThat(taking.outcome()).isEqualTo(OperatorHolds.TakeOutcome.UNAVAILABLE);
			assertThat(taking.refusal()).isNotBlank();
		}
	}

}
