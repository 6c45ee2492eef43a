package io.github.updatelock.boot3;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.autoconfigure.window.UpdateWindowGuardBuilderCustomizer;
import io.github.updatelock.testsupport.FakeSupervisor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The features around the lock on Spring Boot 3.5, over real HTTP against a local server
 * that answers like the Supervisor: the update window's hold and its {@code updatewindow}
 * endpoint, the Supervisor's view in the {@code updatelock} endpoint and in health, the
 * fleet tags written through the Supervisor, and the write operations (an operator's hold,
 * {@code forceupdate}) opened with Boot 3.5's access model. The window guard's clock stands on a Monday at 01:00 UTC, one
 * hour before a weekday window opens.
 */
@SpringBootTest(classes = { Boot3TestApplication.class, Boot3SupervisorFleetAndWindowHttpTests.ClosedWindow.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,updatelock,updatewindow,forceupdate",
				"management.endpoint.health.show-details=always",
				"management.endpoint.forceupdate.access=unrestricted",
				"management.endpoint.updatelock.access=unrestricted",
				"management.endpoint.updatewindow.access=unrestricted",
				"update-lock.supervisor.force-update.enabled=true", "update-lock.supervisor.poll-interval=100ms",
				"update-lock.fleet.enabled=true", "update-lock.window.zone=UTC",
				"update-lock.window.ranges[0].days=MON-FRI", "update-lock.window.ranges[0].from=02:00",
				"update-lock.window.ranges[0].to=04:00" })
class Boot3SupervisorFleetAndWindowHttpTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeSupervisor supervisor = FakeSupervisor.start();

	@TempDir
	static Path directory;

	@Autowired
	private TestRestTemplate http;

	@DynamicPropertySource
	static void lockPathAndSupervisor(DynamicPropertyRegistry registry) {
		registry.add("update-lock.path", () -> directory.resolve("updates.lock").toString());
		registry.add("BALENA_SUPERVISOR_ADDRESS", supervisor::address);
		registry.add("BALENA_SUPERVISOR_API_KEY", () -> FakeSupervisor.KEY);
	}

	@AfterAll
	static void stopSupervisor() {
		supervisor.close();
	}

	@Test
	void closedWindowHoldsTheLockAndTheEndpointsSayWhy() {
		await().atMost(WAIT).untilAsserted(() -> assertThat(directory.resolve("updates.lock")).exists());
		String window = get("/actuator/updatewindow").getBody();
		assertThat(JsonPath.<Boolean>read(window, "$.open")).isFalse();
		assertThat(JsonPath.<String>read(window, "$.nextOpening")).isEqualTo("2026-03-02T02:00:00Z");
		assertThat(JsonPath.<Boolean>read(window, "$.holdHeld")).isTrue();
		// Durations read as on Boot 4, where Jackson 3 writes them in ISO-8601, not as seconds.
		assertThat(JsonPath.<Object>read(window, "$.maxOperatorWindow")).isEqualTo("PT24H");
		String lock = get("/actuator/updatelock").getBody();
		assertThat(JsonPath.<String>read(lock, "$.status")).isEqualTo("HELD");
		assertThat(JsonPath.<String>read(lock, "$.holds[0].name")).isEqualTo("update-window");
		assertThat(JsonPath.<Object>read(lock, "$.holds[0].duration")).asString().startsWith("PT");
	}

	@Test
	void supervisorAnswersAreReadAndShown() {
		supervisor.updatePending("2222222222222222222222222222222b");
		await().atMost(WAIT).untilAsserted(() -> {
			String lock = get("/actuator/updatelock").getBody();
			assertThat(JsonPath.<Boolean>read(lock, "$.supervisor.reachable")).isTrue();
			assertThat(JsonPath.<Boolean>read(lock, "$.supervisor.updatePending")).isTrue();
			String health = get("/actuator/health/updateLock").getBody();
			assertThat(JsonPath.<Boolean>read(health, "$.details.supervisor.updatePending")).isTrue();
		});
	}

	@Test
	void fleetTagsGoThroughTheSupervisor() {
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(supervisor.deviceTags()).containsEntry("update-lock.status", "ok"));
	}

	@Test
	void forceUpdateIsAWriteOperationThatBoot35AccessOpens() {
		ResponseEntity<String> answer = this.http.postForEntity("/actuator/forceupdate", null, String.class);
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<String>read(answer.getBody(), "$.outcome")).isEqualTo("UPDATE_TRIGGERED");
		assertThat(supervisor.requests("/v1/update")).isOne();
	}

	@Test
	void operatorHoldIsAWriteOperationThatBoot35AccessOpens() {
		ResponseEntity<String> taken = this.http.postForEntity("/actuator/updatelock/maintenance", Map.of("wait", "1s"),
				String.class);
		assertThat(taken.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<List<String>>read(get("/actuator/updatelock").getBody(), "$.holds[*].name"))
			.contains("maintenance");
		this.http.delete("/actuator/updatelock/maintenance");
		assertThat(JsonPath.<List<String>>read(get("/actuator/updatelock").getBody(), "$.holds[*].name"))
			.doesNotContain("maintenance");
	}

	@Test
	void operatorWindowClosesWithoutTheOptionalDuration() {
		ResponseEntity<String> opened = this.http.postForEntity("/actuator/updatewindow/open",
				Map.of("duration", "1h"), String.class);
		assertThat(opened.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<String>read(opened.getBody(), "$.outcome")).isEqualTo("WINDOW_OPENED");
		// No duration: Boot 3.5 must take the parameter for optional.
		ResponseEntity<String> closed = this.http.postForEntity("/actuator/updatewindow/close", Map.of(), String.class);
		assertThat(closed.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<String>read(closed.getBody(), "$.outcome")).isEqualTo("WINDOW_CLOSED");
		await().atMost(WAIT).untilAsserted(() -> assertThat(directory.resolve("updates.lock")).exists());
	}

	private ResponseEntity<String> get(String path) {
		ResponseEntity<String> answer = this.http.getForEntity(path, String.class);
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
		return answer;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ClosedWindow {

		@Bean
		UpdateWindowGuardBuilderCustomizer mondayOneInTheMorning() {
			return (builder) -> builder.clock(Clock.fixed(Instant.parse("2026-03-02T01:00:00Z"), ZoneOffset.UTC));
		}

	}

}
