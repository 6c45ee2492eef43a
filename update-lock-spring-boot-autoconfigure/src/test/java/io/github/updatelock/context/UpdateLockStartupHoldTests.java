package io.github.updatelock.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.updatelock.UnavailableLockPolicy;
import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockUnavailableException;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class UpdateLockStartupHoldTests {

	@TempDir
	Path tempDir;

	private UpdateLockManager manager;

	@AfterEach
	void closeManager() {
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private UpdateLockManager manager(Path lockFile, UnavailableLockPolicy policy) {
		this.manager = UpdateLockManager.builder()
			.lockPath(lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			.initialBackoff(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(100))
			.unavailablePolicy(policy)
			.build();
		return this.manager;
	}

	@Test
	void isDisabledUntilTaken() {
		UpdateLockStartupHold hold = new UpdateLockStartupHold(manager(this.tempDir.resolve("updates.lock"),
				UnavailableLockPolicy.RUN_UNPROTECTED), "startup");
		assertThat(hold.state()).isEqualTo(UpdateLockStartupHold.State.DISABLED);
		assertThat(this.tempDir.resolve("updates.lock")).doesNotExist();
	}

	@Test
	void takeHoldsAtOnceWhenTheLockIsFree() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		UpdateLockStartupHold hold = new UpdateLockStartupHold(manager(lockFile, UnavailableLockPolicy.FAIL), "boot");
		hold.take();
		assertThat(hold.state()).isEqualTo(UpdateLockStartupHold.State.HELD);
		assertThat(lockFile).exists();
		assertThat(this.manager.snapshot().holds()).singleElement().satisfies((active) -> {
			assertThat(active.name()).isEqualTo("boot");
		});
	}

	@Test
	void releaseRemovesTheFileAndTakeHoldsAgain() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		UpdateLockStartupHold hold = new UpdateLockStartupHold(manager(lockFile, UnavailableLockPolicy.FAIL),
				"startup");
		hold.take();
		hold.release();
		assertThat(hold.state()).isEqualTo(UpdateLockStartupHold.State.RELEASED);
		assertThat(lockFile).doesNotExist();
		hold.take();
		assertThat(hold.state()).isEqualTo(UpdateLockStartupHold.State.HELD);
		assertThat(lockFile).exists();
	}

	@Test
	void takeWaitsInTheBackgroundWhileTheSupervisorHoldsTheLock() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		UpdateLockStartupHold hold = new UpdateLockStartupHold(manager(lockFile, UnavailableLockPolicy.FAIL),
				"startup");
		hold.take();
		assertThat(hold.state()).isEqualTo(UpdateLockStartupHold.State.WAITING);
		assertThat(this.manager.snapshot().status()).isEqualTo(UpdateLockStatus.WAITING);
		assertThat(this.manager.snapshot().blocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR);
		assertThat(hold.awaitHeld(Duration.ofMillis(200))).isFalse();
		Files.delete(lockFile);
		await().atMost(Duration.ofSeconds(5)).until(hold::state, UpdateLockStartupHold.State.HELD::equals);
		assertThat(this.manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(Files.getAttribute(lockFile, "unix:uid")).isNotEqualTo(65534);
	}

	@Test
	void awaitHeldReturnsOnceTheLockIsTaken() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		UpdateLockStartupHold hold = new UpdateLockStartupHold(manager(lockFile, UnavailableLockPolicy.FAIL),
				"startup");
		hold.take();
		Files.delete(lockFile);
		assertThat(hold.awaitHeld(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void releaseWhileWaitingStopsTakingTheLock() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		UpdateLockStartupHold hold = new UpdateLockStartupHold(manager(lockFile, UnavailableLockPolicy.FAIL),
				"startup");
		hold.take();
		hold.release();
		assertThat(hold.state()).isEqualTo(UpdateLockStartupHold.State.RELEASED);
		// No acquisition waits any more (the manager stops reporting WAITING when its last
		// waiter gives up), so nothing of ours takes the file once the Supervisor lets go.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.manager.snapshot().status() == UpdateLockStatus.RELEASED);
		Files.delete(lockFile);
		assertThat(LockPeers.supervisorLocks(lockFile)).isTrue();
		assertThat(hold.state()).isEqualTo(UpdateLockStartupHold.State.RELEASED);
	}

	@Test
	void failsWhenTheLockIsUnavailableUnderTheFailPolicy() {
		Path lockFile = this.tempDir.resolve("missing").resolve("updates.lock");
		UpdateLockStartupHold hold = new UpdateLockStartupHold(manager(lockFile, UnavailableLockPolicy.FAIL),
				"startup");
		hold.take();
		assertThat(hold.state()).isEqualTo(UpdateLockStartupHold.State.FAILED);
		assertThat(hold.failure()).isInstanceOf(UpdateLockUnavailableException.class);
	}

	@Test
	void reportsReleasedOnceTheManagerClosed() {
		UpdateLockStartupHold hold = new UpdateLockStartupHold(
				manager(this.tempDir.resolve("updates.lock"), UnavailableLockPolicy.FAIL), "startup");
		hold.take();
		this.manager.close();
		assertThat(hold.state()).isEqualTo(UpdateLockStartupHold.State.RELEASED);
	}

}
