package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.updatelock.BackgroundHold;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How soon a hold waiting in the background takes the lock once someone else lets go: from
 * the unlink of the other's file to our hold being held, as a distribution (JMH's sample
 * mode reports percentiles). The other's file is a plain file without our marker, which
 * blocks us as the Supervisor's does, and letting go is the plain unlink the Supervisor
 * does. The baseline is the least it can take: the same unlink, then an acquisition on the
 * same thread, with no waiting at all. The manager keeps its default backoff (up to 2 s),
 * so figures far below it come from the lock directory's events.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FreedLockReactionBenchmark {

	/** Far beyond any reaction; a wait this long means the hold was never taken. */
	private static final Duration GIVE_UP = Duration.ofSeconds(10);

	private Path directory;

	private Path lockFile;

	private UpdateLockManager manager;

	@Setup
	public void setUp() throws IOException {
		QuietLog.apply();
		this.directory = BenchmarkDirectories.create();
		this.lockFile = this.directory.resolve("updates.lock");
		this.manager = BenchmarkManagers.create(this.directory);
	}

	@TearDown
	public void tearDown() throws IOException {
		this.manager.close();
		BenchmarkDirectories.delete(this.directory);
	}

	/** Someone else's file at the path, before each invocation. */
	private void block() throws IOException {
		Files.writeString(this.lockFile, "0");
	}

	/**
	 * A background hold that waits for the lock, before each invocation.
	 */
	@State(Scope.Thread)
	public static class Waiting {

		BackgroundHold hold;

		@Setup(Level.Invocation)
		public void waitForTheLock(FreedLockReactionBenchmark benchmark) throws IOException {
			benchmark.block();
			this.hold = new BackgroundHold(benchmark.manager, "waiting");
			this.hold.want();
		}

		@TearDown(Level.Invocation)
		public void release() {
			this.hold.unwant();
		}

	}

	/**
	 * The lock blocked, nothing waiting, before each invocation of the baseline.
	 */
	@State(Scope.Thread)
	public static class Blocked {

		UpdateLockHold hold;

		@Setup(Level.Invocation)
		public void block(FreedLockReactionBenchmark benchmark) throws IOException {
			benchmark.block();
		}

		@TearDown(Level.Invocation)
		public void release() {
			this.hold.release();
		}

	}

	@Benchmark
	public UpdateLockHold baselineUnlinkThenAcquire(Blocked blocked) throws IOException {
		Files.delete(this.lockFile);
		blocked.hold = this.manager.acquire("direct", Duration.ZERO);
		return blocked.hold;
	}

	@Benchmark
	public boolean unlinkUntilTheWaitingHoldIsHeld(Waiting waiting) throws IOException {
		Files.delete(this.lockFile);
		if (!waiting.hold.awaitHeld(GIVE_UP)) {
			throw new IllegalStateException("The waiting hold was not taken within " + GIVE_UP);
		}
		return true;
	}

}
