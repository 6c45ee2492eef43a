package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.event.UpdateLockLostEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How soon a held lock is seen {@code LOST} after an override: from the unlink of our file
 * to the {@link UpdateLockLostEvent}, as a distribution (JMH's sample mode reports
 * percentiles). The override is the Supervisor's, done with plain file operations: unlink
 * our file, create another in its place. The baseline is the override alone. The manager
 * keeps its default watch interval (500 ms), so figures far below it come from the lock
 * directory's events.
 * <p>
 * {@code heldMillis} is how long the lock has been held when the override comes: the
 * directory's events are asked for once a file has been held for 10 to 20 ms, so an
 * override of a lock held for 25 ms shows the events' reaction, and one right after the
 * lock was taken shows the check made when the events start.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LostLockReactionBenchmark {

	/** Far beyond any reaction; a wait this long means the loss was never seen. */
	private static final Duration GIVE_UP = Duration.ofSeconds(10);

	private Path directory;

	private Path lockFile;

	private UpdateLockManager manager;

	/** How long the lock is held before the override. */
	@Param({ "25", "0" })
	public int heldMillis;

	/** Counted down by the manager's listener; replaced before each invocation. */
	private volatile CountDownLatch lost = new CountDownLatch(1);

	@Setup
	public void setUp() throws IOException {
		QuietLog.apply();
		this.directory = BenchmarkDirectories.create();
		this.lockFile = this.directory.resolve("updates.lock");
		this.manager = BenchmarkManagers.create(this.directory, (event) -> {
			if (event instanceof UpdateLockLostEvent) {
				this.lost.countDown();
			}
		});
	}

	@TearDown
	public void tearDown() throws IOException {
		this.manager.close();
		BenchmarkDirectories.delete(this.directory);
	}

	/**
	 * The lock held before each invocation; after it, our hold ends (leaving the other file
	 * alone, as a release after an override does) and the other file goes.
	 */
	@State(Scope.Thread)
	public static class Held {

		private UpdateLockHold hold;

		private Path lockFile;

		@Setup(Level.Invocation)
		public void hold(LostLockReactionBenchmark benchmark) {
			benchmark.lost = new CountDownLatch(1);
			this.lockFile = benchmark.lockFile;
			this.hold = benchmark.manager.acquire("critical", Duration.ZERO);
			// Setup time, not measured.
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(benchmark.heldMillis));
		}

		@TearDown(Level.Invocation)
		public void release() throws IOException {
			this.hold.release();
			Files.deleteIfExists(this.lockFile);
		}

	}

	@Benchmark
	public void baselineOverride(Held held) throws IOException {
		override();
	}

	@Benchmark
	public void overrideUntilSeenLost(Held held) throws IOException, InterruptedException {
		override();
		if (!this.lost.await(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("The loss was not seen within " + GIVE_UP);
		}
	}

	private void override() throws IOException {
		Files.delete(this.lockFile);
		Files.writeString(this.lockFile, "0");
	}

}
