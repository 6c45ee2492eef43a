package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockLostEvent;
import io.github.updatelock.internal.FileIdentity;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * A release whose unlink the kernel refuses: the directory made immutable, so that
 * {@code unlink} fails with {@code EPERM} although the path still names our file. That is
 * a failure to release, never an override.
 */
class UnremovableLockFileTests {

	@TempDir
	Path temporary;

	private Path directory;

	private UpdateLockManager manager;

	private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

	private AutoCloseable immutable;

	@BeforeEach
	void createManager() throws IOException {
		this.directory = Files.createDirectory(this.temporary.resolve("balena"));
		this.manager = UpdateLockManager.builder()
			.lockPath(lockFile())
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.initialBackoff(Duration.ofMillis(10))
			.maxBackoff(Duration.ofMillis(50))
			.watchInterval(Duration.ofMillis(50))
			.listener(this.events::add)
			.build();
	}

	@AfterEach
	void makeMutableAndClose() throws Exception {
		makeMutable();
		this.manager.close();
	}

	private Path lockFile() {
		return this.directory.resolve("updates.lock");
	}

	private void makeImmutable() {
		this.immutable = LockPeers.makeUnwritable(this.directory);
	}

	private void makeMutable() throws Exception {
		if (this.immutable != null) {
			this.immutable.close();
			this.immutable = null;
		}
	}

	@Test
	void aRefusedUnlinkIsAReleaseFailureThatKeepsTheFileFlockedAndIsRetried() throws Exception {
		UpdateLockHold hold = this.manager.acquire("firmware");
		makeImmutable();
		hold.release();
		assertThat(this.manager.inspectLockFile().ours()).isTrue();
		UpdateLockSnapshot stuck = this.manager.snapshot();
		assertThat(stuck.lastLost()).isNull();
		DeliveredEvents.await(this.manager);
		assertThat(this.events).noneMatch(UpdateLockLostEvent.class::isInstance);
		assertThat(stuck.warnings()).filteredOn((warning) -> warning.problem() == UpdateLockProblem.REMOVAL_FAILED)
			.singleElement()
			.extracting(UpdateLockWarning::message)
			.asString()
			.contains(lockFile().toString())
			.contains("EPERM");
		// The file keeps the Supervisor out, so the host OS is kept out too: the flock stays with it.
		assertThat(LockPeers.hostOsProbe(lockFile())).isEqualTo(Probe.BUSY);
		makeMutable();
		await().atMost(LockPeers.TIMEOUT).untilAsserted(() -> assertThat(lockFile()).doesNotExist());
		assertThat(this.manager.snapshot().warnings()).extracting(UpdateLockWarning::problem)
			.doesNotContain(UpdateLockProblem.REMOVAL_FAILED);
		assertThat(this.manager.snapshot().lastLost()).isNull();
	}

	@Test
	void theNextHoldTakesTheUnremovedFileAsItsLock() throws Exception {
		this.manager.acquire("firmware").release();
		FileIdentity first;
		try (UpdateLockHold hold = this.manager.acquire("firmware")) {
			first = FileIdentity.of(lockFile());
			makeImmutable();
		}
		assertThat(lockFile()).exists();
		try (UpdateLockHold again = this.manager.acquire("payment")) {
			UpdateLockSnapshot held = this.manager.snapshot();
			assertThat(held.status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(held.flockHeld()).isTrue();
			assertThat(held.warnings()).extracting(UpdateLockWarning::problem)
				.doesNotContain(UpdateLockProblem.REMOVAL_FAILED);
			assertThat(FileIdentity.of(lockFile())).isEqualTo(first);
			makeMutable();
		}
		assertThat(lockFile()).doesNotExist();
		assertThat(LockPeers.hostOsProbe(lockFile())).isEqualTo(Probe.FREE);
	}

	@Test
	void closeTriesOnceWithoutHangingAndLeavesTheFileToBeReclaimedAsStale() throws Exception {
		UpdateLockHold hold = this.manager.acquire("firmware");
		makeImmutable();
		hold.release();
		assertTimeoutPreemptively(Duration.ofSeconds(10), this.manager::close);
		assertThat(lockFile()).exists();
		assertThat(LockPeers.hostOsProbe(lockFile())).isEqualTo(Probe.FREE);
		makeMutable();
		try (UpdateLockManager next = UpdateLockManager.builder()
			.lockPath(lockFile())
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.build(); UpdateLockHold taken = next.acquire("after-restart")) {
			assertThat(next.snapshot().staleReclaims()).isEqualTo(1);
			assertThat(next.snapshot().flockHeld()).isTrue();
		}
		assertThat(lockFile()).doesNotExist();
	}

}
