package io.github.updatelock.sample.boot3;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged Spring Boot 3.5 jar, run as a process: each kind of critical section makes
 * the lock file appear, exclusively and with a flock that a host OS update's reboot waits
 * for, and vanish once the section ends; the endpoint and the health contributor say so.
 */
class CriticalSectionIT {

	@TempDir
	static Path tempDir;

	private static Path lockFile;

	private static SampleJar app;

	@BeforeAll
	static void startApplication() throws Exception {
		LockPeers.requireHostOsProbe();
		LockPeers.requireSupervisor();
		lockFile = LockPeers.lockDirectory(tempDir).resolve("updates.lock");
		app = SampleJar.start(tempDir, "--update-lock.path=" + lockFile);
	}

	@AfterAll
	static void stopApplication() throws Exception {
		if (app != null) {
			app.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "sync", "async", "reactive" })
	void aCriticalSectionHoldsTheLockFileWhileItRunsAndRemovesItAfterwards(String section) throws Exception {
		assertThat(app.<String>read("/actuator/updatelock", "$.status")).isEqualTo("RELEASED");
		assertThat(lockFile).doesNotExist();

		CompletableFuture<HttpResponse<String>> running = app.post("/critical/" + section + "?millis=4000");
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(lockFile));
		assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).as("flock -n while the section runs").isTrue();
		assertThat(LockPeers.supervisorLocks(lockFile)).as("the Supervisor's lockfile while the section runs")
			.isFalse();
		String lock = app.get("/actuator/updatelock").body();
		assertThat(JsonPath.<String>read(lock, "$.status")).isEqualTo("HELD");
		assertThat(JsonPath.<List<String>>read(lock, "$.holds[*].name")).containsExactly(section + "-section");
		assertThat(JsonPath.<Boolean>read(lock, "$.flockHeld")).isTrue();
		assertThat(JsonPath.<Boolean>read(lock, "$.file.ours")).isTrue();
		assertThat(JsonPath.<String>read(lock, "$.protection")).isEqualTo("APP_AND_HOST_OS_UPDATES");
		HttpResponse<String> health = app.get("/actuator/health/updateLock");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(health.body(), "$.status")).isEqualTo("UP");
		assertThat(JsonPath.<String>read(health.body(), "$.details.lockStatus")).isEqualTo("HELD");
		assertThat(JsonPath.<String>read(health.body(), "$.details.path")).isEqualTo(lockFile.toString());

		HttpResponse<String> answer = running.get();
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(JsonPath.<String>read(answer.body(), "$.section")).isEqualTo(section);
		assertThat(JsonPath.<String>read(answer.body(), "$.lockStatus")).isEqualTo("HELD");
		await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
		assertThat(app.<String>read("/actuator/updatelock", "$.status")).isEqualTo("RELEASED");
		assertThat(app.<List<String>>read("/actuator/updatelock", "$.holds")).isEmpty();
		assertThat(app.<String>read("/actuator/health/updateLock", "$.details.lockStatus")).isEqualTo("RELEASED");
	}

	@Test
	void aDurationOutOfRangeIsABadRequestThatNamesTheRange() throws Exception {
		HttpResponse<String> refused = app.post("/critical/sync?millis=0").get();
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(JsonPath.<String>read(refused.body(), "$.detail")).isEqualTo("millis must be from 1 to 60000, not 0");
		assertThat(lockFile).doesNotExist();
	}

}
