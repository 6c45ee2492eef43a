package io.github.updatelock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.github.updatelock.ChildJvm.Launch;
import io.github.updatelock.event.StaleUpdateLockReclaimedEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.internal.ExistingLockFile;
import io.github.updatelock.internal.FileIdentity;
import io.github.updatelock.internal.Libc;
import io.github.updatelock.internal.LocalInstance;
import io.github.updatelock.internal.LockFileCreationException;
import io.github.updatelock.internal.LockMarker;
import io.github.updatelock.internal.NativePath;
import io.github.updatelock.internal.OwnedLockFile;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What is left at the lock path when an instance dies, and what must never be taken for
 * such a leftover. The other instance is a real JVM ({@link HoldUntilKilled}), killed with
 * SIGKILL as the OOM killer or {@code docker kill} would.
 */
class CrashRecoveryTests {

	private static final Duration SHORT_WAIT = Duration.ofMillis(300);

	/** Held here so that the logger, and a handler added to it, is not collected during a test. */
	private static final Logger managerLogger = Logger.getLogger(UpdateLockManager.class.getName());

	@TempDir
	Path temporary;

	private Path lockFile;

	private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

	private final List<UpdateLockManager> managers = new ArrayList<>();

	@BeforeEach
	void createLockDirectory() throws IOException {
		this.lockFile = Files.createDirectory(this.temporary.resolve("balena")).resolve("updates.lock");
	}

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	@ParameterizedTest(name = "flock: {0}")
	@ValueSource(booleans = { true, false })
	void lockFileOfAKilledInstanceIsReclaimedAndReported(boolean childFlock) throws IOException {
		LockMarker dead;
		try (ChildJvm child = ChildJvm.holding(this.lockFile, childFlock, this.temporary)) {
			dead = markerOn(this.lockFile).orElseThrow();
			assertThat(dead.pid()).isEqualTo(child.pid());
			child.kill();
		}
		assertThat(markerOn(this.lockFile)).as("SIGKILL leaves the lock file behind")
			.hasValueSatisfying((marker) -> assertThat(marker.instanceId()).isEqualTo(dead.instanceId()));
		UpdateLockManager manager = manager();
		UpdateLockHold hold = manager.acquire("after-crash", Duration.ZERO);
		UpdateLockSnapshot snapshot = manager.snapshot();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(snapshot.staleReclaims()).isOne();
		assertThat(snapshot.lastStaleReclaim()).isNotNull();
		DeliveredEvents.await(manager);
		assertThat(this.events).filteredOn(StaleUpdateLockReclaimedEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((StaleUpdateLockReclaimedEvent) event).previousOwner())
				.contains(dead.instanceId())
				.contains("pid " + dead.pid()));
		assertThat(markerOn(this.lockFile)).as("the file on disk is now ours")
			.hasValueSatisfying((marker) -> assertThat(marker.instanceId()).isNotEqualTo(dead.instanceId()))
			.hasValueSatisfying((marker) -> assertThat(marker.pid()).isEqualTo(ProcessHandle.current().pid()));
		hold.release();
		assertThat(this.lockFile).doesNotExist();
	}

	@Test
	void lockFileOfALiveInstanceWithFlockIsLeftAlone() throws IOException {
		lockFileOfALiveInstanceIsLeftAlone(true);
	}

	/**
	 * Without flock the child is judged alive by its start time. Not run under qemu-user
	 * (.ci/arm-tests leaves it out), whose imitation of a process's own
	 * {@code /proc/self/stat} gives the child another start time than the kernel reports.
	 */
	@Test
	void lockFileOfALiveInstanceWithoutFlockIsLeftAlone() throws IOException {
		lockFileOfALiveInstanceIsLeftAlone(false);
	}

	private void lockFileOfALiveInstanceIsLeftAlone(boolean childFlock) throws IOException {
		try (ChildJvm child = ChildJvm.holding(this.lockFile, childFlock, this.temporary)) {
			LockMarker live = markerOn(this.lockFile).orElseThrow();
			FileIdentity identity = FileIdentity.of(this.lockFile, LinkOption.NOFOLLOW_LINKS);
			assertThat(ExistingLockFile.examine(this.lockFile, LocalInstance.current(Map.of()), Libc.geteuid()).verdict())
				.isEqualTo(ExistingLockFile.Verdict.LIVE_INSTANCE);
			UpdateLockManager manager = manager();
			assertThatExceptionOfType(UpdateLockTimeoutException.class)
				.isThrownBy(() -> manager.acquire("work", SHORT_WAIT))
				.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.LIVE_INSTANCE))
				.withMessageContaining("another live instance");
			assertThat(manager.snapshot().staleReclaims()).isZero();
			assertThat(FileIdentity.ofEntryOrNull(this.lockFile)).isEqualTo(identity);
			assertThat(markerOn(this.lockFile))
				.hasValueSatisfying((marker) -> assertThat(marker.instanceId()).isEqualTo(live.instanceId()));
			child.stop();
			assertThat(this.lockFile).as("the child removed its file on an orderly stop").doesNotExist();
			try (UpdateLockHold hold = manager.acquire("work", Duration.ZERO)) {
				assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
			}
		}
	}

	@Test
	void withoutFlockALockFileHeldFromAnotherPidNamespaceIsLeftAlone() throws IOException {
		// network_mode: host: the same hostname, but the child's PID names another process here.
		try (ChildJvm child = ChildJvm.holding(this.lockFile, false, this.temporary, Launch.OWN_PID_NAMESPACE)) {
			LockMarker live = markerOn(this.lockFile).orElseThrow();
			assertThat(live.pidNamespace()).isNotEqualTo(LocalInstance.current(Map.of()).pidNamespace());
			FileIdentity identity = FileIdentity.of(this.lockFile, LinkOption.NOFOLLOW_LINKS);
			UpdateLockManager manager = manager(this.events::add, false);
			assertThatExceptionOfType(UpdateLockTimeoutException.class)
				.isThrownBy(() -> manager.acquire("work", SHORT_WAIT))
				.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.LIVE_INSTANCE));
			assertThat(manager.snapshot().staleReclaims()).isZero();
			assertThat(FileIdentity.ofEntryOrNull(this.lockFile)).isEqualTo(identity);
			child.stop();
		}
		assertThat(this.lockFile).doesNotExist();
	}

	@Test
	void withoutFlockALockFileOfAKilledInstanceInThisPidNamespaceIsReclaimed() throws IOException {
		try (ChildJvm child = ChildJvm.holding(this.lockFile, false, this.temporary)) {
			child.kill();
		}
		assertThat(markerOn(this.lockFile)).as("SIGKILL leaves the lock file behind").isPresent();
		UpdateLockManager manager = manager(this.events::add, false);
		try (UpdateLockHold hold = manager.acquire("after-crash", Duration.ZERO)) {
			assertThat(manager.snapshot().staleReclaims()).isOne();
		}
	}

	@Test
	void aStaleFileThatCannotBeDeletedIsReportedAsForeignNotAsTheSupervisor() throws IOException {
		leaveStaleFile(this.lockFile);
		// Immutable: not even root may unlink it, as a directory we may not write would refuse a non-root user.
		chattr("+i");
		List<LogRecord> warnings = new CopyOnWriteArrayList<>();
		Handler handler = new Handler() {

			@Override
			public void publish(LogRecord record) {
				if (record.getLevel() == Level.WARNING) {
					warnings.add(record);
				}
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
		managerLogger.addHandler(handler);
		try {
			UpdateLockManager manager = manager();
			for (int attempt = 0; attempt < 2; attempt++) {
				assertThatExceptionOfType(UpdateLockTimeoutException.class)
					.isThrownBy(() -> manager.acquire("work", SHORT_WAIT))
					.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.FOREIGN));
			}
			assertThat(manager.snapshot().staleReclaims()).isZero();
			assertThat(markerOn(this.lockFile)).isPresent();
			assertThat(warnings).as("one WARN line for the file that cannot be removed, however often it is met")
				.filteredOn((record) -> record.getMessage().contains("cannot be removed"))
				.singleElement()
				.satisfies((record) -> assertThat(record.getMessage()).contains(this.lockFile.toString())
					.contains("Operation not permitted"));
		}
		finally {
			managerLogger.removeHandler(handler);
			chattr("-i");
		}
	}

	private void chattr(String change) throws IOException {
		Process chattr = new ProcessBuilder("chattr", change, this.lockFile.toString()).redirectErrorStream(true)
			.start();
		assertThat(LockPeers.waitFor(chattr, "chattr " + change)).as("chattr %s %s", change, this.lockFile).isZero();
	}

	@Test
	void reclaimersRacingForTheSameStaleFileNeverBothHoldIt() throws Exception {
		int rounds = 500;
		int racers = 4;
		int roundsWon = 0;
		List<UpdateLockManager> racing = new ArrayList<>();
		List<List<UpdateLockEvent>> racingEvents = new ArrayList<>();
		for (int i = 0; i < racers; i++) {
			List<UpdateLockEvent> seen = new CopyOnWriteArrayList<>();
			racingEvents.add(seen);
			racing.add(manager(seen::add));
		}
		ExecutorService executor = Executors.newFixedThreadPool(racers);
		try {
			for (int round = 0; round < rounds; round++) {
				leaveStaleFile(this.lockFile);
				String stale = markerOn(this.lockFile).orElseThrow().instanceId();
				racingEvents.forEach(List::clear);
				long reclaimsBefore = totalStaleReclaims(racing);
				CyclicBarrier start = new CyclicBarrier(racers);
				List<Future<Optional<UpdateLockHold>>> attempts = new ArrayList<>();
				for (UpdateLockManager manager : racing) {
					attempts.add(executor.submit(() -> {
						start.await();
						return manager.tryAcquire("racer");
					}));
				}
				List<Integer> winners = new ArrayList<>();
				List<UpdateLockHold> holds = new ArrayList<>();
				for (int i = 0; i < racers; i++) {
					Optional<UpdateLockHold> hold = attempts.get(i).get(LockPeers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
					if (hold.isPresent()) {
						winners.add(i);
						holds.add(hold.get());
					}
				}
				long reclaims = totalStaleReclaims(racing) - reclaimsBefore;
				assertThat(winners).as("round %d: managers holding", round).hasSizeLessThanOrEqualTo(1);
				// One stale file can be removed once; a second removal would have hit a fresh file.
				assertThat(reclaims).as("round %d: stale reclaims", round).isLessThanOrEqualTo(1);
				if (winners.isEmpty()) {
					Files.deleteIfExists(this.lockFile);
					continue;
				}
				roundsWon++;
				int winner = winners.get(0);
				assertThat(reclaims).as("round %d: the winner's file replaced the stale one", round).isOne();
				assertThat(markerOn(this.lockFile)).as("round %d: the file on disk", round)
					.hasValueSatisfying((marker) -> assertThat(marker.instanceId()).isNotEqualTo(stale));
				assertThat(ExistingLockFile.examine(this.lockFile, LocalInstance.current(Map.of()), Libc.geteuid()).verdict())
					.as("round %d: the file on disk is flocked", round)
					.isEqualTo(ExistingLockFile.Verdict.LIVE_INSTANCE);
				for (int i = 0; i < racers; i++) {
					assertThat(racing.get(i).snapshot().status()).as("round %d: racer %d", round, i)
						.isEqualTo((i == winner) ? UpdateLockStatus.HELD : UpdateLockStatus.RELEASED);
				}
				holds.get(0).release();
				// Only a release that found its own inode at the path removes the file.
				DeliveredEvents.await(racing.get(winner));
				assertThat(racingEvents.get(winner)).as("round %d: the winner's release", round)
					.filteredOn(UpdateLockReleasedEvent.class::isInstance)
					.singleElement()
					.satisfies((event) -> assertThat(((UpdateLockReleasedEvent) event).fileRemoved()).isTrue());
				assertThat(this.lockFile).doesNotExist();
			}
		}
		finally {
			executor.shutdownNow();
		}
		// Safety alone would pass if nobody ever got the lock; a stale file must not block everyone.
		assertThat(roundsWon).as("rounds in which one racer took the lock").isPositive();
	}

	@Test
	void theLockFileNeverShowsUpWithoutItsWholeMarker() throws Exception {
		// What a SIGKILL would freeze: a file seen at the path before its marker is complete is what
		// a kill at that moment leaves, and no one can tell it from someone else's lock.
		int cycles = 3000;
		UpdateLockManager manager = manager();
		AtomicBoolean done = new AtomicBoolean();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Observed> observer = executor.submit(() -> {
				long reads = 0;
				List<String> unmarked = new ArrayList<>();
				while (!done.get()) {
					byte[] content;
					try {
						content = Files.readAllBytes(this.lockFile);
					}
					catch (NoSuchFileException ex) {
						continue; // between two cycles
					}
					reads++;
					if (LockMarker.parse(content).isEmpty() && unmarked.size() < 5) {
						unmarked.add(new String(content, StandardCharsets.UTF_8));
					}
				}
				return new Observed(reads, unmarked);
			});
			for (int i = 0; i < cycles; i++) {
				manager.acquire("work", Duration.ZERO).release();
			}
			done.set(true);
			Observed observed = observer.get(LockPeers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(observed.reads()).as("reads of the lock file").isPositive();
			assertThat(observed.unmarked()).as("contents seen at the lock path that are not a whole marker").isEmpty();
		}
		finally {
			done.set(true);
			executor.shutdownNow();
		}
	}

	@ParameterizedTest
	@EnumSource(ForeignEntry.class)
	void foreignEntriesAreNeverDeleted(ForeignEntry kind) throws IOException {
		kind.create(this.lockFile);
		Entry before = Entry.of(this.lockFile);
		assertThat(ExistingLockFile.examine(this.lockFile, LocalInstance.current(Map.of()), Libc.geteuid()).verdict())
			.isEqualTo(ExistingLockFile.Verdict.FOREIGN);
		UpdateLockManager manager = manager();
		assertThatExceptionOfType(UpdateLockTimeoutException.class)
			.isThrownBy(() -> manager.acquire("work", SHORT_WAIT))
			.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.FOREIGN));
		manager.close();
		assertThat(Entry.of(this.lockFile)).isEqualTo(before);
		assertThat(manager.snapshot().staleReclaims()).isZero();
		if (kind == ForeignEntry.SYMLINK_TO_A_STALE_FILE) {
			assertThat(markerOn(kind.target(this.lockFile))).as("the link's target is untouched").isPresent();
		}
	}

	private static long totalStaleReclaims(List<UpdateLockManager> managers) {
		return managers.stream().mapToLong((manager) -> manager.snapshot().staleReclaims()).sum();
	}

	private UpdateLockManager manager() {
		return manager(this.events::add);
	}

	private UpdateLockManager manager(UpdateLockListener listener) {
		return manager(listener, true);
	}

	private UpdateLockManager manager(UpdateLockListener listener, boolean flock) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(this.lockFile)
			.environment(Map.of())
			.flock(flock)
			.shutdownHook(false)
			.initialBackoff(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(100))
			.listener(listener)
			.build();
		this.managers.add(manager);
		return manager;
	}

	/**
	 * Leaves what a SIGKILL leaves: the kernel closes the descriptor (dropping the flock)
	 * and nobody removes the file.
	 */
	private static void leaveStaleFile(Path file) throws IOException {
		try {
			OwnedLockFile.create(NativePath.of(file), true, LocalInstance.current(Map.of()), Instant.now()).close();
		}
		catch (LockFileCreationException ex) {
			throw new IOException("Could not create " + file + " (" + ex.reason() + ")", ex);
		}
	}

	static Optional<LockMarker> markerOn(Path file) {
		try {
			return LockMarker.parse(Files.readAllBytes(file));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	enum ForeignEntry {

		FILE_WITHOUT_MARKER {
			@Override
			void create(Path path) throws IOException {
				Files.writeString(path, "locked by a shell script\n");
			}
		},

		/** What {@code touch} or npm lockfile leave. */
		EMPTY_FILE {
			@Override
			void create(Path path) throws IOException {
				Files.createFile(path);
			}
		},

		/** A file that starts like ours but is not a whole marker: not ours to judge. */
		TRUNCATED_MARKER {
			@Override
			void create(Path path) throws IOException {
				Files.writeString(path, LockMarker.FIRST_LINE + "\ninstance=");
			}
		},

		DIRECTORY {
			@Override
			void create(Path path) throws IOException {
				Files.createDirectory(path);
			}
		},

		/** The Supervisor tests with {@code lstat}: a dangling link still locks. */
		DANGLING_SYMLINK {
			@Override
			void create(Path path) throws IOException {
				Files.createSymbolicLink(path, path.resolveSibling("nowhere"));
			}
		},

		/** Following the link would find a reclaimable file; the link itself is not ours. */
		SYMLINK_TO_A_STALE_FILE {
			@Override
			void create(Path path) throws IOException {
				leaveStaleFile(target(path));
				Files.createSymbolicLink(path, target(path));
			}
		};

		abstract void create(Path path) throws IOException;

		Path target(Path path) {
			return path.resolveSibling("elsewhere.lock");
		}

	}

	/** What an observer read at the lock path: how often, and the first contents that were no whole marker. */
	private record Observed(long reads, List<String> unmarked) {
	}

	/** What an entry is, as {@code lstat} and a read see it, to tell whether anything changed. */
	record Entry(FileIdentity identity, boolean directory, Path linkTarget, String content) {

		static Entry of(Path path) throws IOException {
			FileIdentity identity = FileIdentity.of(path, LinkOption.NOFOLLOW_LINKS);
			if (Files.isSymbolicLink(path)) {
				return new Entry(identity, false, Files.readSymbolicLink(path), null);
			}
			if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
				return new Entry(identity, true, null, null);
			}
			return new Entry(identity, false, null, Files.readString(path, StandardCharsets.ISO_8859_1));
		}

	}

}
