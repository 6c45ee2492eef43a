package io.github.updatelock.supervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class YieldableHoldsTests {

	@TempDir
	Path directory;

	private UpdateLockManager manager;

	@AfterEach
	void closeManager() {
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private UpdateLockManager manager() {
		this.manager = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.build();
		return this.manager;
	}

	@Test
	void releasesTrackedHoldsOfTheAskedNameOnly() {
		UpdateLockManager manager = manager();
		YieldableHolds yieldable = new YieldableHolds();
		UpdateLockHold startup = yieldable.track(manager.acquire("startup"));
		UpdateLockHold window = yieldable.track(manager.acquire("update-window"));
		UpdateLockHold untracked = manager.acquire("startup");
		assertThat(yieldable.yieldHolds("startup")).isTrue();
		assertThat(startup.isReleased()).isTrue();
		assertThat(window.isReleased()).isFalse();
		assertThat(untracked.isReleased()).isFalse();
		assertThat(yieldable.yieldHolds("startup")).isFalse();
		untracked.release();
		window.release();
		assertThat(this.directory.resolve("updates.lock")).doesNotExist();
	}

	@Test
	void holdReleasedByItsOwnerIsNotYieldedAgain() {
		UpdateLockManager manager = manager();
		YieldableHolds yieldable = new YieldableHolds();
		yieldable.track(manager.acquire("startup")).release();
		assertThat(yieldable.yieldHolds("startup")).isFalse();
	}

}
