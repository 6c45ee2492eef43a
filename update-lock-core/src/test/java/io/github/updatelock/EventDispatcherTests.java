package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldAcquiredEvent;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.event.UpdateLockLostEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listeners run on a thread of their own: one that blocks delays neither the watch nor an
 * acquisition, and events reach them in the order the state changed.
 */
class EventDispatcherTests {

	private static final Duration WATCH_INTERVAL = Duration.ofMillis(100);

	/** The watch's interval and then some: a loss is seen by the next round at the latest. */
	private static final Duration LOSS_NOTICED_WITHIN = Duration.ofSeconds(2);

	@TempDir
	Path temporary;

	private Path lockFile;

	private final List<UpdateLockManager> managers = new ArrayList<>();

	/** Lets every blocked listener go, so that no test leaves a thread waiting. */
	private final CountDownLatch unblock = new CountDownLatch(1);

	@BeforeEach
	void createLockDirectory() throws IOException {
		this.lockFile = LockPeers.lockDirectory(this.temporary).resolve("updates.lock");
	}

	@AfterEach
	void closeManagers() {
		this.unblock.countDown();
		this.managers.forEach(UpdateLockManager::close);
	}

	@Test
	void aListenerBlockedOnALossDelaysNeitherTheNextLossNorAnHonestSnapshot() throws Exception {
		CountDownLatch listenerBlocked = new CountDownLatch(1);
		UpdateLockManager manager = manager((event) -> {
			if (event instanceof UpdateLockLostEvent) {
				listenerBlocked.countDown();
				awaitQuietly(this.unblock, Duration.ofSeconds(10));
			}
		});
		UpdateLockHold first = manager.acquire("first");
		Files.delete(this.lockFile);
		await().atMost(LOSS_NOTICED_WITHIN).until(() -> manager.snapshot().status() == UpdateLockStatus.LOST);
		assertThat(listenerBlocked.await(5, TimeUnit.SECONDS)).isTrue();

		UpdateLockHold second = manager.acquire("second");
		assertThat(manager.inspectLockFile().ours()).isTrue();
		Files.delete(this.lockFile);
		await().atMost(LOSS_NOTICED_WITHIN).until(() -> manager.snapshot().status() == UpdateLockStatus.LOST);

		UpdateLockHold third = manager.acquire("third");
		UpdateLockSnapshot snapshot = manager.snapshot();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(manager.inspectLockFile().ours()).as("a HELD snapshot names our file").isTrue();
		assertThat(snapshot.holds()).extracting(ActiveHold::name).containsExactly("first", "second", "third");
		assertThat(listenerBlocked.getCount()).isZero();
		third.release();
		second.release();
		first.release();
	}

	@Test
	void eventsArriveInTheOrderTheLockChanged() throws Exception {
		Queue<UpdateLockEvent> delivered = new ConcurrentLinkedQueue<>();
		UpdateLockManager manager = manager(delivered::add);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> cycles = new ArrayList<>();
			for (int thread = 0; thread < 4; thread++) {
				String name = "cycle-" + thread;
				cycles.add(threads.submit(() -> {
					for (int round = 0; round < 300; round++) {
						manager.acquire(name, Duration.ofSeconds(10)).release();
					}
				}));
			}
			for (Future<?> cycle : cycles) {
				cycle.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> delivered.stream().filter(UpdateLockHoldReleasedEvent.class::isInstance).count() == 1200);
		assertThat(manager.snapshot().holds()).isEmpty();
		assertThat(manager.droppedEvents()).isZero();

		long previous = 0;
		boolean fileHeld = false;
		Map<Long, Boolean> holdActive = new HashMap<>();
		for (UpdateLockEvent event : delivered) {
			assertThat(event.sequence()).as("sequence of %s", event).isGreaterThan(previous);
			previous = event.sequence();
			if (event instanceof UpdateLockAcquiredEvent) {
				assertThat(fileHeld).as("%s without a release before it", event).isFalse();
				fileHeld = true;
			}
			else if (event instanceof UpdateLockReleasedEvent) {
				assertThat(fileHeld).as("%s without an acquisition before it", event).isTrue();
				fileHeld = false;
			}
			else if (event instanceof UpdateLockHoldAcquiredEvent acquired) {
				assertThat(fileHeld).as("%s outside a held lock", event).isTrue();
				assertThat(holdActive.put(acquired.hold().id(), true)).isNull();
			}
			else if (event instanceof UpdateLockHoldReleasedEvent released) {
				assertThat(fileHeld).as("%s after the file's release", event).isTrue();
				assertThat(holdActive.put(released.hold().id(), false)).as("%s before it was granted", event)
					.isTrue();
			}
		}
		assertThat(holdActive).hasSize(1200).doesNotContainValue(true);
	}

	/**
	 * A listener that reads the snapshot when an acquisition reaches it finds the lock held,
	 * never the moment before: a Supervisor monitor starts polling on this event, and a poll
	 * that found the lock released would stop for good. Before the event came after the hold
	 * counted, about one round in six found it released.
	 */
	@Test
	void aListenerFindsTheLockHeldWhenTheAcquisitionReachesIt() throws InterruptedException {
		BlockingQueue<UpdateLockSnapshot> seen = new LinkedBlockingQueue<>();
		AtomicReference<UpdateLockManager> self = new AtomicReference<>();
		UpdateLockManager manager = manager((event) -> {
			if (event instanceof UpdateLockAcquiredEvent) {
				seen.add(self.get().snapshot());
			}
		});
		self.set(manager);
		for (int round = 0; round < 2000; round++) {
			String name = "round-" + round;
			// The hold lasts until the listener has looked, so what it sees cannot be a later release.
			try (UpdateLockHold hold = manager.acquire(name)) {
				UpdateLockSnapshot snapshot = seen.poll(10, TimeUnit.SECONDS);
				assertThat(snapshot).as("what the listener saw in round %d", round).isNotNull();
				assertThat(snapshot.status()).as("status the listener saw in round %d", round)
					.isEqualTo(UpdateLockStatus.HELD);
				assertThat(snapshot.holds()).extracting(ActiveHold::name).containsExactly(name);
			}
		}
	}

	@Test
	void noListenerRunsOnTheThreadThatTookTheHold() {
		List<String> threads = new CopyOnWriteArrayList<>();
		UpdateLockManager manager = manager((event) -> threads.add(Thread.currentThread().getName()));
		manager.acquire("caller").release();
		await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 4);
		assertThat(threads).containsOnly(EventDispatcher.THREAD_NAME);
	}

	@Test
	void aFullQueueDropsAndCountsEventsWithoutDelayingTheLock() {
		CountDownLatch listenerBlocked = new CountDownLatch(1);
		List<UpdateLockEvent> delivered = new CopyOnWriteArrayList<>();
		UpdateLockManager manager = manager((event) -> {
			listenerBlocked.countDown();
			awaitQuietly(this.unblock, Duration.ofSeconds(10));
			delivered.add(event);
		});
		UpdateLockHold outer = manager.acquire("outer");
		for (int nested = 0; nested < EventDispatcher.CAPACITY; nested++) {
			manager.acquire("nested").release();
		}
		assertThat(manager.droppedEvents()).isPositive();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		outer.release();
		assertThat(this.lockFile).doesNotExist();
		this.unblock.countDown();
		long dropped = manager.droppedEvents();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> delivered.size() + dropped == 2L * EventDispatcher.CAPACITY + 4);
	}

	@Test
	void closeReleasesTheLockWhileAListenerBlocks() throws Exception {
		CountDownLatch listenerBlocked = new CountDownLatch(1);
		UpdateLockManager manager = manager((event) -> {
			listenerBlocked.countDown();
			awaitQuietly(this.unblock, Duration.ofSeconds(10));
		});
		manager.acquire("work");
		assertThat(listenerBlocked.await(5, TimeUnit.SECONDS)).isTrue();
		manager.close();
		assertThat(this.lockFile).doesNotExist();
		assertThat(manager.droppedEvents()).as("the queued events that close gave up on").isPositive();
	}

	private UpdateLockManager manager(UpdateLockListener listener) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(this.lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			.watchInterval(WATCH_INTERVAL)
			.listener(listener)
			.build();
		this.managers.add(manager);
		return manager;
	}

	private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
		try {
			latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
