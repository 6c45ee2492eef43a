package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.updatelock.UpdateLockHold;
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
 * A hold taken while the lock is already held (no file I/O) against the reference count it
 * boils down to: an {@link AtomicInteger} increment and decrement. A second manager has a
 * listener that ignores every event, as Spring's event bridge ignores per-hold events: it
 * shows what building those events costs.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NestedHoldBenchmark {

	private final AtomicInteger counter = new AtomicInteger();

	private Path directory;

	private UpdateLockManager manager;

	private UpdateLockHold outer;

	private Path listenedDirectory;

	private UpdateLockManager listenedManager;

	private UpdateLockHold listenedOuter;

	@Setup
	public void setUp() throws IOException {
		this.directory = BenchmarkDirectories.create();
		this.manager = BenchmarkManagers.create(this.directory);
		this.outer = this.manager.acquire("outer");
		this.listenedDirectory = BenchmarkDirectories.create();
		this.listenedManager = BenchmarkManagers.create(this.listenedDirectory, (event) -> {
		});
		this.listenedOuter = this.listenedManager.acquire("outer");
	}

	@TearDown
	public void tearDown() throws IOException {
		this.outer.release();
		this.manager.close();
		BenchmarkDirectories.delete(this.directory);
		this.listenedOuter.release();
		this.listenedManager.close();
		BenchmarkDirectories.delete(this.listenedDirectory);
	}

	@Benchmark
	public int baselineAtomicIncrementDecrement() {
		this.counter.incrementAndGet();
		return this.counter.decrementAndGet();
	}

	@Benchmark
	public void nestedHold() {
		this.manager.acquire("nested").release();
	}

	@Benchmark
	public void nestedHoldWithIdleListener() {
		this.listenedManager.acquire("nested").release();
	}

}
