package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LockDirectoryWatchTests {

	/**
	 * The JDK folds the pending events of one key into an overflow beyond 512. Ten times that,
	 * so that the overflow comes even when the JDK's poller thread lags far behind the
	 * creations on a loaded machine (with 600 it once had not passed 512 when the watch went on).
	 */
	private static final int MORE_EVENTS_THAN_A_KEY_KEEPS = 5120;

	private static final Duration WITHIN = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private final AtomicInteger changes = new AtomicInteger();

	private LockDirectoryWatch watch;

	@AfterEach
	void closeWatch() {
		if (this.watch != null) {
			this.watch.close();
		}
	}

	@Test
	void reportsTheLockFileAppearingAndGoingButNotOtherEntries() throws IOException {
		this.watch = new LockDirectoryWatch(lockFile(), this.changes::incrementAndGet);
		this.watch.demand();
		Files.createFile(this.directory.resolve("resin-updates.lock"));
		await().during(Duration.ofMillis(200)).atMost(WITHIN).until(() -> this.changes.get() == 0);
		Files.createFile(lockFile());
		await().atMost(WITHIN).until(() -> this.changes.get() == 1);
		Files.delete(lockFile());
		await().atMost(WITHIN).until(() -> this.changes.get() == 2);
	}

	@Test
	void lostEventsAreReportedAsAChange() throws Exception {
		CountDownLatch firstChangeSeen = new CountDownLatch(1);
		CountDownLatch flooded = new CountDownLatch(1);
		this.watch = new LockDirectoryWatch(lockFile(), () -> {
			if (this.changes.incrementAndGet() == 1) {
				firstChangeSeen.countDown();
				awaitQuietly(flooded);
			}
		});
		this.watch.demand();
		Files.createFile(lockFile());
		assertThat(firstChangeSeen.await(WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
		// While the watch is busy, more events pile up than it can keep: only other entries
		// change, but the overflow hides which.
		for (int i = 0; i < MORE_EVENTS_THAN_A_KEY_KEEPS; i++) {
			Files.createFile(this.directory.resolve("other-" + i));
		}
		flooded.countDown();
		// Only other entries changed after the first change: any later one is an overflow.
		await().atMost(WITHIN).until(() -> this.changes.get() >= 2);
	}

	@Test
	void threadRunsOnlyWhileDemandedAndALittleAfter() {
		this.watch = new LockDirectoryWatch(lockFile(), this.changes::incrementAndGet);
		await().atMost(WITHIN).until(() -> !threadRuns());
		this.watch.demand();
		this.watch.demand();
		assertThat(threadRuns()).isTrue();
		this.watch.undemand();
		assertThat(threadRuns()).as("one demand is left").isTrue();
		this.watch.undemand();
		await().atMost(WITHIN).until(() -> !threadRuns());
		this.watch.demand();
		assertThat(threadRuns()).as("started again").isTrue();
	}

	@Test
	void missingDirectoryIsNotWatchedAndDoesNotFail() {
		this.watch = new LockDirectoryWatch(this.directory.resolve("missing").resolve("updates.lock"),
				this.changes::incrementAndGet);
		await().atMost(WITHIN).until(() -> !threadRuns());
		this.watch.demand();
		assertThat(threadRuns()).isFalse();
		this.watch.undemand();
	}

	@Test
	void directoryRemovedWhileWatchedIsReportedAndEndsTheThread() throws IOException {
		Path lockDirectory = Files.createDirectory(this.directory.resolve("balena"));
		this.watch = new LockDirectoryWatch(lockDirectory.resolve("updates.lock"), this.changes::incrementAndGet);
		await().atMost(WITHIN).until(() -> !threadRuns());
		this.watch.demand();
		Files.delete(lockDirectory);
		await().atMost(WITHIN).until(() -> this.changes.get() >= 1 && !threadRuns());
	}

	private Path lockFile() {
		return this.directory.resolve("updates.lock");
	}

	private static boolean threadRuns() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((thread) -> thread.getName().equals(LockDirectoryWatch.THREAD_NAME));
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(WITHIN.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
