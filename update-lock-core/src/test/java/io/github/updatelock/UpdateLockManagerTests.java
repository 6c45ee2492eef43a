package io.github.updatelock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class UpdateLockManagerTests {

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
	void firstHoldCreatesFileAndLastReleaseRemovesIt() {
		UpdateLockManager manager = manager();
		Path file = this.directory.resolve("updates.lock");
		UpdateLockHold outer = manager.acquire("outer");
		assertThat(file).exists();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(manager.snapshot().flockHeld()).isTrue();
		UpdateLockHold inner = manager.acquire("inner");
		outer.release();
		assertThat(file).exists();
		inner.release();
		assertThat(file).doesNotExist();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.RELEASED);
	}

}
