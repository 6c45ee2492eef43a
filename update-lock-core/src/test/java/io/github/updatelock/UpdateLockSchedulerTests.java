package io.github.updatelock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class UpdateLockSchedulerTests {

	@TempDir
	Path tempDir;

	private UpdateLockManager.Builder builder() {
		return UpdateLockManager.builder()
			.lockPath(this.tempDir.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false);
	}

	@Test
	void managersOwnSchedulerRunsTasksOnOneDaemonThread() throws Exception {
		try (UpdateLockManager manager = builder().build()) {
			CompletableFuture<Thread> ran = new CompletableFuture<>();
			manager.scheduler().schedule(() -> ran.complete(Thread.currentThread()), Duration.ofMillis(10));
			Thread thread = ran.get(5, TimeUnit.SECONDS);
			assertThat(thread.getName()).isEqualTo("update-lock");
			assertThat(thread.isDaemon()).isTrue();
		}
	}

	@Test
	void cancelledTaskNeverRuns() throws Exception {
		try (UpdateLockManager manager = builder().build()) {
			AtomicBoolean cancelledRan = new AtomicBoolean();
			manager.scheduler().schedule(() -> cancelledRan.set(true), Duration.ofMillis(50)).cancel();
			CompletableFuture<Void> later = new CompletableFuture<>();
			manager.scheduler().schedule(() -> later.complete(null), Duration.ofMillis(100));
			later.get(5, TimeUnit.SECONDS);
			assertThat(cancelledRan).isFalse();
		}
	}

	@Test
	void closedManagersSchedulerAcceptsTasksWithoutRunningThem() {
		UpdateLockManager manager = builder().build();
		manager.close();
		AtomicBoolean ran = new AtomicBoolean();
		manager.scheduler().schedule(() -> ran.set(true), Duration.ZERO).cancel();
		assertThat(ran).isFalse();
	}

	@Test
	void watchRunsOnTheSchedulerGivenToTheBuilderAndStopsOnClose() {
		ManualScheduler scheduler = new ManualScheduler();
		UpdateLockManager manager = builder().scheduler(scheduler).watchInterval(Duration.ofMillis(300)).build();
		assertThat(manager.scheduler()).isSameAs(scheduler);
		UpdateLockHold hold = manager.acquire("payment");
		assertThat(scheduler.pending()).extracting(ManualScheduler.Task::delay)
			.containsExactlyInAnyOrder(HeldFileEvents.AFTER, Duration.ofMillis(300));
		scheduler.runNext();
		scheduler.runNext();
		assertThat(scheduler.pending()).extracting(ManualScheduler.Task::delay)
			.containsExactly(Duration.ofMillis(300));
		hold.release();
		manager.close();
		assertThat(scheduler.pending()).isEmpty();
	}

}
