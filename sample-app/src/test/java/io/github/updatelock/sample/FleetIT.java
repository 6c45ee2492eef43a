package io.github.updatelock.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.testsupport.FakeBalenaApi;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar with fleet visibility pointed at a local server that answers like the
 * balenaCloud API: a critical section shows up in the device's tags within the configured
 * minimum interval and disappears after it, and an orderly stop removes the tags.
 */
class FleetIT {

	private static final Duration MIN_INTERVAL = Duration.ofSeconds(2);

	/** Room for the application's own steps and the HTTP exchanges on a busy machine. */
	private static final Duration SLACK = Duration.ofSeconds(5);

	@TempDir
	Path tempDir;

	private final FakeBalenaApi api = FakeBalenaApi.start();

	private SampleAppProcess app;

	@AfterEach
	void stopAll() throws Exception {
		if (this.app != null) {
			this.app.close();
		}
		this.api.close();
	}

	@Test
	void aCriticalSectionShowsUpAsDeviceTagsAndDisappearsAfter() throws Exception {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		this.app = SampleAppProcess.start(this.tempDir, List.of(), "--update-lock.path=" + lockFile,
				"--update-lock.fleet.api-url=" + this.api.uri(), "--update-lock.fleet.api-key=" + FakeBalenaApi.KEY,
				"--update-lock.fleet.device-uuid=" + FakeBalenaApi.DEVICE_UUID,
				"--update-lock.fleet.min-interval=" + MIN_INTERVAL.toSeconds() + "s");
		await().atMost(SLACK).until(() -> this.api.tags().equals(Map.of("update-lock.status", "RELEASED")));
		assertThat(this.app.log()).doesNotContain("Fleet visibility is off").doesNotContain(FakeBalenaApi.KEY);

		CompletableFuture<HttpResponse<String>> flash = this.app.postAsync("/demo/critical?seconds=10");
		await().atMost(Duration.ofSeconds(10)).until(() -> "HELD".equals(this.app.read("/actuator/updatelock",
				"$.status")));
		await().atMost(MIN_INTERVAL.plus(SLACK)).untilAsserted(() -> assertThat(this.api.tags())
			.containsEntry("update-lock.status", "HELD")
			.hasEntrySatisfying("update-lock.holds",
					(holds) -> assertThat(holds).matches("firmware-flash since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ")));
		String lock = this.app.get("/actuator/updatelock").body();
		assertThat(JsonPath.<Integer>read(lock, "$.fleet.deviceId")).isEqualTo((int) FakeBalenaApi.DEVICE_ID);
		assertThat(JsonPath.<String>read(lock, "$.fleet.tags['update-lock.status']")).isEqualTo("HELD");
		assertThat(lock).doesNotContain(FakeBalenaApi.KEY);
		String health = this.app.get("/actuator/health").body();
		assertThat(JsonPath.<String>read(health, "$.components.updateLock.status")).isEqualTo("UP");
		assertThat(JsonPath.<Integer>read(health, "$.components.updateLock.details.fleet.consecutiveFailures"))
			.isZero();

		assertThat(flash.get().statusCode()).isEqualTo(200);
		await().atMost(MIN_INTERVAL.plus(SLACK))
			.until(() -> this.api.tags().equals(Map.of("update-lock.status", "RELEASED")));

		assertThat(this.app.terminate()).as("exited within 10 s of SIGTERM").isTrue();
		assertThat(this.api.tags()).as("the tags after an orderly stop").isEmpty();
		assertThat(this.app.log()).doesNotContain(FakeBalenaApi.KEY);
	}

}
