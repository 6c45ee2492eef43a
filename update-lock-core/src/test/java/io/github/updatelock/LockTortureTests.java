package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.event.UpdateLockLongHoldEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.internal.FileIdentity;
import io.github.updatelock.internal.LockMarker;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.Peer;
import io.github.updatelock.testsupport.LockPeers.Probe;
import io.github.updatelock.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Randomized interleavings of everyone who touches the lock path: two instances of the
 * application (the old and the new container of a hand-over update), each with several named
 * holders on several threads; the Supervisor taking and dropping its lock (procmail's
 * {@code lockfile} as uid 65534); its override (remove our file, take its own); the host OS
 * {@code safe_reboot} probe; and a listener of the application that blocks for several steps. A model says who should hold after every step; every invariant
 * is checked against the real managers, the real file and the real probe after every step:
 * <ul>
 * <li>never do two of our instances, nor one of them and the Supervisor, believe they hold;</li>
 * <li>a file we did not create is never deleted by us;</li>
 * <li>while an instance reports {@code HELD}, the file on disk is its own and the probe finds
 * it busy;</li>
 * <li>no hold is granted as protected while the path does not name our file: after a loss,
 * a new hold is a fresh acquisition, refused while anyone else holds the path;</li>
 * <li>after the last release no file of ours remains;</li>
 * <li>whichever way the wall clock steps (by up to 3 days, as NTP does on a device without a
 * real-time clock), no hold is older than the test, younger than zero, or long-running.</li>
 * </ul>
 * Every choice comes from the seed, so a failure replays with the seed it prints.
 */
class LockTortureTests {

	static final String ROUNDS_PROPERTY = "updatelock.torture.rounds";

	/** Each step runs a peer process or two: this keeps the test near 15 s on two idle cores. */
	private static final int DEFAULT_ROUNDS = 80;

	private static final int MIN_STEPS = 10;

	private static final int MAX_STEPS = 30;

	private static final String[] HOLDERS = { "scheduler", "http", "batch" };

	/** Threads besides the test's own: a hold is often released by another thread than its acquirer's. */
	private static final int HOLDER_THREADS = 3;

	private static final int BURST_CYCLES = 25;

	/** Short, so that an override's loss is noticed within a step rather than a second. */
	private static final Duration WATCH_INTERVAL = Duration.ofMillis(20);

	/** The semantics page asks for about a second; this adds room for a busy CI machine. */
	private static final Duration LOSS_NOTICED_WITHIN = Duration.ofSeconds(2);

	private static final int TRAIL_LENGTH = 15;

	private static final Duration MAX_CLOCK_STEP = Duration.ofDays(3);

	/** Held strongly: a logger configured through a weak reference can be collected with its level. */
	private static final Logger managerLogger = Logger.getLogger(UpdateLockManager.class.getName());

	@TempDir
	Path temporary;

	private Path lockDirectory;

	private Path lockFile;

	private final List<ExecutorService> holderThreads = new ArrayList<>();

	private final List<Instance> instances = new ArrayList<>();

	/** The Supervisor's file at the lock path, when the model says it holds. */
	private FileIdentity supervisorFile;

	/** The instance whose file is at the lock path, when the model says one holds. */
	private Instance diskOwner;

	private final Deque<String> trail = new ArrayDeque<>();

	private final Counts counts = new Counts();

	private Random random;

	/** The wall clock of both instances, stepped at random; durations must not follow it. */
	private final MutableClock wallClock = new MutableClock(Instant.now());

	/** When the test began on the monotonic clock: no hold can be older. */
	private final long startNanos = System.nanoTime();

	/** What the instances' listeners found wrong with a duration, checked after every step. */
	private final List<String> durationViolations = new CopyOnWriteArrayList<>();
	/** Drives the blocking listener only; seeded from the same seed. */
	private Random listenerRandom;

	private Level managerLogLevel;

	@BeforeEach
	void setUp() throws IOException {
		this.lockDirectory = LockPeers.lockDirectory(this.temporary);
		this.lockFile = this.lockDirectory.resolve("updates.lock");
		for (int i = 0; i < HOLDER_THREADS; i++) {
			String name = "holder-thread-" + (i + 1);
			this.holderThreads.add(Executors.newSingleThreadExecutor((task) -> new Thread(task, name)));
		}
		// Overrides are expected here by the hundred; their warnings would bury the summary.
		this.managerLogLevel = managerLogger.getLevel();
		managerLogger.setLevel(Level.SEVERE);
	}

	@AfterEach
	void tearDown() {
		this.holderThreads.forEach(ExecutorService::shutdownNow);
		this.instances.forEach((instance) -> instance.manager.close());
		managerLogger.setLevel(this.managerLogLevel);
	}

	@Test
	// Only a guard against a hang: every wait inside is bounded, and a normal run takes well under a minute.
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void invariantsHoldThroughRandomInterleavingsOfHoldersSupervisorOverridesAndTheProbe() throws Exception {
		LockPeers.require(Peer.SUPERVISOR);
		LockPeers.require(Peer.HOST_OS_PROBE);
		long seed = TortureSettings.seed();
		int rounds = TortureSettings.size(ROUNDS_PROPERTY, DEFAULT_ROUNDS);
		this.random = new Random(seed);
		this.listenerRandom = new Random(~seed);
		this.instances.add(new Instance("old"));
		this.instances.add(new Instance("new"));
		long start = System.nanoTime();
		for (int round = 0; round < rounds; round++) {
			try {
				int steps = MIN_STEPS + this.random.nextInt(MAX_STEPS - MIN_STEPS + 1);
				for (int step = 0; step < steps; step++) {
					randomStep();
				}
				drain();
			}
			catch (AssertionError | Exception ex) {
				throw new AssertionError("torture: seed=" + seed + " failed in round " + round + " after "
						+ this.counts.steps + " steps; replay with -D" + TortureSettings.SEED_PROPERTY + "=" + seed
						+ ". Last steps, oldest first:\n  " + String.join("\n  ", this.trail) + "\n" + ex.getMessage(),
						ex);
			}
			this.counts.rounds++;
		}
		System.out.println(this.counts.summary(seed, Duration.ofNanos(System.nanoTime() - start)));
		// Safety alone would pass if the interesting interleavings never happened.
		assertThat(this.counts.supervisorTakes).as("Supervisor takes").isPositive();
		assertThat(this.counts.supervisorRefusedWhileWeHeld).as("Supervisor refused while we held").isPositive();
		assertThat(this.counts.lostWhileHeld).as("overrides of a held lock").isPositive();
		assertThat(this.counts.regainsAfterLoss).as("locks taken again by a new hold after a loss").isPositive();
		assertThat(this.counts.clockSteps).as("wall clock steps").isPositive();
		assertThat(this.counts.listenersThatBlocked).as("listeners that blocked the delivery of events").isPositive();
	}

	private void randomStep() throws Exception {
		List<Step> possible = new ArrayList<>();
		int total = 0;
		for (Step step : Step.values()) {
			if (step.possible(this)) {
				possible.add(step);
				total += step.weight;
			}
		}
		int pick = this.random.nextInt(total);
		for (Step step : possible) {
			pick -= step.weight;
			if (pick < 0) {
				step.run(this);
				break;
			}
		}
		this.counts.steps++;
		checkInvariants();
		moveBlockingListener();
	}

	/**
	 * The blocking listener acts between the other steps, from a random stream of its own, so
	 * that it leaves the interleavings of the other actors as they were: it blocks on the next
	 * event of one instance, and returns a few steps later.
	 */
	private void moveBlockingListener() {
		boolean blocking = this.instances.stream().anyMatch((instance) -> instance.blockedListener != null);
		if (!blocking && this.listenerRandom.nextInt(10) == 0) {
			listenerBlocks();
		}
		else if (blocking && this.listenerRandom.nextInt(4) == 0) {
			listenerReturns();
		}
	}

	/** Everyone lets go, in a random order; then nothing may be left at the lock path. */
	private void drain() throws Exception {
		while (this.instances.stream().anyMatch((instance) -> instance.blockedListener != null)) {
			listenerReturns();
		}
		while (this.instances.stream().anyMatch((instance) -> !instance.holds.isEmpty())) {
			release();
			this.counts.steps++;
			checkInvariants();
		}
		if (this.supervisorFile != null) {
			supervisorLetsGo();
			this.counts.steps++;
			checkInvariants();
		}
		check(!Files.exists(this.lockFile, LinkOption.NOFOLLOW_LINKS), "a file is left after the last release");
		try (Stream<Path> left = Files.list(this.lockDirectory)) {
			List<Path> entries = left.toList();
			check(entries.isEmpty(), "entries left in the lock directory after the last release: " + entries);
		}
	}

	private void acquire() throws Exception {
		Instance instance = pickInstance();
		String holder = instance.name + "-" + HOLDERS[this.random.nextInt(HOLDERS.length)];
		int thread = this.random.nextInt(HOLDER_THREADS + 1);
		UpdateLockBlocker expectedBlocker = null;
		// A hold never joins a lost lock: it must take the path anew, like a first hold.
		boolean fresh = instance.holds.isEmpty() || instance.lost;
		if (fresh && !free()) {
			expectedBlocker = (this.diskOwner != null) ? UpdateLockBlocker.LIVE_INSTANCE : UpdateLockBlocker.SUPERVISOR;
		}
		boolean creates = fresh && expectedBlocker == null;
		note("acquire " + holder + " on " + threadName(thread) + " (expect "
				+ ((expectedBlocker != null) ? "refusal by " + expectedBlocker : creates ? "a new file" : "a join")
				+ ")");
		Attempt attempt = onThread(thread, () -> attempt(instance.manager, holder));
		if (expectedBlocker != null) {
			check(attempt.hold() == null, holder + " was granted although " + expectedBlocker + " holds");
			check(attempt.blocker() == expectedBlocker,
					holder + " was refused by " + attempt.blocker() + ", expected " + expectedBlocker);
			this.counts.refusals++;
			return;
		}
		check(attempt.hold() != null, holder + " was refused by " + attempt.blocker() + " although "
				+ (creates ? "the path was free" : "its instance already held"));
		instance.holds.add(attempt.hold());
		this.counts.grants++;
		if (creates) {
			instance.file = FileIdentity.ofEntryOrNull(this.lockFile);
			check(instance.file != null, holder + " was granted but no file is at the path");
			this.diskOwner = instance;
			if (instance.lost) {
				this.counts.regainsAfterLoss++;
			}
			instance.lost = false;
		}
		checkGrantIsProtected(instance, holder);
	}

	/** A granted hold that the manager calls protected must be protected by a file of its own. */
	private void checkGrantIsProtected(Instance instance, String holder) {
		if (instance.manager.snapshot().protecting()) {
			check(instance.manager.inspectLockFile().ours(), holder + " was granted as protected but the path does "
					+ "not name its instance's file");
		}
		else {
			check(instance.lost, holder + " was granted unprotected although its instance did not lose the lock");
		}
	}

	private void release() throws Exception {
		List<Instance> holding = this.instances.stream().filter((instance) -> !instance.holds.isEmpty()).toList();
		Instance instance = holding.get(this.random.nextInt(holding.size()));
		UpdateLockHold hold = instance.holds.remove(this.random.nextInt(instance.holds.size()));
		int thread = this.random.nextInt(HOLDER_THREADS + 1);
		boolean last = instance.holds.isEmpty();
		note("release " + hold.name() + " #" + hold.id() + " of " + instance.name + " on " + threadName(thread)
				+ (last ? (instance.lost ? " (last, lost: leave the path alone)" : " (last: remove our file)") : ""));
		boolean eventsArrive = instance.blockedListener == null;
		int releasesBefore = eventsArrive ? instance.fileReleases().size() : 0;
		onThread(thread, () -> {
			hold.release();
			return null;
		});
		// Behind a blocked listener the events wait; the invariants after the step still check the lock itself.
		if (eventsArrive) {
			List<UpdateLockReleasedEvent> releases = instance.fileReleases();
			if (!last) {
				check(releases.size() == releasesBefore,
						"the file was let go while holds of " + instance.name + " remain");
			}
			else {
				check(releases.size() == releasesBefore + 1,
						"the last release of " + instance.name + " let go of no file");
				boolean removed = releases.get(releases.size() - 1).fileRemoved();
				check(removed == !instance.lost, instance.lost ? "a lost lock's release removed what was at the path"
						: "the last release did not remove our own file");
			}
		}
		if (!last) {
			return;
		}
		if (!instance.lost) {
			this.diskOwner = null;
		}
		instance.lost = false;
		instance.file = null;
	}

	private void supervisorTakes() throws Exception {
		boolean expected = free();
		note("Supervisor: lockfile -r 0 as uid 65534 (expect " + (expected ? "success" : "exit code 73") + ")");
		boolean took = LockPeers.supervisorLocks(this.lockFile);
		if (!expected) {
			check(!took, "procmail lockfile took the lock although "
					+ ((this.diskOwner != null) ? this.diskOwner.name + " holds it" : "the Supervisor already does"));
			if (this.diskOwner != null) {
				this.counts.supervisorRefusedWhileWeHeld++;
			}
			return;
		}
		check(took, "procmail lockfile was refused although the path was free");
		this.supervisorFile = FileIdentity.ofEntryOrNull(this.lockFile);
		this.counts.supervisorTakes++;
		// Right after the Supervisor took it, nobody of ours may get in, nor remove its file.
		for (Instance instance : this.instances) {
			if (instance.holds.isEmpty() || instance.lost) {
				Attempt attempt = attempt(instance.manager, instance.name + "-after-supervisor");
				check(attempt.hold() == null && attempt.blocker() == UpdateLockBlocker.SUPERVISOR,
						instance.name + " was not refused by the Supervisor's fresh lock: " + attempt);
				this.counts.refusals++;
			}
		}
	}

	private void supervisorLetsGo() {
		note("Supervisor: removes its lock");
		check(this.supervisorFile.equals(FileIdentity.ofEntryOrNull(this.lockFile)),
				"the Supervisor's file is gone before it let go");
		LockPeers.supervisorUnlocks(this.lockFile);
		this.supervisorFile = null;
	}

	private void override() throws IOException {
		Instance victim = this.diskOwner;
		note("Supervisor: override (rm -f, then lockfile as uid 65534)"
				+ ((victim != null) ? ", " + victim.name + " loses its lock" : ""));
		LockPeers.supervisorOverrides(this.lockFile);
		this.supervisorFile = FileIdentity.ofEntryOrNull(this.lockFile);
		this.diskOwner = null;
		this.counts.overrides++;
		if (victim != null) {
			victim.lost = true;
			this.counts.lostWhileHeld++;
			// Noticing takes up to a watch interval; until then the manager cannot know, so the
			// step ends only once it does (or the bound is exceeded, which fails the test).
			await().pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(5))
				.atMost(LOSS_NOTICED_WITHIN)
				.until(() -> victim.manager.snapshot().status() == UpdateLockStatus.LOST);
		}
	}

	private void probe() {
		Probe expected = (this.diskOwner != null) ? Probe.BUSY : Probe.FREE;
		note("host OS probe (expect " + expected + ")");
		Probe found = LockPeers.hostOsProbe(this.lockFile);
		this.counts.probes++;
		check(found == expected, "the host OS probe found the lock " + found + ", expected " + expected);
	}

	/**
	 * Several threads take and drop holds of one instance at once: all are granted or all
	 * refused. Sometimes the host OS probe runs meanwhile, as it does every 5 s whatever the
	 * application is doing: its brief flock must not cost us a grant.
	 */
	private void burst() throws Exception {
		Instance instance = pickInstance();
		int threads = 2 + this.random.nextInt(HOLDER_THREADS - 1);
		boolean probing = this.random.nextBoolean();
		boolean regains = instance.lost && free();
		boolean granted = (!instance.holds.isEmpty() && !instance.lost) || free();
		note("burst on " + instance.name + ": " + threads + " threads x " + BURST_CYCLES + " cycles"
				+ (probing ? " with the probe running" : "") + " (expect " + (granted ? "grants" : "refusals") + ")");
		boolean eventsArrive = instance.blockedListener == null;
		int releasesBefore = eventsArrive ? instance.fileReleases().size() : 0;
		CyclicBarrier start = new CyclicBarrier(threads);
		List<Future<List<Attempt>>> running = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			String holder = instance.name + "-burst-" + t;
			running.add(this.holderThreads.get(t).submit(() -> {
				start.await(LockPeers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				List<Attempt> attempts = new ArrayList<>();
				for (int c = 0; c < BURST_CYCLES; c++) {
					Attempt attempt = attempt(instance.manager, holder);
					attempts.add(attempt);
					if (attempt.hold() != null) {
						attempt.hold().release();
					}
				}
				return attempts;
			}));
		}
		if (probing) {
			// Busy or free, depending on the moment it looks; only the burst's outcome is certain.
			LockPeers.hostOsProbe(this.lockFile);
			this.counts.probesDuringBursts++;
		}
		for (Future<List<Attempt>> thread : running) {
			for (Attempt attempt : get(thread)) {
				check((attempt.hold() != null) == granted, "a burst attempt ended with " + attempt);
				if (granted) {
					this.counts.grants++;
				}
				else {
					this.counts.refusals++;
				}
			}
		}
		if (regains) {
			// The first of the burst took the path again for the holds that ran on after the loss.
			instance.file = FileIdentity.ofEntryOrNull(this.lockFile);
			check(instance.file != null, "a burst after a loss was granted but no file is at the path");
			this.diskOwner = instance;
			instance.lost = false;
			this.counts.regainsAfterLoss++;
		}
		if (!eventsArrive) {
			return;
		}
		List<UpdateLockReleasedEvent> releases = instance.fileReleases();
		List<UpdateLockReleasedEvent> burstReleases = releases.subList(releasesBefore, releases.size());
		if (!instance.holds.isEmpty() || !granted) {
			check(burstReleases.isEmpty(), "a burst let go of a file it did not create: " + burstReleases);
		}
		else {
			check(!burstReleases.isEmpty() && burstReleases.stream().allMatch(UpdateLockReleasedEvent::fileRemoved),
					"the burst's own files were not all removed: " + burstReleases);
		}
	}

	/** NTP sets the wall clock, forwards or backwards, by up to {@link #MAX_CLOCK_STEP}. */
	private void stepClock() {
		long seconds = 1 + (long) (this.random.nextDouble() * MAX_CLOCK_STEP.toSeconds());
		Duration step = Duration.ofSeconds(this.random.nextBoolean() ? seconds : -seconds);
		note("wall clock steps by " + step);
		this.wallClock.set(this.wallClock.instant().plus(step));
		this.counts.clockSteps++;
	}

	/** Called by the managers for every event: a duration is never negative, nor older than the test. */
	private void checkDurations(UpdateLockEvent event) {
		if (event instanceof UpdateLockLongHoldEvent longHold) {
			this.durationViolations.add("a hold of a test younger than the long-hold warning was reported "
					+ "long-running: " + longHold);
		}
		else if (event instanceof UpdateLockHoldReleasedEvent released && !plausible(released.heldFor())) {
			this.durationViolations.add("a released hold was held for " + released.heldFor());
		}
	}

	private boolean plausible(Duration age) {
		return !age.isNegative() && age.compareTo(Duration.ofNanos(System.nanoTime() - this.startNanos)) <= 0;
	}

	/** An orderly restart of one instance: close() releases its holds, a new manager takes its place. */
	private void restart() {
		Instance instance = pickInstance();
		note("restart " + instance.name + " (close with " + instance.holds.size() + " holds"
				+ (instance.lost ? ", lost" : "") + ")");
		boolean eventsArrive = instance.blockedListener == null;
		int releasesBefore = eventsArrive ? instance.fileReleases().size() : 0;
		instance.manager.close();
		check(instance.holds.stream().allMatch(UpdateLockHold::isReleased), "close() left a hold unreleased");
		List<UpdateLockReleasedEvent> releases = eventsArrive ? instance.fileReleases() : List.of();
		if (!eventsArrive) {
			// close() gave up on the events a blocked listener held up, and let the listener go.
			if (!instance.holds.isEmpty() && !instance.lost) {
				this.diskOwner = null;
			}
			instance.blockedListener = null;
		}
		else if (!instance.holds.isEmpty()) {
			List<UpdateLockReleasedEvent> closing = releases.subList(releasesBefore, releases.size());
			check(closing.size() == 1 && closing.get(0).fileRemoved() == !instance.lost,
					"close() of " + instance.name + " let go wrongly: " + closing);
			if (!instance.lost) {
				this.diskOwner = null;
			}
		}
		else {
			check(releases.size() == releasesBefore, "close() of " + instance.name + " without holds let go of a file");
		}
		instance.holds.clear();
		instance.lost = false;
		instance.file = null;
		instance.manager = instance.newManager();
	}

	/**
	 * An application's listener that blocks on the next event of one instance, until a later
	 * step lets it return: the lock must go on deciding as if nobody listened.
	 */
	private void listenerBlocks() {
		Instance instance = this.instances.get(this.listenerRandom.nextInt(this.instances.size()));
		note("a listener of " + instance.name + " blocks on its next event");
		BlockingListener listener = new BlockingListener();
		instance.blockedListener = listener;
		instance.manager.addListener(listener);
		this.counts.blockedListeners++;
	}

	private void listenerReturns() {
		Instance instance = this.instances.stream().filter((candidate) -> candidate.blockedListener != null)
			.findFirst()
			.orElseThrow();
		note("the blocked listener of " + instance.name + " returns");
		BlockingListener listener = instance.blockedListener;
		if (listener.blocked.getCount() == 0) {
			this.counts.listenersThatBlocked++;
		}
		listener.unblock.countDown();
		instance.manager.removeListener(listener);
		instance.blockedListener = null;
		DeliveredEvents.await(instance.manager);
	}

	/**
	 * Everything that must be true between two steps, checked against the real managers, the
	 * real file and the real probe; the model only says what to expect.
	 */
	private void checkInvariants() throws IOException {
		int reportHeld = 0;
		for (Instance instance : this.instances) {
			UpdateLockSnapshot snapshot = instance.manager.snapshot();
			UpdateLockStatus expected = instance.holds.isEmpty() ? UpdateLockStatus.RELEASED
					: instance.lost ? UpdateLockStatus.LOST : UpdateLockStatus.HELD;
			check(snapshot.status() == expected, instance.name + " reports " + snapshot.status() + ", expected "
					+ expected);
			check(snapshot.holds().stream().map(ActiveHold::id).sorted().toList()
				.equals(instance.holds.stream().map(UpdateLockHold::id).sorted().toList()),
					instance.name + " reports holds " + snapshot.holds() + ", expected " + instance.holds);
			// Nobody dies in this test: a reclaim would have removed a live instance's file.
			check(snapshot.staleReclaims() == 0, instance.name + " reclaimed a file as stale");
			for (ActiveHold hold : snapshot.holds()) {
				check(plausible(hold.age()) && !hold.longRunning(),
						instance.name + " reports an implausible age after wall clock steps: " + hold);
			}
			if (snapshot.status() == UpdateLockStatus.HELD) {
				reportHeld++;
				check(snapshot.flockHeld(), instance.name + " reports HELD without its flock");
				check(instance.manager.inspectLockFile().ours(), instance.name + " reports HELD but the file at the "
						+ "path is not its own");
				check(markerPid() == ProcessHandle.current().pid(), instance.name + " reports HELD but the file at "
						+ "the path carries no marker of this process");
			}
		}
		check(this.durationViolations.isEmpty(), String.join("; ", this.durationViolations));
		check(reportHeld <= 1, reportHeld + " instances report HELD at once");
		check(reportHeld == 0 || this.supervisorFile == null,
				"an instance reports HELD while the Supervisor's lockfile believes it holds");
		FileIdentity atPath = FileIdentity.ofEntryOrNull(this.lockFile);
		if (this.supervisorFile != null) {
			check(this.supervisorFile.equals(atPath), "the Supervisor's file was removed or replaced by someone "
					+ "else: it was " + this.supervisorFile + ", the path has " + atPath);
			check(Integer.valueOf(LockPeers.SUPERVISOR_UID).equals(Files.getAttribute(this.lockFile, "unix:uid",
					LinkOption.NOFOLLOW_LINKS)), "the file at the path is not owned by uid " + LockPeers.SUPERVISOR_UID);
		}
		else if (this.diskOwner != null) {
			check(this.diskOwner.file.equals(atPath), "the file of " + this.diskOwner.name + " was removed or "
					+ "replaced: it was " + this.diskOwner.file + ", the path has " + atPath);
		}
		else {
			check(atPath == null, "a file is at the path although nobody holds the lock");
		}
		if (reportHeld > 0) {
			check(LockPeers.hostOsProbe(this.lockFile) == Probe.BUSY,
					"the host OS probe finds the lock free while an instance reports HELD");
			this.counts.probes++;
		}
		try (Stream<Path> entries = Files.list(this.lockDirectory)) {
			check(entries.allMatch(this.lockFile::equals), "an entry other than the lock file is in the directory");
		}
	}

	private long markerPid() {
		try {
			return LockMarker.parse(Files.readAllBytes(this.lockFile)).map(LockMarker::pid).orElse(-1L);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private void check(boolean invariant, String violation) {
		this.counts.invariantChecks++;
		if (!invariant) {
			throw new AssertionError(violation);
		}
	}

	private boolean free() {
		return this.diskOwner == null && this.supervisorFile == null;
	}

	private Instance pickInstance() {
		return this.instances.get(this.random.nextInt(this.instances.size()));
	}

	private void note(String step) {
		if (this.trail.size() == TRAIL_LENGTH) {
			this.trail.removeFirst();
		}
		this.trail.addLast(step);
	}

	private static Attempt attempt(UpdateLockManager manager, String holder) {
		try {
			return new Attempt(manager.acquire(holder, Duration.ZERO), null);
		}
		catch (UpdateLockTimeoutException ex) {
			return new Attempt(null, ex.getBlocker());
		}
	}

	private <T> T onThread(int thread, Callable<T> work) throws Exception {
		return (thread == 0) ? work.call() : get(this.holderThreads.get(thread - 1).submit(work));
	}

	private static String threadName(int thread) {
		return (thread == 0) ? "the test thread" : "holder-thread-" + thread;
	}

	/** Waits for work on a holder thread and rethrows what failed in it, so the report shows the cause. */
	private static <T> T get(Future<T> future) throws Exception {
		try {
			return future.get(LockPeers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		catch (TimeoutException ex) {
			throw new AssertionError("Work on a holder thread did not finish within " + LockPeers.TIMEOUT, ex);
		}
	}

	private enum Step {

		ACQUIRE(30) {
			@Override
			void run(LockTortureTests test) throws Exception {
				test.acquire();
			}
		},

		RELEASE(25) {
			@Override
			boolean possible(LockTortureTests test) {
				return test.instances.stream().anyMatch((instance) -> !instance.holds.isEmpty());
			}

			@Override
			void run(LockTortureTests test) throws Exception {
				test.release();
			}
		},

		SUPERVISOR_TAKES(12) {
			@Override
			void run(LockTortureTests test) throws Exception {
				test.supervisorTakes();
			}
		},

		SUPERVISOR_LETS_GO(12) {
			@Override
			boolean possible(LockTortureTests test) {
				return test.supervisorFile != null;
			}

			@Override
			void run(LockTortureTests test) {
				test.supervisorLetsGo();
			}
		},

		OVERRIDE(4) {
			@Override
			void run(LockTortureTests test) throws IOException {
				test.override();
			}
		},

		PROBE(6) {
			@Override
			void run(LockTortureTests test) {
				test.probe();
			}
		},

		BURST(4) {
			@Override
			void run(LockTortureTests test) throws Exception {
				test.burst();
			}
		},

		RESTART(2) {
			@Override
			void run(LockTortureTests test) {
				test.restart();
			}
		},

		CLOCK_STEP(3) {
			@Override
			void run(LockTortureTests test) {
				test.stepClock();
			}
		};

		private final int weight;

		Step(int weight) {
			this.weight = weight;
		}

		boolean possible(LockTortureTests test) {
			return true;
		}

		abstract void run(LockTortureTests test) throws Exception;

	}

	/** One instance of the application: the real manager, and what the model expects of it. */
	private final class Instance {

		private final String name;

		private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

		private UpdateLockManager manager;

		/** The holds the model says are active. */
		private final List<UpdateLockHold> holds = new ArrayList<>();

		/** Whether the model says our file was overridden while held. */
		private boolean lost;

		/** The file this instance created, while it holds. */
		private FileIdentity file;

		/** A listener of the application that blocks the delivery of this instance's events, or {@code null}. */
		private BlockingListener blockedListener;

		Instance(String name) {
			this.name = name;
			this.manager = newManager();
		}

		UpdateLockManager newManager() {
			this.events.clear();
			return UpdateLockManager.builder()
				.lockPath(LockTortureTests.this.lockFile)
				.environment(Map.of())
				.shutdownHook(false)
				.watchInterval(WATCH_INTERVAL)
				.clock(LockTortureTests.this.wallClock)
				.listener(this.events::add)
				.listener(LockTortureTests.this::checkDurations)
				.build();
		}

		List<UpdateLockReleasedEvent> fileReleases() {
			DeliveredEvents.await(this.manager);
			return this.events.stream()
				.filter(UpdateLockReleasedEvent.class::isInstance)
				.map(UpdateLockReleasedEvent.class::cast)
				.toList();
		}

	}

	/** A single try to take a hold: the hold, or who refused it. */
	private record Attempt(UpdateLockHold hold, UpdateLockBlocker blocker) {
	}

	/** Blocks on the first event it receives until let go (or interrupted by the manager's close). */
	private static final class BlockingListener implements UpdateLockListener {

		private final CountDownLatch blocked = new CountDownLatch(1);

		private final CountDownLatch unblock = new CountDownLatch(1);

		@Override
		public void onEvent(UpdateLockEvent event) {
			if (this.blocked.getCount() > 0) {
				this.blocked.countDown();
				try {
					this.unblock.await(LockPeers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

	private static final class Counts {

		private int rounds;

		private int steps;

		private long invariantChecks;

		private int supervisorTakes;

		private int supervisorRefusedWhileWeHeld;

		private int overrides;

		private int lostWhileHeld;

		private int regainsAfterLoss;

		private int probes;

		private int probesDuringBursts;

		private int grants;

		private int refusals;

		private int clockSteps;

		private int blockedListeners;

		private int listenersThatBlocked;

		String summary(long seed, Duration elapsed) {
			return "torture: seed=" + seed + " rounds=" + this.rounds + " steps=" + this.steps + " invariantChecks="
					+ this.invariantChecks + " supervisorTakes=" + this.supervisorTakes
					+ " supervisorRefusedWhileWeHeld=" + this.supervisorRefusedWhileWeHeld + " overrides="
					+ this.overrides + " lostWhileHeld=" + this.lostWhileHeld + " regainsAfterLoss=" + this.regainsAfterLoss
					+ " probes=" + this.probes
					+ " probesDuringBursts=" + this.probesDuringBursts + " grants=" + this.grants + " refusals="
					+ this.refusals + " clockSteps=" + this.clockSteps
					+ " blockedListeners=" + this.blockedListeners + " listenersThatBlocked="
					+ this.listenersThatBlocked + " elapsed=" + elapsed.toMillis() + "ms";
		}

	}

}
