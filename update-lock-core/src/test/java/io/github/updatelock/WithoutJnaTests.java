package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Path;

import io.github.updatelock.ChildJvm.Launch;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.Peer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock where the native binding is missing (no JNA jar, or a platform JNA does not
 * support), run in child JVMs whose class path lacks JNA (and the FFM classes): the file is
 * still made exclusively and marked with plain Java, and uid 65534 is still recognised. On
 * Java 22 and later the FFM binding needs no JNA at all.
 */
class WithoutJnaTests {

	@TempDir
	Path temporary;

	private Path lockFile;

	@BeforeEach
	void createLockDirectory() throws IOException {
		this.lockFile = LockPeers.lockDirectory(this.temporary).resolve("updates.lock");
	}

	@Test
	void holdsAMarkedFileAndRemovesItOnRelease() throws IOException {
		try (ChildJvm child = ChildJvm.holding(this.lockFile, true, this.temporary, Launch.WITHOUT_JNA)) {
			assertThat(child.heldState()).isEqualTo("HELD [FLOCK_UNAVAILABLE] APP_UPDATES_ONLY");
			assertThat(CrashRecoveryTests.markerOn(this.lockFile))
				.hasValueSatisfying((marker) -> assertThat(marker.flock()).isFalse());
			child.stop();
		}
		assertThat(this.lockFile).doesNotExist();
	}

	@Test
	@Tag(JavaVersions.JAVA_22)
	void holdsWithFlockThroughFfmWithoutJnaFromJava22() throws IOException {
		try (ChildJvm child = ChildJvm.holding(this.lockFile, true, this.temporary, Launch.WITHOUT_JNA_WITH_FFM)) {
			assertThat(child.heldState()).isEqualTo("HELD [] APP_AND_HOST_OS_UPDATES");
			assertThat(LockPeers.hostOsProbeFindsLockBusy(this.lockFile)).as("flock held").isTrue();
			assertThat(CrashRecoveryTests.markerOn(this.lockFile))
				.hasValueSatisfying((marker) -> assertThat(marker.flock()).isTrue());
			child.stop();
		}
		assertThat(this.lockFile).doesNotExist();
	}

	@Test
	void runningAsUid65534IsDetectedAndLeavesNoFile() throws IOException {
		LockPeers.require(Peer.SUPERVISOR);
		try (ChildJvm child = ChildJvm.holding(this.lockFile, true, this.temporary,
				Launch.WITHOUT_JNA_AS_SUPERVISOR_UID)) {
			assertThat(child.heldState()).startsWith("UNAVAILABLE [RUNNING_AS_SUPERVISOR_UID");
			assertThat(this.lockFile).doesNotExist();
			child.stop();
		}
		assertThat(this.lockFile).doesNotExist();
	}

}
