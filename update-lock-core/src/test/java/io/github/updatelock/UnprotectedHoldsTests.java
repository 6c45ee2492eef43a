package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Unprotected is not sticky (semantics rule 8): while holds run without a lock file, each
 * new hold and each watch round try to create it, and protection starts as soon as the
 * directory is usable.
 */
class UnprotectedHoldsTests {

	@TempDir
	Path temporary;

	private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

	private final List<UpdateLockManager> managers = new ArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	@Test
	void newHoldCreatesTheFileOnceTheDirectoryExistsAndEveryHoldCountsOnIt() throws IOException {
		Path lockFile = this.temporary.resolve("balena/updates.lock");
		// A long watch interval: here the new hold, not the watch, must create the file.
		UpdateLockManager manager = manager(lockFile, Duration.ofHours(1));
		UpdateLockHold early = manager.acquire("startup");
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
		Files.createDirectories(lockFile.getParent());
		UpdateLockHold later = manager.acquire("firmware-flash");
		UpdateLockSnapshot snapshot = manager.snapshot();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(snapshot.protecting()).isTrue();
		assertThat(snapshot.warnings()).extracting(UpdateLockWarning::problem)
			.doesNotContain(UpdateLockProblem.LOCK_DIRECTORY_MISSING);
		assertThat(snapshot.holds()).extracting(ActiveHold::name).containsExactly("startup", "firmware-flash");
		assertThat(manager.inspectLockFile().ours()).isTrue();
		later.release();
		assertThat(lockFile).as("the first hold keeps the file").exists();
		early.release();
		assertThat(lockFile).doesNotExist();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.RELEASED);
	}

	@Test
	void theWatchCreatesTheFileForHoldsThatRunUnprotected() throws IOException {
		LockPeers.require(LockPeers.Peer.HOST_OS_PROBE);
		Path lockFile = this.temporary.resolve("balena/updates.lock");
		UpdateLockManager manager = manager(lockFile, Duration.ofMillis(50));
		UpdateLockHold startup = manager.acquire("startup");
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
		Files.createDirectories(lockFile.getParent());
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD));
		assertThat(manager.inspectLockFile().ours()).isTrue();
		assertThat(LockPeers.hostOsProbe(lockFile)).isEqualTo(Probe.BUSY);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.events).filteredOn(UpdateLockAcquiredEvent.class::isInstance)
				.singleElement()
				.satisfies((event) -> assertThat(((UpdateLockAcquiredEvent) event).holder()).isEqualTo("startup")));
		startup.release();
		assertThat(lockFile).doesNotExist();
	}

	@Test
	void holdsRunUnprotectedWhileTheDirectoryStaysMissing() {
		Path lockFile = this.temporary.resolve("balena/updates.lock");
		UpdateLockManager manager = manager(lockFile, Duration.ofMillis(50));
		try (UpdateLockHold first = manager.acquire("first"); UpdateLockHold second = manager.acquire("second")) {
			UpdateLockSnapshot snapshot = manager.snapshot();
			assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
			assertThat(snapshot.holds()).hasSize(2);
			assertThat(snapshot.warnings()).extracting(UpdateLockWarning::problem)
				.contains(UpdateLockProblem.LOCK_DIRECTORY_MISSING);
		}
		assertThat(lockFile.getParent()).doesNotExist();
	}

	private UpdateLockManager manager(Path lockFile, Duration watchInterval) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.watchInterval(watchInterval)
			.listener(this.events::add)
			.build();
		this.managers.add(manager);
		return manager;
	}

}
