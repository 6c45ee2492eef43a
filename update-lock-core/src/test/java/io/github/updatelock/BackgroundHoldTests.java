package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.updatelock.event.UpdateLockWaitingEvent;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BackgroundHoldTests {

	@TempDir
	Path tempDir;

	private final List<UpdateLockManager> managers = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	private UpdateLockManager manager(Path lockFile, UnavailableLockPolicy policy) {
		return manager(lockFile, policy, Clock.systemUTC());
	}

	private UpdateLockManager manager(Path lockFile, UnavailableLockPolicy policy, Clock clock) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			.initialBackoff(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(70))
			.unavailablePolicy(policy)
			.clock(clock)
			.build();
		this.managers.add(manager);
		return manager;
	}

	private Path lockFile() {
		return this.tempDir.resolve("updates.lock");
	}

	@Test
	void wantTakesTheHoldAtOnceWhenTheLockIsFree() {
		UpdateLockManager manager = manager(lockFile(), UnavailableLockPolicy.FAIL);
		BackgroundHold hold = new BackgroundHold(manager, "boot");
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.IDLE);
		hold.want();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.HELD);
		assertThat(lockFile()).exists();
		assertThat(manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly("boot");
		hold.want();
		assertThat(manager.snapshot().holds()).hasSize(1);
		hold.unwant();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.IDLE);
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void retriesOnTheManagersSchedulerWhileTheSupervisorHoldsTheLock() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		UpdateLockManager manager = manager(lockFile, UnavailableLockPolicy.FAIL);
		List<Object> events = new CopyOnWriteArrayList<>();
		manager.addListener(events::add);
		List<BackgroundHold.State> states = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		BackgroundHold hold = new BackgroundHold(manager, "startup");
		hold.addListener((state) -> {
			states.add(state);
			threads.add(Thread.currentThread().getName());
		});
		hold.want();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.WAITING);
		assertThat(hold.blocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR);
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.WAITING);
		assertThat(hold.awaitHeld(Duration.ofMillis(200))).isFalse();
		Files.delete(lockFile);
		assertThat(hold.awaitHeld(Duration.ofSeconds(5))).isTrue();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		// Listeners hear of the change after awaitHeld may have returned.
		await().untilAsserted(
				() -> assertThat(states).containsExactly(BackgroundHold.State.WAITING, BackgroundHold.State.HELD));
		assertThat(threads.get(1)).isEqualTo("update-lock");
		// One wait announced, however many tries it took.
		DeliveredEvents.await(manager);
		assertThat(events).filteredOn(UpdateLockWaitingEvent.class::isInstance).hasSize(1);
	}

	@Test
	void retriesBackOffLikeTheManagerAndNeverWaitOnTheScheduler() {
		UpdateLockManager other = manager(lockFile(), UnavailableLockPolicy.FAIL);
		UpdateLockHold busy = other.acquire("other-instance");
		ManualScheduler scheduler = new ManualScheduler();
		BackgroundHold hold = new BackgroundHold(manager(lockFile(), UnavailableLockPolicy.FAIL), "window",
				scheduler);
		hold.want();
		assertThat(hold.blocker()).isEqualTo(UpdateLockBlocker.LIVE_INSTANCE);
		assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(20));
		scheduler.runNext();
		assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(40));
		scheduler.runNext();
		assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(70));
		scheduler.runNext();
		assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(70));
		busy.release();
		// The deletion wakes the hold from the directory watch's thread and plans a try at once in place
		// of the retry: a retry run before that came would be cancelled too late and do nothing.
		await().until(() -> scheduler.pending().stream().anyMatch((task) -> task.delay().isZero()));
		scheduler.runNext();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.HELD);
		assertThat(scheduler.pending()).isEmpty();
	}

	@Test
	void unwantWhileWaitingCancelsTheRetryAndEndsTheManagersWait() {
		UpdateLockManager other = manager(lockFile(), UnavailableLockPolicy.FAIL);
		UpdateLockHold busy = other.acquire("other-instance");
		ManualScheduler scheduler = new ManualScheduler();
		UpdateLockManager manager = manager(lockFile(), UnavailableLockPolicy.FAIL);
		BackgroundHold hold = new BackgroundHold(manager, "window", scheduler);
		hold.want();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.WAITING);
		hold.unwant();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.IDLE);
		assertThat(scheduler.pending()).isEmpty();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.RELEASED);
		busy.release();
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void aTakeThatArrivesAfterUnwantIsReleasedAtOnce() throws Exception {
		// The take reads the manager's clock as it creates the file: blocked there, it arrives after the unwant.
		BlockingClock clock = new BlockingClock(Clock.systemUTC(), "wanting");
		UpdateLockManager manager = manager(lockFile(), UnavailableLockPolicy.FAIL, clock);
		BackgroundHold hold = new BackgroundHold(manager, "window", new ManualScheduler());
		Thread wanting = new Thread(hold::want, "wanting");
		wanting.start();
		assertThat(clock.awaitBlocked()).isTrue();
		hold.unwant();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.IDLE);
		clock.unblock();
		wanting.join(TimeUnit.SECONDS.toMillis(5));
		assertThat(wanting.isAlive()).isFalse();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.IDLE);
		assertThat(manager.snapshot().holds()).isEmpty();
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void wantAgainWhileAnEarlierTakeIsStillArrivingKeepsExactlyOneHold() throws Exception {
		BlockingClock clock = new BlockingClock(Clock.systemUTC(), "wanting");
		UpdateLockManager manager = manager(lockFile(), UnavailableLockPolicy.FAIL, clock);
		BackgroundHold hold = new BackgroundHold(manager, "window", new ManualScheduler());
		Thread wanting = new Thread(hold::want, "wanting");
		wanting.start();
		assertThat(clock.awaitBlocked()).isTrue();
		hold.unwant();
		// The second take waits for the file lock that the first, blocked, still holds.
		Thread wantingAgain = new Thread(hold::want, "wanting-again");
		wantingAgain.start();
		clock.unblock();
		wanting.join(TimeUnit.SECONDS.toMillis(5));
		wantingAgain.join(TimeUnit.SECONDS.toMillis(5));
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.HELD);
		assertThat(manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly("window");
		hold.unwant();
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void yieldReleasesTheHoldUntilItIsWantedAgain() {
		UpdateLockManager manager = manager(lockFile(), UnavailableLockPolicy.FAIL);
		BackgroundHold hold = new BackgroundHold(manager, "startup");
		assertThat(hold.yieldHold()).isFalse();
		hold.want();
		assertThat(hold.yieldHold()).isTrue();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.YIELDED);
		assertThat(lockFile()).doesNotExist();
		assertThat(hold.yieldHold()).isFalse();
		hold.want();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.HELD);
	}

	@Test
	void failsWithoutRetryingWhenTheLockIsUnavailableUnderTheFailPolicy() {
		ManualScheduler scheduler = new ManualScheduler();
		BackgroundHold hold = new BackgroundHold(
				manager(this.tempDir.resolve("missing").resolve("updates.lock"), UnavailableLockPolicy.FAIL), "startup",
				scheduler);
		hold.want();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.FAILED);
		assertThat(hold.failure()).isInstanceOf(UpdateLockUnavailableException.class);
		assertThat(hold.awaitHeld(Duration.ofSeconds(5))).isFalse();
		assertThat(scheduler.pending()).isEmpty();
	}

	@Test
	void isClosedOnceTheManagerClosed() {
		UpdateLockManager manager = manager(lockFile(), UnavailableLockPolicy.FAIL);
		BackgroundHold hold = new BackgroundHold(manager, "startup");
		hold.want();
		manager.close();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.CLOSED);
		assertThat(hold.awaitHeld(Duration.ofMinutes(5))).isFalse();
	}

	@Test
	void aWaitingHoldIsClosedWithItsManagerAndItsWaitersReturnAtOnce() throws Exception {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		UpdateLockManager manager = manager(lockFile, UnavailableLockPolicy.FAIL);
		BackgroundHold hold = new BackgroundHold(manager, "startup");
		List<BackgroundHold.State> states = new CopyOnWriteArrayList<>();
		hold.addListener(states::add);
		hold.want();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.WAITING);
		CompletableFuture<Boolean> awaiting = CompletableFuture
			.supplyAsync(() -> hold.awaitHeld(Duration.ofMinutes(5)));
		manager.close();
		assertThat(awaiting.get(5, TimeUnit.SECONDS)).isFalse();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.CLOSED);
		assertThat(hold.blocker()).isNull();
		assertThat(states).containsExactly(BackgroundHold.State.WAITING, BackgroundHold.State.CLOSED);
		assertThat(manager.snapshot().status()).isNotEqualTo(UpdateLockStatus.WAITING);
		hold.want();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.CLOSED);
		assertThat(hold.failure()).isNull();
	}

	@Test
	void concurrentWantsAndUnwantsEndWithTheFileOnlyWhileWanted() throws Exception {
		UpdateLockManager manager = manager(lockFile(), UnavailableLockPolicy.FAIL);
		BackgroundHold hold = new BackgroundHold(manager, "racy");
		Thread[] threads = new Thread[4];
		for (int i = 0; i < threads.length; i++) {
			boolean wanting = i % 2 == 0;
			threads[i] = new Thread(() -> {
				for (int round = 0; round < 200; round++) {
					if (wanting) {
						hold.want();
					}
					else {
						hold.unwant();
					}
				}
			});
			threads[i].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		hold.unwant();
		await().atMost(Duration.ofSeconds(5)).until(() -> manager.snapshot().holds().isEmpty());
		assertThat(lockFile()).doesNotExist();
		hold.want();
		assertThat(manager.snapshot().holds()).hasSize(1);
	}

}
