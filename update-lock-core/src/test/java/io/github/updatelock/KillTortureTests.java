package io.github.updatelock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.updatelock.CrashRecoveryTests.Entry;
import io.github.updatelock.CrashRecoveryTests.ForeignEntry;
import io.github.updatelock.event.StaleUpdateLockReclaimedEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.Peer;
import io.github.updatelock.testsupport.LockPeers.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Fault injection: a child JVM takes and releases holds (some nested, from two threads) as
 * fast as it can and is killed with SIGKILL after a random delay, over and over. Whatever
 * the kill left behind, a new manager (the restarted container) must reach a clean state at
 * once: a file of the dead child is reclaimed, nothing else is ever removed, and once the
 * new manager lets go, no file is left. In some rounds someone else's entry is in the way
 * while the child churns; it must survive the child, its death and the new manager.
 */
class KillTortureTests {

	static final String KILLS_PROPERTY = "updatelock.torture.kills";

	/** A child JVM takes about half a second to start: this keeps the test near 12 s on two idle cores. */
	private static final int DEFAULT_KILLS = 30;

	/** Far longer than one loop of the child, so the kill lands at a random point of its work. */
	private static final int MAX_KILL_DELAY_MILLIS = 150;

	/** The Supervisor's single tries to slip into a moment when the churning child holds nothing. */
	private static final int SUPERVISOR_TRIES = 200;

	/** Below this many kills, a seed may by chance never leave a stale file (or never leave none). */
	private static final int KILLS_FOR_COVERAGE = 20;

	@TempDir
	Path temporary;

	private Path lockDirectory;

	private Path lockFile;

	private ScheduledExecutorService killer;

	@BeforeEach
	void setUp() throws IOException {
		this.lockDirectory = LockPeers.lockDirectory(this.temporary);
		this.lockFile = this.lockDirectory.resolve("updates.lock");
		this.killer = Executors.newSingleThreadScheduledExecutor();
	}

	@AfterEach
	void tearDown() {
		this.killer.shutdownNow();
	}

	@Test
	// Only a guard against a hang: every wait inside is bounded, and a normal run takes well under a minute.
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void aNewManagerAlwaysReachesACleanStateAfterAChildIsKilledAtARandomPoint() throws Exception {
		LockPeers.require(Peer.SUPERVISOR);
		LockPeers.require(Peer.HOST_OS_PROBE);
		long seed = TortureSettings.seed();
		int kills = TortureSettings.size(KILLS_PROPERTY, DEFAULT_KILLS);
		Random random = new Random(seed);
		Counts counts = new Counts();
		long start = System.nanoTime();
		for (int round = 0; round < kills; round++) {
			Round plan = Round.next(random);
			try {
				killAndRecover(plan, counts);
			}
			catch (AssertionError | Exception ex) {
				throw new AssertionError("kill-torture: seed=" + seed + " failed in round " + round + " (" + plan
						+ "); replay with -D" + TortureSettings.SEED_PROPERTY + "=" + seed + ": " + ex.getMessage(),
						ex);
			}
		}
		System.out.println(counts.summary(seed, Duration.ofNanos(System.nanoTime() - start)));
		assertThat(counts.staleReclaims + counts.cleanStarts).as("every kill ended in a clean start").isEqualTo(kills);
		if (kills >= KILLS_FOR_COVERAGE) {
			// Safety alone would pass if the kills always landed while nothing was held.
			assertThat(counts.staleReclaims).as("kills that left a stale file to reclaim").isPositive();
			assertThat(counts.foreignKept()).as("kills with someone else's entry in the way").isPositive();
		}
	}

	private void killAndRecover(Round plan, Counts counts) throws Exception {
		Entry foreign = null;
		if (plan.planted().before) {
			plan.planted().create(this.lockFile);
			foreign = Entry.of(this.lockFile);
		}
		long childPid;
		try (ChildJvm child = ChildJvm.churning(this.lockFile, plan.childSeed(), this.temporary)) {
			childPid = child.pid();
			child.go();
			if (plan.planted() == Planted.SUPERVISOR_DURING_CHURN) {
				foreign = supervisorSlipsIn();
				if (foreign == null) {
					counts.supervisorMissedGap++;
				}
			}
			this.killer.schedule(() -> {
				child.kill();
				return null;
			}, plan.killDelayMillis(), TimeUnit.MILLISECONDS).get(LockPeers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		counts.kills++;
		if (foreign != null) {
			assertThat(Entry.of(this.lockFile)).as("someone else's entry after the child was killed")
				.isEqualTo(foreign);
		}
		boolean stale = foreign == null && Files.exists(this.lockFile, LinkOption.NOFOLLOW_LINKS);
		List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();
		try (UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(this.lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			.listener(events::add)
			.build()) {
			if (foreign != null) {
				UpdateLockBlocker expected = plan.planted().blocker;
				assertThatExceptionOfType(UpdateLockTimeoutException.class)
					.isThrownBy(() -> manager.acquire("after-kill", Duration.ZERO))
					.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(expected));
				assertThat(Entry.of(this.lockFile)).as("someone else's entry after a new manager tried")
					.isEqualTo(foreign);
				counts.foreignKeptByKind.merge(plan.planted(), 1, Integer::sum);
				// Its owner lets go, as the Supervisor does after an update.
				plan.planted().remove(this.lockFile);
			}
			String leftover = describe(this.lockFile);
			UpdateLockHold hold;
			try {
				hold = manager.acquire("after-kill", Duration.ZERO);
			}
			catch (UpdateLockTimeoutException ex) {
				throw new AssertionError("a new manager could not take the lock after the kill (blocked by "
						+ ex.getBlocker() + "); the child left " + leftover, ex);
			}
			if (stale) {
				assertThat(manager.snapshot().staleReclaims()).as("reclaims of %s", leftover).isOne();
				DeliveredEvents.await(manager);
				assertThat(events).filteredOn(StaleUpdateLockReclaimedEvent.class::isInstance)
					.singleElement()
					.satisfies((event) -> assertThat(((StaleUpdateLockReclaimedEvent) event).previousOwner())
						.contains("pid " + childPid));
				counts.staleReclaims++;
			}
			else {
				assertThat(manager.snapshot().staleReclaims()).isZero();
				counts.cleanStarts++;
			}
			assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(manager.inspectLockFile().ours()).as("the file on disk is the new manager's").isTrue();
			assertThat(LockPeers.hostOsProbe(this.lockFile)).as("the new manager's flock").isEqualTo(Probe.BUSY);
			hold.release();
			assertThat(Files.exists(this.lockFile, LinkOption.NOFOLLOW_LINKS)).as("lock file after the release")
				.isFalse();
		}
		try (Stream<Path> left = Files.list(this.lockDirectory)) {
			assertThat(left).as("entries left in the lock directory").isEmpty();
		}
	}

	/**
	 * The Supervisor tries {@code lockfile -r 0} until it finds a moment when the churning
	 * child holds nothing, as it does on every retry of an update.
	 * @return its file, or {@code null} if it never found such a moment
	 */
	private Entry supervisorSlipsIn() throws IOException {
		for (int i = 0; i < SUPERVISOR_TRIES; i++) {
			if (LockPeers.supervisorLocks(this.lockFile)) {
				return Entry.of(this.lockFile);
			}
		}
		return null;
	}

	private static String describe(Path path) {
		try {
			if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
				return "nothing";
			}
			Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,size,isRegularFile",
					LinkOption.NOFOLLOW_LINKS);
			String content = Boolean.TRUE.equals(attributes.get("isRegularFile"))
					? new String(Files.readAllBytes(path), StandardCharsets.UTF_8).replace("\n", "\\n") : "";
			return "an entry of uid " + attributes.get("uid") + ", " + attributes.get("size") + " bytes: '" + content
					+ "'";
		}
		catch (IOException ex) {
			return "an entry that could not be read (" + ex.getMessage() + ")";
		}
	}

	/**
	 * What is in the way while the child churns. Everything but {@link #NOTHING} is someone
	 * else's and must never be removed by any of our instances.
	 */
	enum Planted {

		NOTHING(false, null),

		FILE_WITHOUT_MARKER(true, UpdateLockBlocker.FOREIGN),

		EMPTY_FILE(true, UpdateLockBlocker.FOREIGN),

		TRUNCATED_MARKER(true, UpdateLockBlocker.FOREIGN),

		DIRECTORY(true, UpdateLockBlocker.FOREIGN),

		DANGLING_SYMLINK(true, UpdateLockBlocker.FOREIGN),

		/** The Supervisor's lock taken before the container started (it locks all services while it works). */
		SUPERVISOR(true, UpdateLockBlocker.SUPERVISOR),

		/** The Supervisor's lock taken in a gap of the child's churn, as an update's retry would. */
		SUPERVISOR_DURING_CHURN(false, UpdateLockBlocker.SUPERVISOR);

		private final boolean before;

		private final UpdateLockBlocker blocker;

		Planted(boolean before, UpdateLockBlocker blocker) {
			this.before = before;
			this.blocker = blocker;
		}

		void create(Path lockFile) throws IOException {
			if (this == SUPERVISOR) {
				assertThat(LockPeers.supervisorLocks(lockFile)).isTrue();
			}
			else {
				ForeignEntry.valueOf(name()).create(lockFile);
			}
		}

		void remove(Path lockFile) throws IOException {
			if (this.blocker == UpdateLockBlocker.SUPERVISOR) {
				LockPeers.supervisorUnlocks(lockFile);
			}
			else {
				Files.delete(lockFile);
			}
		}

	}

	/**
	 * One kill, drawn from the seed before it runs, so that a failure names everything needed
	 * to understand it.
	 */
	private record Round(Planted planted, long childSeed, int killDelayMillis) {

		static Round next(Random random) {
			Planted[] kinds = Planted.values();
			// Two rounds in three have nothing in the way: those are the ones that leave stale files.
			Planted planted = (random.nextInt(3) != 0) ? Planted.NOTHING : kinds[1 + random.nextInt(kinds.length - 1)];
			return new Round(planted, random.nextLong(), random.nextInt(MAX_KILL_DELAY_MILLIS + 1));
		}

	}

	private static final class Counts {

		private int kills;

		private int staleReclaims;

		private int cleanStarts;

		private int supervisorMissedGap;

		private final Map<Planted, Integer> foreignKeptByKind = new EnumMap<>(Planted.class);

		int foreignKept() {
			return this.foreignKeptByKind.values().stream().mapToInt(Integer::intValue).sum();
		}

		String summary(long seed, Duration elapsed) {
			return "kill-torture: seed=" + seed + " kills=" + this.kills + " staleReclaims=" + this.staleReclaims
					+ " cleanStarts=" + this.cleanStarts + " foreignKept=" + foreignKept() + " "
					+ this.foreignKeptByKind + " supervisorMissedGap=" + this.supervisorMissedGap + " elapsed="
					+ elapsed.toMillis() + "ms";
		}

	}

}
