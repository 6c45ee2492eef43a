package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the on-demand views of the disk that observers (endpoint, health) use.
 */
class UpdateLockManagerInspectionTests {

	@TempDir
	Path directory;

	private UpdateLockManager manager;

	@AfterEach
	void closeManager() {
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private UpdateLockManager manager(Path lockPath) {
		this.manager = UpdateLockManager.builder()
			.lockPath(lockPath)
			.environment(Map.of())
			.shutdownHook(false)
			.build();
		return this.manager;
	}

	@Test
	void inspectLockFileReportsNothingWhenNoFileExists() {
		UpdateLockFileState state = manager(this.directory.resolve("updates.lock")).inspectLockFile();
		assertThat(state.present()).isFalse();
		assertThat(state.ours()).isFalse();
		assertThat(state.ownerUid()).isNull();
	}

	@Test
	void inspectLockFileRecognisesTheFileWeHold() throws IOException {
		Path lockPath = this.directory.resolve("updates.lock");
		UpdateLockManager manager = manager(lockPath);
		try (UpdateLockHold hold = manager.acquire("job")) {
			UpdateLockFileState state = manager.inspectLockFile();
			assertThat(state.present()).isTrue();
			assertThat(state.ours()).isTrue();
			assertThat(state.ownerUid()).isEqualTo(Files.getAttribute(lockPath, "unix:uid", LinkOption.NOFOLLOW_LINKS));
		}
		assertThat(manager.inspectLockFile().present()).isFalse();
	}

	@Test
	void inspectLockFileTellsAReplacedFileFromOurs() throws IOException {
		Path lockPath = this.directory.resolve("updates.lock");
		UpdateLockManager manager = manager(lockPath);
		try (UpdateLockHold hold = manager.acquire("job")) {
			// What an override does: our file goes, another one appears under the same name.
			Files.delete(lockPath);
			Files.writeString(lockPath, "0");
			UpdateLockFileState state = manager.inspectLockFile();
			assertThat(state.present()).isTrue();
			assertThat(state.ours()).isFalse();
		}
	}

	@Test
	void inspectLockFileDoesNotTakeAnotherProcessFileForOurs() throws IOException {
		Path lockPath = this.directory.resolve("updates.lock");
		Files.writeString(lockPath, "0");
		UpdateLockFileState state = manager(lockPath).inspectLockFile();
		assertThat(state.present()).isTrue();
		assertThat(state.ours()).isFalse();
	}

	@Test
	void checkLockDirectoryIsEmptyForAUsableDirectory() {
		assertThat(manager(this.directory.resolve("updates.lock")).checkLockDirectory()).isEmpty();
	}

	@Test
	void checkLockDirectoryReportsAMissingDirectoryWithItsPath() {
		Path missing = this.directory.resolve("not-balena");
		UpdateLockManager manager = manager(missing.resolve("updates.lock"));
		assertThat(manager.checkLockDirectory()).hasValueSatisfying((warning) -> {
			assertThat(warning.problem()).isEqualTo(UpdateLockProblem.LOCK_DIRECTORY_MISSING);
			assertThat(warning.message()).contains(missing.toString());
		});
	}

	@Test
	void checkLockDirectoryNoticesADirectoryRemovedAfterStartup() throws IOException {
		Path lockDirectory = Files.createDirectory(this.directory.resolve("balena"));
		UpdateLockManager manager = manager(lockDirectory.resolve("updates.lock"));
		Files.delete(lockDirectory);
		assertThat(manager.checkLockDirectory()).map(UpdateLockWarning::problem)
			.contains(UpdateLockProblem.LOCK_DIRECTORY_MISSING);
	}

	@Test
	void holdIdMatchesTheIdInTheSnapshot() {
		UpdateLockManager manager = manager(this.directory.resolve("updates.lock"));
		try (UpdateLockHold first = manager.acquire("first"); UpdateLockHold second = manager.acquire("second")) {
			assertThat(manager.snapshot().holds()).extracting(ActiveHold::id).containsExactly(first.id(), second.id());
		}
	}

}
