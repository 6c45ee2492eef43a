package io.github.updatelock.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code hand-over} update strategy, played with two packaged jars that share one lock
 * directory, as the old and the new container of a service share it on a device. The
 * Supervisor (v19.0.5, {@code src/compose/update-strategies.ts} and {@code waitToKill} in
 * {@code src/compose/service-manager.ts}) starts the new container, then stops the old one
 * without asking for the lock and without waiting for {@code handover-complete}: the old
 * instance's running critical section is protected only by its own shutdown wait. The new
 * instance's startup hold must wait for the old flock and take the lock once it is free.
 */
class HandOverIT {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path tempDir;

	private SampleAppProcess oldInstance;

	private SampleAppProcess newInstance;

	@AfterEach
	void stopApplications() throws Exception {
		if (this.oldInstance != null) {
			this.oldInstance.close();
		}
		if (this.newInstance != null) {
			this.newInstance.close();
		}
	}

	@Test
	void sigtermWhileTheOldInstanceFlashesLetsTheSectionFinishBeforeTheNewStartupHoldTakesTheLock()
			throws Exception {
		Path lockFile = this.tempDir.resolve("updates.lock");
		this.oldInstance = SampleAppProcess.start(this.tempDir, List.of(), "--update-lock.path=" + lockFile,
				"--update-lock.hold-on-startup=true", "--sample.work.end-early-on-shutdown=false");
		assertThat(this.oldInstance.<String>read("/actuator/updatelock", "$.startupHold")).isEqualTo("HELD");

		// A JVM takes longer to start here than the section lasts, so the new instance starts
		// first; what matters is that SIGTERM lands in the middle of the section.
		this.newInstance = SampleAppProcess.start(this.tempDir, List.of(), "--update-lock.path=" + lockFile,
				"--update-lock.hold-on-startup=true", "--sample.work.end-early-on-shutdown=false");
		assertThat(this.newInstance.<String>read("/actuator/updatelock", "$.startupHold")).isEqualTo("WAITING");
		assertThat(this.newInstance.<Boolean>read("/actuator/updatelock", "$.file.ours")).isFalse();

		CompletableFuture<HttpResponse<String>> section = this.oldInstance.postAsync("/demo/critical?seconds=3");
		await("the old instance's critical section to hold the lock").atMost(WAIT)
			.until(() -> this.oldInstance.<List<String>>read("/actuator/updatelock", "$.holds[*].name")
				.contains("firmware-flash"));
		assertThat(this.oldInstance.terminate()).as("old instance exited within 10 s of SIGTERM").isTrue();

		HttpResponse<String> answer = section.get();
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(JsonPath.<Boolean>read(answer.body(), "$.completed")).as("section completed").isTrue();
		assertThat(JsonPath.<String>read(answer.body(), "$.lockStatus")).isEqualTo("HELD");
		assertThat(this.oldInstance.log()).doesNotContain("still active after");

		await("the new instance's startup hold to take the freed lock").atMost(WAIT)
			.until(() -> "HELD".equals(this.newInstance.read("/actuator/updatelock", "$.startupHold")));
		String lock = this.newInstance.get("/actuator/updatelock").body();
		assertThat(JsonPath.<String>read(lock, "$.status")).isEqualTo("HELD");
		assertThat(JsonPath.<Boolean>read(lock, "$.file.ours")).as("the lock file is the new instance's").isTrue();
		assertThat(lockFile).exists();
	}

}
