package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Path;

import io.github.updatelock.ChildJvm.Launch;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which libc binding serves where the FFM one cannot, in child JVMs started as users start
 * them, each checked with the host OS probe ({@code flock -n}, as {@code safe_reboot} runs
 * it): the log says why a binding was skipped, with the root cause, and a lock without its
 * flock never reads as protecting.
 */
class NativeBindingChoiceTests {

	@TempDir
	Path temporary;

	private Path lockFile;

	@BeforeEach
	void createLockDirectory() throws IOException {
		this.lockFile = LockPeers.lockDirectory(this.temporary).resolve("updates.lock");
	}

	@Test
	@Tag(JavaVersions.JAVA_22)
	void jnaServesWhereTheJarIsNotReadAsMultiReleaseAndTheLogSaysWhyFfmWasSkipped() throws IOException {
		try (ChildJvm child = ChildJvm.holding(this.lockFile, true, this.temporary, Launch.WITHOUT_FFM_CLASSES)) {
			assertThat(child.heldState()).isEqualTo("HELD [] APP_AND_HOST_OS_UPDATES");
			assertThat(LockPeers.hostOsProbeFindsLockBusy(this.lockFile)).as("flock held").isTrue();
			await().atMost(LockPeers.TIMEOUT)
				.untilAsserted(() -> assertThat(child.log()).contains("INFO: libc through JNA: FFM skipped: ",
						"Multi-Release", "java.lang.ClassNotFoundException: io.github.updatelock.internal.FfmNativeCalls"));
			child.stop();
		}
	}

	@Test
	@Tag(JavaVersions.JAVA_24)
	void deniedNativeAccessRefusesBothBindingsAndTheLockSaysAppUpdatesOnly() throws IOException {
		try (ChildJvm child = ChildJvm.holding(this.lockFile, true, this.temporary, Launch.NATIVE_ACCESS_DENIED)) {
			assertThat(child.heldState()).isEqualTo("HELD [FLOCK_UNAVAILABLE] APP_UPDATES_ONLY");
			assertThat(LockPeers.hostOsProbeFindsLockBusy(this.lockFile)).as("flock held").isFalse();
			// The manager warns from its own thread.
			await().atMost(LockPeers.TIMEOUT)
				.untilAsserted(() -> assertThat(child.log()).contains("FFM skipped: java.lang.IllegalCallerException",
						"JNA skipped: java.lang.IllegalCallerException", "--enable-native-access=ALL-UNNAMED"));
			assertThat(child.log()).doesNotContain("ExceptionInInitializerError");
			child.stop();
		}
	}

}
