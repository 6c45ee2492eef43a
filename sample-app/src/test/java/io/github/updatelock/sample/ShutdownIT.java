package io.github.updatelock.sample;

import java.net.http.HttpResponse;
import java.nio.file.Files;
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
 * How the packaged jar ends while a critical section holds the lock: SIGTERM (as from
 * {@code docker stop}) must leave no lock file behind, because a leftover file blocks
 * every update until someone removes it; SIGKILL cannot clean up, so the next start must.
 */
class ShutdownIT {

	@TempDir
	Path tempDir;

	private SampleAppProcess app;

	private SampleAppProcess restarted;

	@AfterEach
	void stopApplications() throws Exception {
		if (this.app != null) {
			this.app.close();
		}
		if (this.restarted != null) {
			this.restarted.close();
		}
	}

	@Test
	void sigtermWhileHoldingEndsTheWorkAndRemovesTheLockFile() throws Exception {
		Path lockFile = this.tempDir.resolve("updates.lock");
		this.app = SampleAppProcess.start(this.tempDir, List.of(), "--update-lock.path=" + lockFile);
		assertThat(this.app.log()).doesNotContain("NOT on balenaOS");
		CompletableFuture<HttpResponse<String>> flash = startLongFlash(this.app, lockFile);

		assertThat(this.app.terminate()).as("exited within 10 s of SIGTERM").isTrue();
		assertThat(lockFile).as("lock file after SIGTERM").doesNotExist();
		// The flash noticed the shutdown and answered, rather than being cut off mid-request.
		HttpResponse<String> answer = flash.get();
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
		assertThat(JsonPath.<Boolean>read(answer.body(), "$.completed")).isFalse();
	}

	@Test
	void sigkillWhileHoldingLeavesTheLockFileForTheNextStartToReclaim() throws Exception {
		Path lockFile = this.tempDir.resolve("updates.lock");
		this.app = SampleAppProcess.start(this.tempDir, List.of(), "--update-lock.path=" + lockFile);
		startLongFlash(this.app, lockFile);
		this.app.kill();
		assertThat(lockFile).as("lock file after SIGKILL").exists();

		this.restarted = SampleAppProcess.start(this.tempDir, List.of(), "--update-lock.path=" + lockFile,
				"--update-lock.hold-on-startup=true");
		String lock = this.restarted.get("/actuator/updatelock").body();
		assertThat(JsonPath.<String>read(lock, "$.status")).isEqualTo("HELD");
		assertThat(JsonPath.<String>read(lock, "$.startupHold")).isEqualTo("HELD");
		assertThat(JsonPath.<Integer>read(lock, "$.staleReclaims")).isOne();
		assertThat(JsonPath.<String>read(lock, "$.lastStaleReclaim")).isNotNull();
		assertThat(JsonPath.<Boolean>read(lock, "$.file.ours")).isTrue();
		assertThat(this.restarted.log()).contains("Removed the update lock " + lockFile + " left by a dead instance");

		HttpResponse<String> answer = this.restarted.post("/demo/critical?seconds=1");
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(JsonPath.<String>read(answer.body(), "$.lockStatus")).isEqualTo("HELD");
		assertThat(this.restarted.terminate()).as("exited within 10 s of SIGTERM").isTrue();
		assertThat(lockFile).doesNotExist();
	}

	private static CompletableFuture<HttpResponse<String>> startLongFlash(SampleAppProcess app, Path lockFile) {
		CompletableFuture<HttpResponse<String>> flash = app.postAsync("/demo/critical?seconds=120");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Files.exists(lockFile) && "HELD".equals(app.read("/actuator/updatelock", "$.status")));
		return flash;
	}

}
