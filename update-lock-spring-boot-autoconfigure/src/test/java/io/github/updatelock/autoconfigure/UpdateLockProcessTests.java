package io.github.updatelock.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockTimeoutException;
import io.github.updatelock.context.UpdateLockStartupHold;
import io.github.updatelock.event.StaleUpdateLockReclaimedEvent;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Runs {@link LockHoldingApplication} in its own JVM and stops it the way a device does:
 * SIGTERM from {@code docker stop}, or SIGKILL once the grace period is over.
 */
class UpdateLockProcessTests {

	@TempDir
	Path tempDir;

	private Process process;

	@AfterEach
	void killProcess() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

	@Test
	void sigtermLeavesNoLockFileBehind() throws Exception {
		Path lockFile = this.tempDir.resolve("updates.lock");
		Path output = startApplication(lockFile);
		try (UpdateLockManager neighbour = neighbour(lockFile)) {
			// Another JVM sees the lock as held by a live instance of this protocol.
			assertThatExceptionOfType(UpdateLockTimeoutException.class)
				.isThrownBy(() -> neighbour.acquire("neighbour", Duration.ZERO))
				.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.LIVE_INSTANCE));
		}
		if (hasHostOsProbe()) {
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).isTrue();
		}
		this.process.destroy();
		assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
		assertThat(lockFile).as("lock file after SIGTERM; application output:%n%s", read(output)).doesNotExist();
	}

	@Test
	void sigkillLeavesAStaleLockFileThatTheNextStartReclaims() throws Exception {
		Path lockFile = this.tempDir.resolve("updates.lock");
		startApplication(lockFile);
		this.process.destroyForcibly();
		assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(lockFile).exists();
		List<Object> events = new CopyOnWriteArrayList<>();
		try (UpdateLockManager next = neighbour(lockFile)) {
			next.addListener(events::add);
			UpdateLockStartupHold startupHold = new UpdateLockStartupHold(next, "startup");
			startupHold.take();
			assertThat(startupHold.state()).isEqualTo(UpdateLockStartupHold.State.HELD);
			assertThat(next.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(next.snapshot().staleReclaims()).isOne();
			await().untilAsserted(() -> assertThat(events).first().isInstanceOf(StaleUpdateLockReclaimedEvent.class));
		}
	}

	/**
	 * Native access denied refuses FFM and JNA alike (JNA loads its library through
	 * {@code System::load}): on a device, where the lock directory exists, the application
	 * must not start as if it protected against host OS updates. The flag exists from Java
	 * 24 on; the build runs this test only there.
	 */
	@Test
	@Tag("java24")
	void deniedNativeAccessRefusesToStartOnADeviceWithTheCauseAndTheFix() throws Exception {
		Path lockFile = this.tempDir.resolve("updates.lock");
		Path output = this.tempDir.resolve("application.log");
		this.process = new ProcessBuilder(java(), "--illegal-native-access=deny", "-cp", classPath(),
				LockHoldingApplication.class.getName(), "--update-lock.path=" + lockFile,
				"--spring.main.banner-mode=off")
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		assertThat(this.process.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s").isTrue();
		assertThat(this.process.exitValue()).as("exit code; output:%n%s", read(output)).isNotZero();
		assertThat(read(output)).contains("APPLICATION FAILED TO START", "flock(2) cannot be held on update lock",
				"java.lang.IllegalCallerException", "--enable-native-access=ALL-UNNAMED", "update-lock.flock=false")
			.doesNotContain(LockHoldingApplication.READY);
		assertThat(lockFile).doesNotExist();
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static String classPath() {
		// Surefire hands the forked JVM a manifest-only jar; the real class path is here.
		return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
	}

	private Path startApplication(Path lockFile) throws IOException {
		Path output = this.tempDir.resolve("application.log");
		this.process = new ProcessBuilder(java(), "-cp", classPath(), LockHoldingApplication.class.getName(),
				"--update-lock.path=" + lockFile, "--update-lock.hold-on-startup=true",
				"--update-lock.shutdown.wait=500ms", "--spring.main.keep-alive=true",
				"--spring.main.banner-mode=off")
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.failFast(() -> assertThat(this.process.isAlive()).as("application exited; its output:%n%s", read(output))
				.isTrue())
			.until(() -> read(output).contains(LockHoldingApplication.READY));
		assertThat(lockFile).exists();
		return output;
	}

	private static UpdateLockManager neighbour(Path lockFile) {
		return UpdateLockManager.builder().lockPath(lockFile).environment(Map.of()).shutdownHook(false).build();
	}

	private static boolean hasHostOsProbe() {
		LockPeers.requireHostOsProbe();
		return true;
	}

	private static String read(Path file) throws IOException {
		return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
	}

}
