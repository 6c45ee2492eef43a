package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.github.updatelock.UpdateLockManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole lock cycle (exclusive create, flock, marker, inode-checked unlink) against the
 * least a correct lock file needs: a raw {@code CREATE_NEW} + write + delete of a file of
 * the same size in the same directory.
 */
@State(Scope.Benchmark)
@Fork(1)
// The manager's path needs about 5 s to settle (a longer warm-up than the raw cycle),
// and the ratio is only fair once both are warm.
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FirstHoldBenchmark {

	private Path directory;

	private Path rawFile;

	private UpdateLockManager manager;

	@Setup
	public void setUp() throws IOException {
		this.directory = BenchmarkDirectories.create();
		this.rawFile = this.directory.resolve("raw.lock");
		this.manager = BenchmarkManagers.create(this.directory);
	}

	@TearDown
	public void tearDown() throws IOException {
		this.manager.close();
		BenchmarkDirectories.delete(this.directory);
	}

	@Benchmark
	public void baselineRawCreateWriteDelete() throws IOException {
		RawFileCycle.createWriteDelete(this.rawFile);
	}

	@Benchmark
	public void firstHold() {
		this.manager.acquire("benchmark").release();
	}

}
