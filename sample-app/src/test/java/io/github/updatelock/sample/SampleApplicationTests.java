package io.github.updatelock.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.aop.HoldUpdateLockSkippedEvent;
import io.github.updatelock.metrics.UpdateLockMetrics;
import io.github.updatelock.testsupport.LockPeers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample in one JVM, over real HTTP: the variants of the critical section that the
 * end-to-end tests leave to this one (async, reactive), the answers to bad requests and
 * to a lock that stays taken, and the scheduled job's skip policy.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.data-sync.interval=1h", "sample.firmware.max-wait=1s" })
@RecordApplicationEvents
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

	@TempDir
	static Path tempDir;

	private static Path lockDirectory;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private UpdateLockManager manager;

	@Autowired
	private DataSyncJob dataSyncJob;

	@Autowired
	private MeterRegistry meterRegistry;

	@BeforeAll
	static void prepareLockDirectory() throws IOException {
		lockDirectory = LockPeers.lockDirectory(tempDir);
	}

	@DynamicPropertySource
	static void lockPath(DynamicPropertyRegistry registry) {
		registry.add("update-lock.path", () -> lockFile().toString());
	}

	private static Path lockFile() {
		return lockDirectory.resolve("updates.lock");
	}

	@AfterEach
	void leaveTheLockFree() throws IOException {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.manager.snapshot().holds().isEmpty());
		// A Supervisor peer's file may be left over from a failed test.
		Files.deleteIfExists(lockFile());
	}

	@Test
	void theAsyncFlashHoldsTheLockUntilItsFutureCompletes() throws Exception {
		assertHeldWhileRunning("/demo/critical/async", "firmware-flash-async", "async");
	}

	@Test
	void theReactiveFlashHoldsTheLockUntilItsMonoCompletes() throws Exception {
		assertHeldWhileRunning("/demo/critical/reactive", "firmware-flash-reactive", "reactive");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/demo/critical", "/demo/critical?seconds=", "/demo/critical?seconds=abc",
			"/demo/critical?seconds=1.5", "/demo/critical?seconds=0", "/demo/critical?seconds=301",
			"/demo/critical?seconds=-4", "/demo/critical/async?seconds=0", "/demo/critical/reactive?seconds=999" })
	void aBadNumberOfSecondsIsABadRequestThatTakesNoLock(String path) throws Exception {
		double acquisitionsBefore = acquisitions();
		HttpResponse<String> response = post(path);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(JsonPath.<String>read(response.body(), "$.detail"))
			.startsWith("seconds must be a whole number from 1 to 300");
		assertThat(acquisitions()).isEqualTo(acquisitionsBefore);
	}

	@Test
	void aFlashWaitsForTheSupervisorAndRunsOnceItLetsGo(CapturedOutput output) throws Exception {
		LockPeers.takeSupervisorLock(lockFile());
		CompletableFuture<HttpResponse<String>> flash = postAsync("/demo/critical?seconds=1");
		await().atMost(Duration.ofSeconds(10)).until(() -> output.toString().contains(
				UpdateImminentListener.UPDATE_IMMINENT + ": the Supervisor holds " + lockFile()));
		Files.delete(lockFile());
		HttpResponse<String> response = flash.get();
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(JsonPath.<String>read(response.body(), "$.lockStatus")).isEqualTo("HELD");
	}

	@Test
	void aFlashThatCannotHaveTheLockIsRefusedWith423() throws Exception {
		LockPeers.takeSupervisorLock(lockFile());
		HttpResponse<String> response = post("/demo/critical?seconds=1");
		assertThat(response.statusCode()).isEqualTo(423);
		assertThat(JsonPath.<String>read(response.body(), "$.detail")).contains("firmware-flash",
				"held by the Supervisor");
		assertThat(LockPeers.ownerUid(lockFile())).isEqualTo(LockPeers.SUPERVISOR_UID);
	}

	@Test
	void aFlashStartedAfterAnOverrideWaitsForTheSupervisorInsteadOfJoiningTheLostLock() throws Exception {
		CompletableFuture<HttpResponse<String>> running = postAsync("/demo/critical?seconds=3");
		await().atMost(Duration.ofSeconds(10)).until(() -> holdNames().contains("firmware-flash"));
		LockPeers.supervisorOverrides(lockFile());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.manager.snapshot().status() == UpdateLockStatus.LOST);
		HttpResponse<String> next = post("/demo/critical?seconds=1");
		assertThat(next.statusCode()).as(next.body()).isEqualTo(423);
		assertThat(JsonPath.<String>read(next.body(), "$.detail")).contains("held by the Supervisor");
		HttpResponse<String> first = running.get();
		assertThat(JsonPath.<String>read(first.body(), "$.lockStatus")).isEqualTo("LOST");
		assertThat(LockPeers.ownerUid(lockFile())).isEqualTo(LockPeers.SUPERVISOR_UID);
	}

	@Test
	void theDataSyncSkipsWhileTheSupervisorHoldsTheLock(ApplicationEvents events) {
		LockPeers.takeSupervisorLock(lockFile());
		long before = this.dataSyncJob.completedSyncs();
		this.dataSyncJob.sync();
		assertThat(this.dataSyncJob.completedSyncs()).isEqualTo(before);
		assertThat(events.stream(HoldUpdateLockSkippedEvent.class))
			.extracting(HoldUpdateLockSkippedEvent::holdName)
			.containsExactly("data-sync");
	}

	@Test
	void theDataSyncRunsUnderTheLockWhenItIsFree(ApplicationEvents events) {
		long before = this.dataSyncJob.completedSyncs();
		this.dataSyncJob.sync();
		assertThat(this.dataSyncJob.completedSyncs()).isEqualTo(before + 1);
		assertThat(events.stream(HoldUpdateLockSkippedEvent.class)).isEmpty();
	}

	private void assertHeldWhileRunning(String path, String holdName, String variant) throws Exception {
		CompletableFuture<HttpResponse<String>> flash = postAsync(path + "?seconds=2");
		// The method returns at once; the hold must outlast it for as long as the flash runs.
		await().atMost(Duration.ofSeconds(10)).until(() -> holdNames().contains(holdName));
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(2))
			.until(() -> holdNames().contains(holdName) && Files.exists(lockFile()));
		HttpResponse<String> response = flash.get();
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(JsonPath.<String>read(response.body(), "$.variant")).isEqualTo(variant);
		assertThat(JsonPath.<Boolean>read(response.body(), "$.completed")).isTrue();
		assertThat(JsonPath.<String>read(response.body(), "$.lockStatus")).isEqualTo("HELD");
		await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile()));
	}

	private List<String> holdNames() {
		return this.manager.snapshot().holds().stream().map(ActiveHold::name).toList();
	}

	private double acquisitions() {
		return this.meterRegistry.find(UpdateLockMetrics.ACQUISITIONS)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return this.http.send(request(path), HttpResponse.BodyHandlers.ofString());
	}

	private CompletableFuture<HttpResponse<String>> postAsync(String path) {
		return this.http.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(30))
			.build();
	}

}
