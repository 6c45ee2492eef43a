package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.Peer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Both ways the lock file is made: unnamed then linked (where {@code O_TMPFILE} works, as
 * here), and created in place, the fallback for kernels and file systems without it,
 * which only these tests exercise on this machine.
 */
class OwnedLockFileTests {

	private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

	private final LocalInstance self = LocalInstance.current(Map.of());

	@TempDir
	Path directory;

	private Path lockFile() {
		return this.directory.resolve("updates.lock");
	}

	private OwnedLockFile create(boolean unnamedFirst) throws Exception {
		return OwnedLockFile.createNative(NativePath.of(lockFile()), true, this.self, NOW, unnamedFirst);
	}

	@ParameterizedTest(name = "unnamed first: {0}")
	@ValueSource(booleans = { true, false })
	void makesAMarkedFileWhoseFlockTheHostOsProbeSees(boolean unnamedFirst) throws Exception {
		LockPeers.require(Peer.HOST_OS_PROBE);
		OwnedLockFile file = create(unnamedFirst);
		try {
			assertThat(file.flockHeld()).isTrue();
			assertThat(LockMarker.parse(Files.readAllBytes(lockFile())))
				.hasValueSatisfying((marker) -> assertThat(marker.instanceId()).isEqualTo(this.self.instanceId()));
			assertThat(file.isStillAtPath()).isTrue();
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile())).isTrue();
		}
		finally {
			assertThat(file.removeAndClose()).isTrue();
		}
		assertThat(lockFile()).doesNotExist();
	}

	@ParameterizedTest(name = "unnamed first: {0}")
	@ValueSource(booleans = { true, false })
	void isRefusedWhereAnEntryExistsAndLeavesItAlone(boolean unnamedFirst) throws IOException {
		Files.writeString(lockFile(), "someone else's");
		assertThatExceptionOfType(LockFileCreationException.class).isThrownBy(() -> create(unnamedFirst))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockFileCreationException.Reason.EXISTS));
		assertThat(lockFile()).hasContent("someone else's");
		try (var entries = Files.list(this.directory)) {
			assertThat(entries).containsExactly(lockFile());
		}
	}

	@ParameterizedTest(name = "unnamed first: {0}")
	@ValueSource(booleans = { true, false })
	void tellsAMissingDirectory(boolean unnamedFirst) {
		NativePath missing = NativePath.of(this.directory.resolve("gone").resolve("updates.lock"));
		assertThatExceptionOfType(LockFileCreationException.class)
			.isThrownBy(() -> OwnedLockFile.createNative(missing, true, this.self, NOW, unnamedFirst))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockFileCreationException.Reason.DIRECTORY_MISSING));
	}

	@ParameterizedTest(name = "unnamed first: {0}")
	@ValueSource(booleans = { true, false })
	void releaseLeavesAFileThatReplacedOursAlone(boolean unnamedFirst) throws Exception {
		OwnedLockFile file = create(unnamedFirst);
		Files.delete(lockFile());
		Files.writeString(lockFile(), "the override's");
		assertThat(file.isStillAtPath()).isFalse();
		assertThat(file.removeAndClose()).isFalse();
		assertThat(lockFile()).hasContent("the override's");
	}

}
