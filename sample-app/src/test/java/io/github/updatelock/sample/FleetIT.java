package io.github.updatelock.sample;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.testsupport.FakeBalenaApi;
import io.github.updatelock.testsupport.FakeSupervisor;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar with fleet visibility: device tags written through a local server that
 * answers like the Supervisor, or, without it, like the balenaCloud API.
 */
class FleetIT {

	private static final Duration MIN_INTERVAL = Duration.ofSeconds(2);

	/** Room for the application's own steps and the HTTP exchanges on a busy machine. */
	private static final Duration SLACK = Duration.ofSeconds(5);

	private static final String TARGET = "4f2a9c1e8d7b6a5f4f2a9c1e8d7b6a5f";

	private static final Pattern SYNC = Pattern.compile("Data sync #\\d+ uploaded");

	@TempDir
	Path tempDir;

	private final FakeSupervisor supervisor = FakeSupervisor.start();

	private final FakeBalenaApi api = FakeBalenaApi.start();

	private final List<SampleAppProcess> apps = new ArrayList<>();

	@AfterEach
	void stopAll() throws Exception {
		for (SampleAppProcess app : this.apps) {
			app.close();
		}
		this.supervisor.close();
		this.api.close();
	}

	private SampleAppProcess start(String serviceName, String... arguments) throws Exception {
		Path lockDirectory = LockPeers.lockDirectory(Files.createDirectories(this.tempDir.resolve(serviceName)));
		List<String> all = new ArrayList<>(List.of("--update-lock.path=" + lockDirectory.resolve("updates.lock"),
				"--BALENA_SERVICE_NAME=" + serviceName, "--update-lock.supervisor.address=" + this.supervisor.address(),
				"--update-lock.supervisor.api-key=" + FakeSupervisor.KEY, "--update-lock.supervisor.poll-interval=500ms",
				"--update-lock.fleet.min-interval=" + MIN_INTERVAL.toSeconds() + "s"));
		all.addAll(List.of(arguments));
		SampleAppProcess app = SampleAppProcess.start(this.tempDir, List.of(), all.toArray(String[]::new));
		this.apps.add(app);
		return app;
	}

	private static Map<String, String> nothingToSay(String serviceName) {
		return Map.of("update-lock." + serviceName + ".status", "ok", "update-lock." + serviceName + ".pending",
				"none", "update-lock." + serviceName + ".long-hold", "none");
	}

	private static long syncs(SampleAppProcess app) throws Exception {
		return SYNC.matcher(app.log()).results().count();
	}

	@Test
	void aPeriodicJobAloneWritesNothingAndAnUpdateThatWaitsIsListedWithinTheInterval() throws Exception {
		SampleAppProcess app = start("main", "--sample.data-sync.interval=300ms");
		await().atMost(SLACK).until(() -> this.supervisor.deviceTags().equals(nothingToSay("main")));
		assertThat(this.supervisor.tagWrites()).as("one write at start").isOne();
		assertThat(app.log()).contains("Supervisor 17.8.0 at " + this.supervisor.address());

		// The job holds the lock every 0.5 s: 15 runs take at least three minimum intervals, in which a
		// write per run, or per interval, would show. In production terms (a 15 s job, 30 s interval) that
		// is more than a minute of the job.
		long before = syncs(app);
		await().atMost(Duration.ofSeconds(30)).until(() -> syncs(app) >= before + 15);
		assertThat(this.supervisor.tagWrites()).as("writes while the job alone ran").isOne();

		this.supervisor.updatePending(TARGET);
		CompletableFuture<HttpResponse<String>> flash = app.postAsync("/demo/critical?seconds=10");
		await().atMost(MIN_INTERVAL.plus(SLACK)).untilAsserted(() -> assertThat(this.supervisor.deviceTags())
			.hasEntrySatisfying("update-lock.main.pending", (value) -> assertThat(value)
				.matches("release 4f2a9c1 waits since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ on .*firmware-flash.*")));
		long listed = this.supervisor.tagWrites();
		long runs = syncs(app);
		await().atMost(Duration.ofSeconds(30)).until(() -> syncs(app) >= runs + 5);
		assertThat(this.supervisor.tagWrites()).as("writes while the update waited and the job ran")
			.isLessThanOrEqualTo(listed + 1);

		this.supervisor.upToDate();
		assertThat(flash.get().statusCode()).isEqualTo(200);
		await().atMost(MIN_INTERVAL.plus(SLACK))
			.until(() -> this.supervisor.deviceTags().equals(nothingToSay("main")));
		assertThat(this.api.recorded()).as("balenaCloud is only the fallback").isEmpty();
	}

	@Test
	void twoServicesKeepTheirOwnTags() throws Exception {
		start("main");
		SampleAppProcess worker = start("worker");
		Map<String, String> both = new TreeMap<>(nothingToSay("main"));
		both.putAll(nothingToSay("worker"));
		await().atMost(SLACK).until(() -> this.supervisor.deviceTags().equals(both));
		assertThat(worker.terminate()).as("exited within 10 s of SIGTERM").isTrue();
		assertThat(this.supervisor.deviceTags()).as("one service's stop leaves the other's tags").isEqualTo(both);
	}

	@Test
	void anOperatorHoldThatOutlivesTheShutdownWaitIsReleasedWithoutWaitingOnAStalledSupervisor() throws Exception {
		SampleAppProcess app = start("main", "--update-lock.shutdown.wait=1s",
				"--management.endpoint.updatelock.access=unrestricted",
				"--update-lock.fleet.api-url=" + this.api.uri(), "--update-lock.fleet.api-key=" + FakeBalenaApi.KEY,
				"--update-lock.fleet.device-uuid=" + FakeBalenaApi.DEVICE_UUID);
		Path lockFile = this.tempDir.resolve("main").resolve("balena").resolve("updates.lock");
		this.supervisor.updatePending(TARGET);
		assertThat(app.postJson("/actuator/updatelock/maintenance", "{}").statusCode()).isBetween(200, 299);
		await().atMost(MIN_INTERVAL.plus(SLACK)).untilAsserted(() -> assertThat(this.supervisor.deviceTags())
			.hasEntrySatisfying("update-lock.main.pending", (value) -> assertThat(value).endsWith(" on maintenance")));
		assertThat(lockFile).exists();

		// The fake runs in this JVM: it cannot be stopped with SIGSTOP, so it stops answering instead.
		this.supervisor.stallAnswers();
		this.api.stallAnswers();
		long start = System.nanoTime();
		app.sigterm();
		await().atMost(Duration.ofMillis(2500)).pollInterval(Duration.ofMillis(20)).until(() -> !Files.exists(lockFile));
		Duration released = Duration.ofNanos(System.nanoTime() - start);
		assertThat(released).as("lock file removed after SIGTERM").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(app.terminate()).as("exited within 10 s of SIGTERM").isTrue();
		assertThat(app.log()).contains("still active after PT1S of shutdown: [maintenance]");
	}

	@Test
	void withoutTheSupervisorTheTagsGoStraightToBalenaCloud() throws Exception {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		SampleAppProcess app = SampleAppProcess.start(this.tempDir, List.of(), "--update-lock.path=" + lockFile,
				"--update-lock.fleet.api-url=" + this.api.uri(), "--update-lock.fleet.api-key=" + FakeBalenaApi.KEY,
				"--update-lock.fleet.device-uuid=" + FakeBalenaApi.DEVICE_UUID,
				"--update-lock.fleet.min-interval=" + MIN_INTERVAL.toSeconds() + "s",
				"--update-lock.long-hold-warning=1s");
		this.apps.add(app);
		await().atMost(SLACK).until(() -> this.api.tags()
			.equals(Map.of("update-lock.status", "ok", "update-lock.pending", "none", "update-lock.long-hold", "none")));
		assertThat(app.log()).doesNotContain("Fleet visibility is off").doesNotContain(FakeBalenaApi.KEY);

		CompletableFuture<HttpResponse<String>> flash = app.postAsync("/demo/critical?seconds=8");
		await().atMost(MIN_INTERVAL.plus(SLACK)).untilAsserted(() -> assertThat(this.api.tags())
			.hasEntrySatisfying("update-lock.long-hold",
					(value) -> assertThat(value).matches("firmware-flash since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ")));
		String lock = app.get("/actuator/updatelock").body();
		assertThat(JsonPath.<Integer>read(lock, "$.fleet.deviceId")).isEqualTo((int) FakeBalenaApi.DEVICE_ID);
		assertThat(lock).doesNotContain(FakeBalenaApi.KEY);
		assertThat(JsonPath.<Integer>read(app.get("/actuator/health").body(),
				"$.components.updateLock.details.fleet.consecutiveFailures")).isZero();

		assertThat(flash.get().statusCode()).isEqualTo(200);
		await().atMost(MIN_INTERVAL.plus(SLACK)).until(() -> "none".equals(this.api.tags().get("update-lock.long-hold")));
		assertThat(app.terminate()).as("exited within 10 s of SIGTERM").isTrue();
		assertThat(app.log()).doesNotContain(FakeBalenaApi.KEY);
	}

}
