package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldAcquiredEvent;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.internal.FileIdentity;
import io.github.updatelock.internal.LockMarker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One manager shared by many threads: the lock file must exist exactly while at least one
 * hold is active, whatever the interleaving of acquisitions and releases, and whichever
 * thread releases.
 */
class ConcurrencyTests {

	private static final int THREADS = 8;

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	Path temporary;

	private Path lockFile;

	private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

	private UpdateLockManager manager;

	private ExecutorService executor;

	@BeforeEach
	void setUp() throws IOException {
		this.lockFile = Files.createDirectory(this.temporary.resolve("balena")).resolve("updates.lock");
		this.manager = UpdateLockManager.builder()
			.lockPath(this.lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.listener(this.events::add)
			.build();
		this.executor = Executors.newFixedThreadPool(THREADS);
	}

	@AfterEach
	void tearDown() {
		this.executor.shutdownNow();
		this.manager.close();
	}

	@Test
	void overlappingHoldsFromManyThreadsKeepTheFileExactlyWhileAnyIsActive() throws Exception {
		int rounds = 400;
		// Meeting every round makes the count fall to zero and rise again hundreds of times; the
		// jitter makes those crossings race with acquisitions and releases of other threads.
		CyclicBarrier round = new CyclicBarrier(THREADS);
		List<Callable<Integer>> workers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			String name = "worker-" + t;
			workers.add(() -> breakingOnFailure(round, () -> {
				int holds = 0;
				for (int r = 0; r < rounds; r++) {
					round.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
					jitter();
					UpdateLockHold outer = this.manager.acquire(name);
					holds++;
					Generation generation = assertHeldWithFile();
					UpdateLockHold inner = null;
					if (r % 3 == 0) {
						inner = this.manager.acquire(name + "-nested");
						holds++;
					}
					jitter();
					assertThat(assertHeldWithFile()).as("the file was replaced during a hold").isEqualTo(generation);
					outer.release();
					if (inner != null) {
						// Released out of order: the inner hold alone must still keep the same file.
						assertThat(assertHeldWithFile()).as("the file was replaced during a hold")
							.isEqualTo(generation);
						inner.release();
					}
				}
				return holds;
			}));
		}
		int holds = runAll(workers).stream().mapToInt(Integer::intValue).sum();
		assertReleasedWithoutFile();
		DeliveredEvents.await(this.manager);
		assertThat(this.events).filteredOn(UpdateLockHoldAcquiredEvent.class::isInstance).hasSize(holds);
		assertThat(this.events).filteredOn(UpdateLockHoldReleasedEvent.class::isInstance).hasSize(holds);
		List<UpdateLockEvent> created = this.events.stream().filter(UpdateLockAcquiredEvent.class::isInstance).toList();
		List<UpdateLockEvent> removed = this.events.stream().filter(UpdateLockReleasedEvent.class::isInstance).toList();
		assertThat(created).as("files created: the count fell to zero at the end of every round")
			.hasSizeGreaterThanOrEqualTo(rounds);
		assertThat(removed).as("every created file was removed by us").hasSameSizeAs(created)
			.allSatisfy((event) -> assertThat(((UpdateLockReleasedEvent) event).fileRemoved()).isTrue());
	}

	@Test
	void holdsReleasedByOtherThreadsThanTheirAcquirers() throws Exception {
		int acquirers = THREADS / 2;
		int perAcquirer = 250;
		UpdateLockHold keeper = this.manager.acquire("keeper");
		Generation generation = assertHeldWithFile();
		BlockingQueue<UpdateLockHold> handedOver = new LinkedBlockingQueue<>();
		CountDownLatch start = new CountDownLatch(1);
		List<Callable<Integer>> workers = new ArrayList<>();
		for (int a = 0; a < acquirers; a++) {
			String name = "acquirer-" + a;
			workers.add(() -> {
				start.await();
				for (int i = 0; i < perAcquirer; i++) {
					handedOver.add(this.manager.acquire(name));
				}
				return 0;
			});
		}
		for (int r = 0; r < THREADS - acquirers; r++) {
			workers.add(() -> {
				start.await();
				int released = 0;
				while (true) {
					UpdateLockHold hold = handedOver.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
					if (hold == null || hold == keeper) {
						return released;
					}
					hold.release();
					released++;
					assertThat(assertHeldWithFile()).as("the keeper's file was replaced").isEqualTo(generation);
				}
			});
		}
		List<Future<Integer>> running = submitAll(workers);
		start.countDown();
		for (Future<Integer> acquirer : running.subList(0, acquirers)) {
			get(acquirer);
		}
		// One stop marker per releaser, queued behind every hold.
		for (int r = 0; r < THREADS - acquirers; r++) {
			handedOver.add(keeper);
		}
		int released = 0;
		for (Future<Integer> releaser : running.subList(acquirers, THREADS)) {
			released += get(releaser);
		}
		assertThat(released).isEqualTo(acquirers * perAcquirer);
		assertThat(this.manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly("keeper");
		assertThat(assertHeldWithFile()).isEqualTo(generation);
		get(this.executor.submit(keeper::release));
		assertReleasedWithoutFile();
	}

	@Test
	void releasingTheSameHoldTwiceOrFromManyThreadsAtOnceCountsOnce() throws Exception {
		UpdateLockHold first = this.manager.acquire("first");
		UpdateLockHold second = this.manager.acquire("second");
		first.release();
		first.release();
		first.close();
		assertHeldWithFile();
		assertThat(this.manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly("second");
		CyclicBarrier start = new CyclicBarrier(THREADS);
		UpdateLockHold third = this.manager.acquire("third");
		List<Callable<Integer>> releasers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			releasers.add(() -> {
				start.await();
				third.release();
				return 0;
			});
		}
		runAll(releasers);
		assertHeldWithFile();
		assertThat(this.manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly("second");
		second.release();
		second.release();
		assertReleasedWithoutFile();
		// A count pushed below zero would now hand out a hold without creating the file.
		UpdateLockHold again = this.manager.acquire("again");
		assertHeldWithFile();
		assertThat(this.manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly("again");
		again.release();
		assertReleasedWithoutFile();
		DeliveredEvents.await(this.manager);
		assertThat(this.events).filteredOn(UpdateLockHoldReleasedEvent.class::isInstance).hasSize(4);
	}

	@Test
	void closeWhileThreadsReleaseTheirHoldsReleasesEachOnce() throws Exception {
		int perThread = 50;
		List<UpdateLockHold> holds = new ArrayList<>();
		for (int i = 0; i < THREADS * perThread; i++) {
			holds.add(this.manager.acquire("hold-" + i));
		}
		CyclicBarrier start = new CyclicBarrier(THREADS + 1);
		List<Callable<Integer>> releasers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			List<UpdateLockHold> mine = holds.subList(t * perThread, (t + 1) * perThread);
			releasers.add(() -> {
				start.await();
				mine.forEach(UpdateLockHold::release);
				return 0;
			});
		}
		List<Future<Integer>> running = submitAll(releasers);
		start.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		this.manager.close();
		for (Future<Integer> releaser : running) {
			get(releaser);
		}
		assertReleasedWithoutFile();
		assertThat(holds).allSatisfy((hold) -> assertThat(hold.isReleased()).isTrue());
		DeliveredEvents.await(this.manager);
		assertThat(this.events).filteredOn(UpdateLockHoldReleasedEvent.class::isInstance).hasSize(holds.size());
		assertThat(this.events).filteredOn(UpdateLockReleasedEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((UpdateLockReleasedEvent) event).fileRemoved()).isTrue());
	}

	@Test
	void closeWhileOtherThreadsKeepAcquiringLeavesNoFileBehind() throws Exception {
		// What a SIGTERM does: the shutdown hook closes the manager while the application's threads still work.
		for (int attempt = 0; attempt < 30; attempt++) {
			UpdateLockManager shared = UpdateLockManager.builder()
				.lockPath(this.lockFile)
				.environment(Map.of())
				.shutdownHook(false)
				.acquireTimeout(Duration.ZERO)
				.build();
			CyclicBarrier start = new CyclicBarrier(THREADS + 1);
			AtomicBoolean closeReturned = new AtomicBoolean();
			List<Callable<Integer>> workers = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				workers.add(() -> {
					start.await();
					int grantedAfterClose = 0;
					while (true) {
						boolean afterClose = closeReturned.get();
						UpdateLockHold hold;
						try {
							hold = shared.acquire("worker");
						}
						catch (IllegalStateException closed) {
							return grantedAfterClose;
						}
						if (afterClose) {
							grantedAfterClose++;
						}
						jitter();
						hold.release();
					}
				});
			}
			List<Future<Integer>> running = submitAll(workers);
			start.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			jitter();
			shared.close();
			closeReturned.set(true);
			int grantedAfterClose = 0;
			for (Future<Integer> worker : running) {
				grantedAfterClose += get(worker);
			}
			assertThat(grantedAfterClose).as("attempt %d: holds granted after close() returned", attempt).isZero();
			assertThat(shared.snapshot().holds()).as("attempt %d: holds after close", attempt).isEmpty();
			assertThat(Files.exists(this.lockFile, LinkOption.NOFOLLOW_LINKS))
				.as("attempt %d: lock file left behind by a closed manager", attempt)
				.isFalse();
		}
	}

	private static void jitter() {
		int spins = ThreadLocalRandom.current().nextInt(500);
		for (int i = 0; i < spins; i++) {
			Thread.onSpinWait();
		}
	}

	/**
	 * Asserts the state every active hold must see, and returns which file is there.
	 */
	private Generation assertHeldWithFile() throws IOException {
		UpdateLockSnapshot snapshot = this.manager.snapshot();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(snapshot.flockHeld()).isTrue();
		assertThat(snapshot.holds()).isNotEmpty();
		assertThat(Files.exists(this.lockFile, LinkOption.NOFOLLOW_LINKS)).as("lock file exists during a hold")
			.isTrue();
		return Generation.of(this.lockFile);
	}

	private void assertReleasedWithoutFile() {
		UpdateLockSnapshot snapshot = this.manager.snapshot();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.RELEASED);
		assertThat(snapshot.holds()).isEmpty();
		assertThat(snapshot.heldSince()).isNull();
		assertThat(Files.exists(this.lockFile, LinkOption.NOFOLLOW_LINKS)).as("lock file exists with no hold")
			.isFalse();
	}

	/** Runs the tasks on the pool and reports the first real failure rather than the barriers it broke. */
	private <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
		List<T> results = new ArrayList<>();
		List<Throwable> failures = new ArrayList<>();
		for (Future<T> future : submitAll(tasks)) {
			try {
				results.add(get(future));
			}
			catch (Exception | AssertionError ex) {
				failures.add(ex);
			}
		}
		if (failures.isEmpty()) {
			return results;
		}
		Throwable first = failures.stream()
			.filter((failure) -> !(failure instanceof BrokenBarrierException))
			.findFirst()
			.orElse(failures.get(0));
		failures.stream().filter((failure) -> failure != first).forEach(first::addSuppressed);
		if (first instanceof AssertionError error) {
			throw error;
		}
		throw (Exception) first;
	}

	/** A failed worker breaks the barrier, so that the others stop at once instead of waiting it out. */
	private static <T> T breakingOnFailure(CyclicBarrier barrier, Callable<T> work) throws Exception {
		try {
			return work.call();
		}
		catch (Exception | Error ex) {
			barrier.reset();
			throw ex;
		}
	}

	private <T> List<Future<T>> submitAll(List<Callable<T>> tasks) {
		return tasks.stream().map(this.executor::submit).toList();
	}

	/** Waits for a task and rethrows what failed in it, so the report shows the worker's assertion. */
	private static <T> T get(Future<T> future) throws Exception {
		try {
			return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		catch (TimeoutException ex) {
			throw new AssertionError("A worker did not finish within " + TIMEOUT, ex);
		}
	}

	/**
	 * Tells one lock file from a later one at the same path: the inode alone may be reused,
	 * the marker's creation time will not be.
	 */
	private record Generation(FileIdentity identity, Instant created) {

		static Generation of(Path file) throws IOException {
			LockMarker marker = LockMarker.parse(Files.readAllBytes(file))
				.orElseThrow(() -> new AssertionError("no marker in " + file));
			return new Generation(FileIdentity.of(file, LinkOption.NOFOLLOW_LINKS), marker.created());
		}

	}

}
