package io.github.updatelock.sample;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The packaged jar run the way the README runs it on a laptop, with no lock path
 * configured: it falls back to the local demo directory, refuses a bad request, and a
 * critical section makes the lock file appear, with a flock that stops a host OS update's
 * reboot, and vanish again.
 */
class CriticalSectionIT {

	@TempDir
	Path tempDir;

	private SampleAppProcess app;

	@AfterEach
	void stopApplication() throws Exception {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void aCriticalSectionTakesTheLockFileAndRemovesItAfterwards() throws Exception {
		LockPeers.requireHostOsProbe();
		assumeFalse(Files.exists(Path.of("/tmp/balena")), "this machine looks like a balenaOS device");
		this.app = SampleAppProcess.start(this.tempDir, List.of("-Djava.io.tmpdir=" + this.tempDir));
		Path localDirectory = this.tempDir.resolve(LocalLockDirectoryEnvironmentPostProcessor.LOCAL_DIRECTORY_NAME);
		Path lockFile = localDirectory.resolve("updates.lock");
		assertThat(this.app.log()).contains("NOT on balenaOS", "using local demo lock directory " + localDirectory,
				"Fleet visibility is off: the Supervisor API is not available");
		assertThat(this.app.<String>read("/actuator/updatelock", "$.status")).isEqualTo("RELEASED");
		assertThat(this.app.<String>read("/actuator/updatelock", "$.path")).isEqualTo(lockFile.toString());
		assertThat(lockFile).doesNotExist();
		HttpResponse<String> refused = this.app.post("/demo/critical?seconds=301");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(JsonPath.<String>read(refused.body(), "$.detail"))
			.isEqualTo("seconds must be a whole number from 1 to 300, not 301");

		CompletableFuture<HttpResponse<String>> flash = this.app.postAsync("/demo/critical?seconds=3");
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(lockFile));
		assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).as("host OS probe while flashing").isTrue();
		String lock = this.app.get("/actuator/updatelock").body();
		assertThat(JsonPath.<String>read(lock, "$.status")).isEqualTo("HELD");
		assertThat(JsonPath.<List<String>>read(lock, "$.holds[*].name")).containsExactly("firmware-flash");
		assertThat(JsonPath.<Boolean>read(lock, "$.flockHeld")).isTrue();
		assertThat(JsonPath.<Boolean>read(lock, "$.file.ours")).isTrue();
		String health = this.app.get("/actuator/health").body();
		assertThat(JsonPath.<String>read(health, "$.components.updateLock.status")).isEqualTo("UP");
		assertThat(JsonPath.<String>read(health, "$.components.updateLock.details.lockStatus")).isEqualTo("HELD");

		HttpResponse<String> answer = flash.get();
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(JsonPath.<Boolean>read(answer.body(), "$.completed")).isTrue();
		assertThat(JsonPath.<String>read(answer.body(), "$.lockStatus")).isEqualTo("HELD");
		await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
		assertThat(this.app.<String>read("/actuator/updatelock", "$.status")).isEqualTo("RELEASED");
	}

}
