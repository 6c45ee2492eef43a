package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.updatelock.internal.LockDirectoryWatch;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A waiting hold wakes, and a held lock is seen lost, as soon as the lock path changes:
 * the manager watches the lock directory for events while the lock is held or waited for,
 * and keeps polling as the fallback.
 */
class LockPathEventsTests {

	/**
	 * The backoff and the watch interval of the managers that must react through events:
	 * polling alone would take this long.
	 */
	private static final Duration SLOW_POLLING = Duration.ofSeconds(10);

	/** Far below {@link #SLOW_POLLING}, so only an event gets there in time, and generous for a loaded machine. */
	private static final Duration REACTION = Duration.ofSeconds(2);

	@TempDir
	Path temporary;

	private Path lockFile;

	private final List<UpdateLockManager> managers = new ArrayList<>();

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	@BeforeEach
	void createLockDirectory() throws IOException {
		LockPeers.require(LockPeers.Peer.SUPERVISOR);
		this.lockFile = LockPeers.lockDirectory(this.temporary).resolve("updates.lock");
	}

	@AfterEach
	void closeManagers() {
		this.executor.shutdownNow();
		this.managers.forEach(UpdateLockManager::close);
	}

	@Test
	void waitingAcquisitionWakesWhenTheSupervisorUnlocks() {
		LockPeers.takeSupervisorLock(this.lockFile);
		UpdateLockManager manager = build(slowlyPolling());
		CompletableFuture<UpdateLockHold> waiting = CompletableFuture
			.supplyAsync(() -> manager.acquire("waits", LockPeers.TIMEOUT), this.executor);
		awaitWaiting(manager);
		LockPeers.supervisorUnlocks(this.lockFile);
		await().atMost(REACTION).until(waiting::isDone);
		assertThat(manager.inspectLockFile().ours()).isTrue();
		waiting.join().release();
	}

	@Test
	void backgroundHoldWakesWhenTheSupervisorUnlocks() {
		LockPeers.takeSupervisorLock(this.lockFile);
		UpdateLockManager manager = build(slowlyPolling());
		BackgroundHold hold = new BackgroundHold(manager, "startup");
		hold.want();
		assertThat(hold.state()).isEqualTo(BackgroundHold.State.WAITING);
		LockPeers.supervisorUnlocks(this.lockFile);
		await().atMost(REACTION).until(() -> hold.state() == BackgroundHold.State.HELD);
		assertThat(manager.inspectLockFile().ours()).isTrue();
		hold.unwant();
	}

	@Test
	void heldLockIsSeenLostWhenTheSupervisorOverridesIt() {
		UpdateLockManager manager = build(slowlyPolling());
		UpdateLockHold hold = manager.acquire("critical");
		LockPeers.supervisorOverrides(this.lockFile);
		await().atMost(REACTION).until(() -> manager.snapshot().status() == UpdateLockStatus.LOST);
		hold.release();
		assertThat(LockPeers.supervisorLocks(this.lockFile)).as("the Supervisor's file is left alone").isFalse();
	}

	@Test
	void overrideBeforeTheEventsStartIsSeenWhenTheyStart() throws IOException {
		UpdateLockManager manager = build(slowlyPolling());
		UpdateLockHold hold = manager.acquire("critical");
		// Far quicker than HeldFileEvents.AFTER: over before the directory is watched.
		Files.delete(this.lockFile);
		Files.writeString(this.lockFile, "someone else's");
		await().atMost(REACTION).until(() -> manager.snapshot().status() == UpdateLockStatus.LOST);
		hold.release();
		assertThat(this.lockFile).hasContent("someone else's");
	}

	@Test
	void holdsReleasedBeforeTheEventsWouldStartStartNoWatchThread() {
		awaitNoWatchThread();
		ManualScheduler scheduler = new ManualScheduler();
		UpdateLockManager manager = build(slowlyPolling().scheduler(scheduler));
		for (int i = 0; i < 100; i++) {
			manager.acquire("short").release();
		}
		assertThat(scheduler.pending()).filteredOn((task) -> task.delay().equals(HeldFileEvents.AFTER)).hasSize(1);
		scheduler.runNext();
		assertThat(scheduler.pending()).noneMatch((task) -> task.delay().compareTo(SLOW_POLLING) < 0);
		assertThat(watchThreadRuns()).isFalse();
	}

	@Test
	void fileTakenAfterTheStartWasPlannedIsWatchedOneDelayLater() {
		awaitNoWatchThread();
		ManualScheduler scheduler = new ManualScheduler();
		UpdateLockManager manager = build(slowlyPolling().scheduler(scheduler));
		manager.acquire("short").release();
		UpdateLockHold hold = manager.acquire("long");
		scheduler.runNext();
		assertThat(watchThreadRuns()).as("the file is younger than the delay").isFalse();
		assertThat(scheduler.nextDelay()).isEqualTo(HeldFileEvents.AFTER);
		scheduler.runNext();
		assertThat(watchThreadRuns()).isTrue();
		hold.release();
	}

	@Test
	void withoutEventsPollingStillWakesTheWaiterAndSeesTheLoss() {
		awaitNoWatchThread();
		LockPeers.takeSupervisorLock(this.lockFile);
		UpdateLockManager manager = build(builder().directoryEvents(false)
			.initialBackoff(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(100))
			.watchInterval(Duration.ofMillis(50)));
		CompletableFuture<UpdateLockHold> waiting = CompletableFuture
			.supplyAsync(() -> manager.acquire("waits", LockPeers.TIMEOUT), this.executor);
		awaitWaiting(manager);
		assertThat(watchThreadRuns()).isFalse();
		LockPeers.supervisorUnlocks(this.lockFile);
		await().atMost(LockPeers.TIMEOUT).until(waiting::isDone);
		LockPeers.supervisorOverrides(this.lockFile);
		await().atMost(LockPeers.TIMEOUT).until(() -> manager.snapshot().status() == UpdateLockStatus.LOST);
		assertThat(watchThreadRuns()).isFalse();
		waiting.join().release();
	}

	@Test
	void watchThreadRunsOnlyWhileTheLockIsHeldOrWaitedFor() {
		UpdateLockManager manager = build(slowlyPolling());
		awaitNoWatchThread();
		UpdateLockHold hold = manager.acquire("held");
		awaitWatchThread();
		hold.release();
		awaitNoWatchThread();
		LockPeers.takeSupervisorLock(this.lockFile);
		BackgroundHold waiting = new BackgroundHold(manager, "waits");
		waiting.want();
		assertThat(waiting.state()).isEqualTo(BackgroundHold.State.WAITING);
		assertThat(watchThreadRuns()).isTrue();
		waiting.unwant();
		awaitNoWatchThread();
	}

	@Test
	void closingTheManagerStopsTheWatchThread() {
		UpdateLockManager manager = build(slowlyPolling());
		manager.acquire("held");
		awaitWatchThread();
		manager.close();
		await().atMost(REACTION).until(() -> !watchThreadRuns());
	}

	private void awaitWaiting(UpdateLockManager manager) {
		await().atMost(LockPeers.TIMEOUT).until(() -> manager.snapshot().status() == UpdateLockStatus.WAITING);
	}

	private static void awaitWatchThread() {
		await().atMost(REACTION).until(LockPathEventsTests::watchThreadRuns);
	}

	private static void awaitNoWatchThread() {
		await().atMost(LockPeers.TIMEOUT).until(() -> !watchThreadRuns());
	}

	private static boolean watchThreadRuns() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((thread) -> thread.getName().equals(LockDirectoryWatch.THREAD_NAME));
	}

	private UpdateLockManager.Builder slowlyPolling() {
		return builder().initialBackoff(SLOW_POLLING).maxBackoff(SLOW_POLLING).watchInterval(SLOW_POLLING);
	}

	private UpdateLockManager.Builder builder() {
		return UpdateLockManager.builder()
			.lockPath(this.lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			.unavailablePolicy(UnavailableLockPolicy.FAIL);
	}

	private UpdateLockManager build(UpdateLockManager.Builder builder) {
		UpdateLockManager manager = builder.build();
		this.managers.add(manager);
		return manager;
	}

}
