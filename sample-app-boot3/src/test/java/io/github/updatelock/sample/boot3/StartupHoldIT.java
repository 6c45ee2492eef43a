package io.github.updatelock.sample.boot3;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged Spring Boot 3.5 jar with {@code update-lock.hold-on-startup=true}: updates
 * wait from the application's start, through its critical sections, until it stops.
 */
class StartupHoldIT {

	@TempDir
	Path tempDir;

	@Test
	void theStartupHoldKeepsTheLockFromStartUntilShutdown() throws Exception {
		LockPeers.requireHostOsProbe();
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		try (SampleJar app = SampleJar.start(this.tempDir, "--update-lock.path=" + lockFile,
				"--update-lock.hold-on-startup=true")) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "HELD".equals(app.read("/actuator/updatelock", "$.startupHold")));
			assertThat(app.<List<String>>read("/actuator/updatelock", "$.holds[*].name")).containsExactly("startup");
			assertThat(app.<List<String>>read("/actuator/health/updateLock", "$.details.holds"))
				.containsExactly("startup");
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).as("flock -n after startup").isTrue();

			HttpResponse<String> section = app.post("/critical/sync?millis=100").get();
			assertThat(section.statusCode()).as(section.body()).isEqualTo(200);
			assertThat(JsonPath.<String>read(section.body(), "$.lockStatus")).isEqualTo("HELD");
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).as("flock -n after the section").isTrue();

			assertThat(app.terminate()).as("stopped within 10 s of SIGTERM").isTrue();
			assertThat(lockFile).doesNotExist();
		}
	}

}
