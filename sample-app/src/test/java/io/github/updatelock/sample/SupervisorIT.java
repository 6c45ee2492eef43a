package io.github.updatelock.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar, holding the lock from startup, against the real Supervisor peer
 * (procmail's {@code lockfile} as uid 65534): it waits for the Supervisor without ever
 * touching its file, and reports an override plainly without fighting it.
 */
class SupervisorIT {

	@TempDir
	Path tempDir;

	private Path lockFile;

	private SampleAppProcess app;

	@BeforeEach
	void lockDirectory() throws Exception {
		LockPeers.requireSupervisor();
		this.lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
	}

	@AfterEach
	void stopApplication() throws Exception {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void startsWhileTheSupervisorHoldsTheLockAndTakesItSoonAfterTheSupervisorLetsGo() throws Exception {
		LockPeers.takeSupervisorLock(this.lockFile);
		// A short sync interval shows the skip policy at work while the Supervisor holds on.
		this.app = SampleAppProcess.start(this.tempDir, List.of(), "--update-lock.path=" + this.lockFile,
				"--update-lock.hold-on-startup=true", "--sample.data-sync.interval=300ms");
		String lock = this.app.get("/actuator/updatelock").body();
		assertThat(JsonPath.<String>read(lock, "$.status")).isEqualTo("WAITING");
		assertThat(JsonPath.<String>read(lock, "$.startupHold")).isEqualTo("WAITING");
		assertThat(JsonPath.<String>read(lock, "$.blocker")).isEqualTo("SUPERVISOR");
		assertThat(JsonPath.<Integer>read(lock, "$.file.ownerUid")).isEqualTo(LockPeers.SUPERVISOR_UID);
		assertThat(this.app.<String>read("/actuator/health", "$.components.updateLock.status")).isEqualTo("UP");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.app.log().contains("Skipped 'data-sync'"));
		assertThat(this.app.log()).contains(UpdateImminentListener.UPDATE_IMMINENT + ": the Supervisor holds");
		assertThat(LockPeers.ownerUid(this.lockFile)).as("the Supervisor's file is never touched")
			.isEqualTo(LockPeers.SUPERVISOR_UID);

		// What the Supervisor does once the update is applied (or abandoned).
		Files.delete(this.lockFile);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> "HELD".equals(this.app.read("/actuator/updatelock", "$.startupHold")));
		lock = this.app.get("/actuator/updatelock").body();
		assertThat(JsonPath.<String>read(lock, "$.status")).isEqualTo("HELD");
		assertThat(JsonPath.<Boolean>read(lock, "$.file.ours")).isTrue();
		assertThat(JsonPath.<String>read(lock, "$.blocker")).isNull();
	}

	@Test
	void anOverrideIsReportedAndTheSupervisorsFileOutlivesTheApplication() throws Exception {
		this.app = SampleAppProcess.start(this.tempDir, List.of(), "--update-lock.path=" + this.lockFile,
				"--update-lock.hold-on-startup=true");
		assertThat(this.app.<String>read("/actuator/updatelock", "$.status")).isEqualTo("HELD");

		LockPeers.supervisorOverrides(this.lockFile);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> "LOST".equals(this.app.read("/actuator/updatelock", "$.status")));
		assertThat(this.app.<String>read("/actuator/updatelock", "$.lastLost")).isNotNull();
		HttpResponse<String> health = this.app.get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat(JsonPath.<String>read(health.body(), "$.components.updateLock.status")).isEqualTo("DOWN");
		assertThat(JsonPath.<String>read(health.body(), "$.components.updateLock.details.reason"))
			.contains("was taken away");
		assertThat(this.app.log()).contains(
				UpdateImminentListener.UPDATE_IMMINENT + ": the update lock " + this.lockFile + " was taken away");

		assertThat(this.app.terminate()).as("exited within 10 s of SIGTERM").isTrue();
		assertThat(this.lockFile).as("the Supervisor's lock file after the application stopped").exists();
		assertThat(LockPeers.ownerUid(this.lockFile)).isEqualTo(LockPeers.SUPERVISOR_UID);
		assertThat(Files.readString(this.lockFile, StandardCharsets.US_ASCII)).isEqualTo("0");
	}

}
