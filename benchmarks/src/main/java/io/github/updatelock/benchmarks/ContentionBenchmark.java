package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.event.UpdateLockAcquiredEvent;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Threads running short critical sections that overlap: throughput, and how many file
 * create/unlink cycles the reference count saves (the {@code fileCycles} counter; with full
 * overlap it stays far below the number of operations).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ContentionBenchmark {

	/** Work inside and outside the critical section, in JMH's CPU tokens (about a microsecond). */
	private static final long WORK_TOKENS = 500;

	/**
	 * The holds that had to create the file, all threads together. Counted by a listener, which
	 * runs on the manager's event thread, so no benchmark thread can count its own.
	 */
	private final LongAdder filesCreated = new LongAdder();

	private Path directory;

	private UpdateLockManager manager;

	@Setup
	public void setUp() throws IOException {
		this.directory = BenchmarkDirectories.create();
		this.manager = BenchmarkManagers.create(this.directory, (event) -> {
			if (event instanceof UpdateLockAcquiredEvent) {
				this.filesCreated.increment();
			}
		});
	}

	@TearDown
	public void tearDown() throws IOException {
		this.manager.close();
		BenchmarkDirectories.delete(this.directory);
	}

	/**
	 * Reported by JMH as counts summed over threads and iterations; operations are counted
	 * too, so that file cycles per operation can be read off the same run. The file cycles
	 * are counted for all threads at once, so only the first thread reports them: the count
	 * since its iteration began, as of its last operation.
	 */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class FileCycles {

		public long fileCycles;

		public long operations;

		private boolean reports;

		private long createdBefore;

		@Setup(Level.Iteration)
		public void reset(ThreadParams thread, ContentionBenchmark benchmark) {
			this.fileCycles = 0;
			this.operations = 0;
			this.reports = thread.getThreadIndex() == 0;
			this.createdBefore = benchmark.filesCreated.sum();
		}

	}

	@Benchmark
	@Threads(1)
	public void threads1(FileCycles cycles) {
		criticalSection(cycles);
	}

	@Benchmark
	@Threads(2)
	public void threads2(FileCycles cycles) {
		criticalSection(cycles);
	}

	@Benchmark
	@Threads(4)
	public void threads4(FileCycles cycles) {
		criticalSection(cycles);
	}

	@Benchmark
	@Threads(8)
	public void threads8(FileCycles cycles) {
		criticalSection(cycles);
	}

	private void criticalSection(FileCycles cycles) {
		try (UpdateLockHold hold = this.manager.acquire("section")) {
			Blackhole.consumeCPU(WORK_TOKENS);
		}
		Blackhole.consumeCPU(WORK_TOKENS);
		cycles.operations++;
		if (cycles.reports) {
			cycles.fileCycles = this.filesCreated.sum() - cycles.createdBefore;
		}
	}

}
