package io.github.updatelock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockDeniedEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockLostEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.event.UpdateLockWaitingEvent;
import io.github.updatelock.internal.LockMarker;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.NpmHolder;
import io.github.updatelock.testsupport.LockPeers.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The lock against the real programs that share it: the Supervisor's procmail
 * {@code lockfile} as uid 65534, the host OS {@code safe_reboot} flock probe, and npm
 * {@code lockfile}. See {@link LockPeers} for how each one is run.
 */
class PeerInteropTests {

	/** Short, so that the tests that expect a refusal do not drag. */
	private static final Duration SHORT_WAIT = Duration.ofMillis(300);

	/** The semantics page asks for a loss to be noticed within about a second; this adds room for a busy CI machine. */
	private static final Duration LOSS_NOTICED_WITHIN = Duration.ofSeconds(2);

	@TempDir
	Path temporary;

	private Path lockFile;

	private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

	private final List<UpdateLockManager> managers = new ArrayList<>();

	@BeforeEach
	void createLockDirectory() throws IOException {
		this.lockFile = LockPeers.lockDirectory(this.temporary).resolve("updates.lock");
	}

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	@Test
	void supervisorCannotTakeTheLockWhileWeHoldIt() throws IOException {
		UpdateLockManager manager = manager(true);
		UpdateLockHold hold = manager.acquire("work");
		assertThat(LockPeers.supervisorLocks(this.lockFile)).as("procmail lockfile succeeded while we held the lock")
			.isFalse();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(markerOn(this.lockFile)).as("our marker is still on disk")
			.hasValueSatisfying((marker) -> assertThat(marker.pid()).isEqualTo(ProcessHandle.current().pid()));
		hold.release();
		assertThat(LockPeers.supervisorLocks(this.lockFile)).as("procmail lockfile after our release").isTrue();
	}

	@Test
	void weTimeOutWhileTheSupervisorHoldsAndNeverDeleteItsFile() throws IOException {
		assertThat(LockPeers.supervisorLocks(this.lockFile)).isTrue();
		UpdateLockManager manager = manager(true);
		assertThatExceptionOfType(UpdateLockTimeoutException.class)
			.isThrownBy(() -> manager.acquire("work", SHORT_WAIT))
			.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR))
			.withMessageContaining("Supervisor")
			.withMessageContaining(this.lockFile.toString());
		assertThat(manager.tryAcquire("again")).isEmpty();
		assertIsTheSupervisorsFile(this.lockFile);
		DeliveredEvents.await(manager);
		assertThat(this.events).filteredOn(UpdateLockDeniedEvent.class::isInstance)
			.hasSize(2)
			.allSatisfy((event) -> assertThat(((UpdateLockDeniedEvent) event).blocker())
				.isEqualTo(UpdateLockBlocker.SUPERVISOR));
		manager.close();
		assertIsTheSupervisorsFile(this.lockFile);
		assertThat(manager.snapshot().staleReclaims()).isZero();
	}

	@Test
	void whileWaitingForTheSupervisorTheSnapshotSaysWaitingAndTheLockComesOnceItLetsGo() throws Exception {
		assertThat(LockPeers.supervisorLocks(this.lockFile)).isTrue();
		UpdateLockManager manager = manager(true);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			CompletableFuture<UpdateLockHold> waiting = CompletableFuture
				.supplyAsync(() -> manager.acquire("after-update", LockPeers.TIMEOUT), executor);
			await().atMost(LockPeers.TIMEOUT).untilAsserted(() -> {
				UpdateLockSnapshot snapshot = manager.snapshot();
				assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.WAITING);
				assertThat(snapshot.blocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR);
				assertThat(snapshot.blockedSince()).isNotNull();
				assertThat(snapshot.protecting()).isFalse();
			});
			// The event follows the state by a moment: it is published after the file lock is let go.
			await().atMost(LockPeers.TIMEOUT)
				.untilAsserted(() -> assertThat(this.events).filteredOn(UpdateLockWaitingEvent.class::isInstance)
					.singleElement()
					.satisfies((event) -> assertThat(((UpdateLockWaitingEvent) event).blocker())
						.isEqualTo(UpdateLockBlocker.SUPERVISOR)));
			assertThat(waiting).isNotDone();
			assertIsTheSupervisorsFile(this.lockFile);
			LockPeers.supervisorUnlocks(this.lockFile);
			await().atMost(LockPeers.TIMEOUT).until(waiting::isDone);
			UpdateLockHold hold = waiting.join();
			UpdateLockSnapshot snapshot = manager.snapshot();
			assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(snapshot.blocker()).isNull();
			assertThat(markerOn(this.lockFile)).isPresent();
			hold.release();
			assertThat(this.lockFile).doesNotExist();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void hostOsProbeFindsTheLockBusyUntilTheLastHoldIsReleased() {
		UpdateLockManager manager = manager(true);
		UpdateLockHold outer = manager.acquire("outer");
		UpdateLockHold inner = manager.acquire("inner");
		assertThat(manager.snapshot().flockHeld()).isTrue();
		assertThat(LockPeers.hostOsProbe(this.lockFile)).isEqualTo(Probe.BUSY);
		outer.release();
		assertThat(LockPeers.hostOsProbe(this.lockFile)).as("one hold is still active").isEqualTo(Probe.BUSY);
		inner.release();
		assertThat(this.lockFile).doesNotExist();
		assertThat(LockPeers.hostOsProbe(this.lockFile)).isEqualTo(Probe.FREE);
	}

	@Test
	void withFlockSwitchedOffTheHostOsProbeDoesNotWaitAndTheSnapshotSaysSo() throws IOException {
		UpdateLockManager manager = manager(false);
		UpdateLockHold hold = manager.acquire("work");
		assertThat(this.lockFile).exists();
		assertThat(LockPeers.hostOsProbe(this.lockFile)).isEqualTo(Probe.FREE);
		UpdateLockSnapshot snapshot = manager.snapshot();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(snapshot.flockHeld()).isFalse();
		assertThat(snapshot.warnings()).extracting(UpdateLockWarning::problem)
			.containsExactly(UpdateLockProblem.FLOCK_DISABLED);
		assertThat(snapshot.warnings().get(0).message()).contains(this.lockFile.toString())
			.contains("host OS updates will not wait");
		// The file alone still keeps the Supervisor out.
		assertThat(LockPeers.supervisorLocks(this.lockFile)).isFalse();
		hold.release();
		assertThat(this.lockFile).doesNotExist();
	}

	@Test
	void npmLockfileCannotTakeTheLockWhileWeHoldIt() {
		UpdateLockManager manager = manager(true);
		UpdateLockHold hold = manager.acquire("work");
		assertThat(LockPeers.npmLockfileTakes(this.lockFile)).as("npm lockfile succeeded while we held the lock")
			.isFalse();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(markerOn(this.lockFile)).isPresent();
		hold.release();
		assertThat(LockPeers.npmLockfileTakes(this.lockFile)).as("npm lockfile after our release").isTrue();
		assertThat(this.lockFile).doesNotExist();
	}

	@Test
	void weCannotTakeTheLockWhileNpmLockfileHoldsItAndLeaveItsFileAlone() throws IOException {
		UpdateLockManager manager = manager(true);
		try (NpmHolder npm = LockPeers.npmLockfileHolds(this.lockFile)) {
			assertThat(npm.locked()).isTrue();
			assertThatExceptionOfType(UpdateLockTimeoutException.class)
				.isThrownBy(() -> manager.acquire("work", SHORT_WAIT))
				.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.FOREIGN));
			assertThat(this.lockFile).exists();
			assertThat(Files.size(this.lockFile)).as("npm lockfile's file is empty and must stay so").isZero();
		}
		assertThat(this.lockFile).as("npm lockfile removed its file on unlock").doesNotExist();
		try (UpdateLockHold hold = manager.acquire("work", SHORT_WAIT)) {
			assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		}
	}

	@Test
	void overrideWhileHeldIsReportedAsLostAndTheSupervisorsFileSurvivesOurRelease() throws IOException {
		UpdateLockManager manager = manager(true);
		UpdateLockHold hold = manager.acquire("work");
		LockPeers.supervisorOverrides(this.lockFile);
		await().atMost(LOSS_NOTICED_WITHIN)
			.untilAsserted(() -> assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.LOST));
		await().atMost(LOSS_NOTICED_WITHIN)
			.untilAsserted(() -> assertThat(this.events).filteredOn(UpdateLockLostEvent.class::isInstance)
				.singleElement()
				.satisfies((event) -> assertThat(((UpdateLockLostEvent) event).activeHolds()).isOne()));
		UpdateLockSnapshot snapshot = manager.snapshot();
		assertThat(snapshot.protecting()).isFalse();
		assertThat(snapshot.flockHeld()).isFalse();
		assertThat(snapshot.lastLost()).isNotNull();
		hold.release();
		DeliveredEvents.await(manager);
		assertThat(this.events).filteredOn(UpdateLockReleasedEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((UpdateLockReleasedEvent) event).fileRemoved()).isFalse());
		assertIsTheSupervisorsFile(this.lockFile);
		assertThat(manager.tryAcquire("after-override")).isEmpty();
		assertThat(manager.snapshot().staleReclaims()).isZero();
		manager.close();
		assertIsTheSupervisorsFile(this.lockFile);
		// Overrides are reported, not fought: the Supervisor's lock is still the only one.
		assertThat(this.events).filteredOn(UpdateLockAcquiredEvent.class::isInstance).hasSize(1);
	}

	private UpdateLockManager manager(boolean flock) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(this.lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			.flock(flock)
			.initialBackoff(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(200))
			.listener(this.events::add)
			.build();
		this.managers.add(manager);
		return manager;
	}

	private static void assertIsTheSupervisorsFile(Path file) throws IOException {
		assertThat(Files.exists(file, LinkOption.NOFOLLOW_LINKS)).as("the Supervisor's lock file is still there")
			.isTrue();
		assertThat(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(LockPeers.SUPERVISOR_UID);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
			.isEqualTo("r--r--r--");
		assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("0");
	}

	private static Optional<LockMarker> markerOn(Path file) {
		try {
			return LockMarker.parse(Files.readAllBytes(file));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

}
