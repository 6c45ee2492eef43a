package io.github.updatelock.boot3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.boot3.Boot3TestApplication.CriticalWork;
import io.github.updatelock.boot3.Boot3TestApplication.LockEvents;
import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.metrics.UpdateLockMetrics;
import io.github.updatelock.testsupport.LockPeers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.SpringVersion;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a Spring Boot 3.5 application gets from the Boot 3 starter alone, over real HTTP:
 * {@code @HoldUpdateLock} on synchronous, future and reactive methods creates the lock file
 * with its {@code flock} for as long as the work runs and removes it after; the
 * {@code updatelock} endpoint and the {@code updateLock} health contributor say so; the
 * meters count it and the application's event listeners hear of it.
 */
@SpringBootTest(classes = Boot3TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,updatelock",
				"management.endpoint.health.show-details=always", "update-lock.watch-interval=100ms" })
class Boot3CriticalSectionHttpTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	static Path directory;

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private CriticalWork work;

	@Autowired
	private UpdateLockManager manager;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private LockEvents events;

	@DynamicPropertySource
	static void lockPath(DynamicPropertyRegistry registry) {
		registry.add("update-lock.path", () -> lockPath().toString());
	}

	private static Path lockPath() {
		return directory.resolve("updates.lock");
	}

	@AfterEach
	void leaveNothingBehind() throws IOException {
		await().atMost(WAIT).until(() -> this.manager.snapshot().holds().isEmpty());
		Files.deleteIfExists(lockPath());
	}

	@Test
	void runsOnTheBoot35Line() {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
		assertThat(SpringVersion.getVersion()).startsWith("6.2.");
	}

	@Test
	void synchronousMethodHoldsTheLockWhileItRuns() {
		AtomicReference<String> seenInside = new AtomicReference<>();
		this.work.sync(() -> {
			assertThat(lockPath()).exists();
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockPath())).isTrue();
			seenInside.set(get("/actuator/updatelock").getBody());
		});
		assertThat(JsonPath.<String>read(seenInside.get(), "$.status")).isEqualTo("HELD");
		assertThat(JsonPath.<List<String>>read(seenInside.get(), "$.holds[*].name")).containsExactly("sync-work");
		assertThat(JsonPath.<Boolean>read(seenInside.get(), "$.flockHeld")).isTrue();
		assertThat(lockPath()).doesNotExist();
		assertThat(JsonPath.<String>read(get("/actuator/updatelock").getBody(), "$.status")).isEqualTo("RELEASED");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.events.received).hasAtLeastOneElementOfType(UpdateLockAcquiredEvent.class)
				.last()
				.isInstanceOf(UpdateLockReleasedEvent.class));
	}

	@Test
	void futureMethodHoldsTheLockUntilItsFutureCompletes() {
		CompletableFuture<String> running = new CompletableFuture<>();
		CompletableFuture<String> result = this.work.future(running);
		assertThat(lockPath()).exists();
		assertThat(healthDetail("holds")).isEqualTo(List.of("future-work"));
		running.complete("done");
		assertThat(result.join()).isEqualTo("done");
		await().atMost(WAIT).untilAsserted(() -> assertThat(lockPath()).doesNotExist());
	}

	@Test
	void monoHoldsTheLockWhileSubscribedUntilItsValue() {
		Sinks.One<String> value = Sinks.one();
		AtomicReference<String> received = new AtomicReference<>();
		this.work.mono(value.asMono()).subscribe(received::set);
		assertThat(lockPath()).exists();
		assertThat(healthDetail("holds")).isEqualTo(List.of("mono-work"));
		value.tryEmitValue("done");
		assertThat(received.get()).isEqualTo("done");
		await().atMost(WAIT).untilAsserted(() -> assertThat(lockPath()).doesNotExist());
	}

	@Test
	void fluxHoldsTheLockUntilItCompletes() {
		Sinks.Many<String> values = Sinks.many().unicast().onBackpressureBuffer();
		this.work.flux(values.asFlux()).subscribe();
		values.tryEmitNext("first");
		assertThat(lockPath()).exists();
		values.tryEmitComplete();
		await().atMost(WAIT).untilAsserted(() -> assertThat(lockPath()).doesNotExist());
	}

	@Test
	void healthIsDownWhenTheLockIsTakenAwayFromAHold() throws IOException {
		assertThat(health().getStatusCode()).isEqualTo(HttpStatus.OK);
		try (UpdateLockHold hold = this.manager.acquire("lost-work")) {
			// An operator's override: the Supervisor deletes the lock file under the hold.
			Files.delete(lockPath());
			await().atMost(WAIT).untilAsserted(() -> {
				ResponseEntity<String> health = health();
				assertThat(health.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
				assertThat(JsonPath.<String>read(health.getBody(), "$.status")).isEqualTo("DOWN");
				assertThat(JsonPath.<String>read(health.getBody(), "$.details.lockStatus")).isEqualTo("LOST");
				assertThat(JsonPath.<String>read(health.getBody(), "$.details.reason")).contains("taken away");
			});
		}
	}

	@Test
	void metersCountTheHolds() {
		double before = acquisitions();
		this.work.sync(() -> assertThat(this.meters.get(UpdateLockMetrics.HELD).gauge().value()).isEqualTo(1.0));
		await().atMost(WAIT).untilAsserted(() -> assertThat(acquisitions()).isEqualTo(before + 1));
		assertThat(this.meters.get(UpdateLockMetrics.HELD).gauge().value()).isZero();
	}

	private double acquisitions() {
		return this.meters.find(UpdateLockMetrics.ACQUISITIONS).counters().stream().mapToDouble(Counter::count).sum();
	}

	@Test
	void writeOperationsAreRefusedByDefault() {
		// Boot 3.5's access model: the endpoint is read-only unless the operator opens it.
		ResponseEntity<String> take = this.http.postForEntity("/actuator/updatelock/maintenance", Map.of("wait", "1s"),
				String.class);
		assertThat(take.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.manager.snapshot().holds()).isEmpty();
		assertThat(lockPath()).doesNotExist();
	}

	private ResponseEntity<String> get(String path) {
		return this.http.getForEntity(path, String.class);
	}

	private ResponseEntity<String> health() {
		return get("/actuator/health/updateLock");
	}

	private Object healthDetail(String name) {
		return JsonPath.read(health().getBody(), "$.details." + name);
	}

}
