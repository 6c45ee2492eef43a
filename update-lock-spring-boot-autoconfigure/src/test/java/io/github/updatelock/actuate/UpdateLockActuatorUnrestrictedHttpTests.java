package io.github.updatelock.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.OwnThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.RequestBodySpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code updatelock} endpoint's write operations over real HTTP, with the access an
 * operator has to grant for them: {@code management.endpoint.updatelock.access=unrestricted}.
 */
@SpringBootTest(classes = UpdateLockTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,updatelock",
				"management.endpoint.health.show-details=always",
				"management.endpoint.updatelock.access=unrestricted" })
@AutoConfigureRestTestClient
class UpdateLockActuatorUnrestrictedHttpTests {

	@TempDir
	static Path directory;

	@Autowired
	private RestTestClient client;

	@Autowired
	private UpdateLockManager manager;

	@DynamicPropertySource
	static void lockPath(DynamicPropertyRegistry registry) {
		registry.add(UpdateLockTestApplication.LOCK_PATH_PROPERTY, () -> lockPath().toString());
	}

	private static Path lockPath() {
		return directory.resolve("updates.lock");
	}

	@AfterEach
	void leaveNothingBehind() throws IOException {
		this.manager.snapshot().holds().forEach((hold) -> release(hold.name()).exchange());
		assertThat(this.manager.snapshot().holds()).isEmpty();
		Files.deleteIfExists(lockPath());
	}

	@Test
	void operatorTakesAndReleasesAHold() {
		take("maintenance").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name").isEqualTo("maintenance")
			.jsonPath("$.outcome").isEqualTo("TAKEN")
			.jsonPath("$.lockStatus").isEqualTo("HELD")
			.jsonPath("$.since").isNotEmpty()
			.jsonPath("$.heldFor").isEmpty()
			.jsonPath("$.message").isEqualTo("Took operator hold 'maintenance': updates wait until it is released");
		assertThat(lockPath()).exists();
		this.client.get()
			.uri("/actuator/updatelock")
			.exchange()
			.expectBody()
			.jsonPath("$.status").isEqualTo("HELD")
			.jsonPath("$.file.ours").isEqualTo(true)
			.jsonPath("$.holds[0].name").isEqualTo("maintenance")
			.jsonPath("$.holds[0].operator").isEqualTo(true);
		this.client.get()
			.uri("/actuator/health/updateLock")
			.exchange()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.details.holds[0]").isEqualTo("maintenance");
		release("maintenance").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("RELEASED")
			.jsonPath("$.lockStatus").isEqualTo("RELEASED")
			.jsonPath("$.heldFor").isNotEmpty()
			.jsonPath("$.message").isEqualTo("Released operator hold 'maintenance': updates may proceed");
		assertThat(lockPath()).doesNotExist();
	}

	@Test
	void takingAHoldTwiceChangesNothing() {
		take("maintenance").exchange().expectStatus().isOk();
		String since = this.manager.snapshot().holds().get(0).since().toString();
		take("maintenance").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("ALREADY_HELD")
			.jsonPath("$.since").isEqualTo(since);
		assertThat(this.manager.snapshot().holds()).hasSize(1);
	}

	@Test
	void takingAHoldWhileTheSupervisorHoldsTheLockIsAConflict() throws IOException {
		LockPeers.takeSupervisorLock(lockPath());
		take("maintenance").exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("BLOCKED")
			.jsonPath("$.lockStatus").isEqualTo("RELEASED")
			.jsonPath("$.message").value((message) -> assertThat((String) message).contains("the Supervisor"));
		assertThat(this.manager.snapshot().holds()).isEmpty();
		assertThat(Files.getAttribute(lockPath(), "unix:uid")).isEqualTo(LockPeers.SUPERVISOR_UID);
	}

	@Test
	void takingAHoldWaitsForTheSupervisorWhenAskedTo() throws IOException {
		LockPeers.takeSupervisorLock(lockPath());
		CompletableFuture<RestTestClient.ResponseSpec> request = CompletableFuture
			.supplyAsync(() -> take("maintenance").body("{\"wait\": \"30s\"}").exchange(), OwnThread.EXECUTOR);
		try {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> this.client.get()
					.uri("/actuator/updatelock")
					.exchange()
					.expectBody()
					.jsonPath("$.status").isEqualTo("WAITING")
					.jsonPath("$.blocker").isEqualTo("SUPERVISOR"));
		}
		finally {
			// The Supervisor finishes its update and removes its lock.
			Files.deleteIfExists(lockPath());
		}
		request.join().expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("TAKEN");
		assertThat(this.manager.snapshot().holds()).singleElement()
			.satisfies((hold) -> assertThat(hold.name()).isEqualTo("maintenance"));
	}

	@Test
	void waitMayAlsoBeAQueryParameter() {
		take("maintenance?wait=250ms").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("TAKEN");
	}

	@Test
	void anOperatorHoldWithATtlEndsByItself() {
		// Long enough for the requests below to see the hold even on a busy machine.
		take("maintenance").body("{\"ttl\": \"2s\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("TAKEN")
			.jsonPath("$.lockStatus").isEqualTo("HELD")
			.jsonPath("$.expiresAt").isNotEmpty();
		assertThat(lockPath()).exists();
		this.client.get()
			.uri("/actuator/updatelock")
			.exchange()
			.expectBody()
			.jsonPath("$.holds[0].name").isEqualTo("maintenance")
			.jsonPath("$.holds[0].expiresAt").isNotEmpty();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> this.client.get()
				.uri("/actuator/updatelock")
				.exchange()
				.expectBody()
				.jsonPath("$.status").isEqualTo("RELEASED")
				.jsonPath("$.holds").isEmpty());
		assertThat(lockPath()).doesNotExist();
	}

	@Test
	void ttlMayAlsoBeAQueryParameter() {
		take("maintenance?ttl=1h").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("TAKEN")
			.jsonPath("$.expiresAt").isNotEmpty();
	}

	@Test
	void theSeventeenthOperatorHoldIsAConflictAndTakesNothing() {
		for (int n = 1; n <= 16; n++) {
			take("maintenance-" + n).exchange().expectStatus().isOk();
		}
		take("maintenance-17").exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("LIMIT_REACHED")
			.jsonPath("$.since").isEmpty()
			.jsonPath("$.message").value((message) -> assertThat((String) message)
				.startsWith("There are already 16 operator holds")
				.contains("DELETE /actuator/updatelock/{name}"));
		assertThat(this.manager.snapshot().holds()).hasSize(16)
			.noneSatisfy((hold) -> assertThat(hold.name()).isEqualTo("maintenance-17"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"ttl\": \"banana\"}", "{\"ttl\": \"0s\"}", "{\"ttl\": \"30d\"}",
			"{\"ttl\": \"120\"}" })
	void malformedTtlsAreABadRequestWithAMessage(String body) {
		take("maintenance").body(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("INVALID")
			.jsonPath("$.message").value((message) -> assertThat((String) message).startsWith("ttl '"));
		assertThat(this.manager.snapshot().holds()).isEmpty();
	}

	@Test
	void releasingAHoldTakenByTheApplicationIsRefused() {
		try (UpdateLockHold hold = this.manager.acquire("firmware-write")) {
			release("firmware-write").exchange()
				.expectStatus()
				.isEqualTo(409)
				.expectBody()
				.jsonPath("$.outcome").isEqualTo("REFUSED")
				.jsonPath("$.lockStatus").isEqualTo("HELD")
				.jsonPath("$.message").value((message) -> assertThat((String) message)
					.contains("'firmware-write' was taken by the application"));
			assertThat(hold.isReleased()).isFalse();
		}
	}

	@Test
	void releasingAnUnknownHoldIsNotFound() {
		release("maintenance").exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("NOT_FOUND")
			.jsonPath("$.message").isEqualTo("No hold named 'maintenance' is active");
	}

	@ParameterizedTest
	@ValueSource(strings = { "bad name", "-dash-first", "caf\u00e9" })
	void malformedHoldNamesAreABadRequestWithAMessage(String name) {
		this.client.post()
			.uri("/actuator/updatelock/{name}", name)
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("INVALID")
			.jsonPath("$.message").value((message) -> assertThat((String) message).contains("is not valid"));
		assertThat(this.manager.snapshot().holds()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"wait\": \"banana\"}", "{\"wait\": \"-5s\"}", "{\"wait\": \"2h\"}" })
	void malformedWaitsAreABadRequestWithAMessage(String body) {
		take("maintenance").body(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("INVALID")
			.jsonPath("$.message").value((message) -> assertThat((String) message).startsWith("wait '"));
		assertThat(this.manager.snapshot().holds()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{not json", "[1, 2]", "{\"wait\": {\"seconds\": 5}}" })
	void unreadableBodiesAreABadRequest(String body) {
		take("maintenance").body(body).exchange().expectStatus().isBadRequest();
		assertThat(this.manager.snapshot().holds()).isEmpty();
	}

	@Test
	void aWriteWithoutJsonContentTypeIsUnsupported() {
		// Spring Boot's rule for every actuator write: the request must say it sends JSON.
		this.client.post().uri("/actuator/updatelock/maintenance").exchange().expectStatus().isEqualTo(415);
		assertThat(this.manager.snapshot().holds()).isEmpty();
	}

	private RequestBodySpec take(String nameAndQuery) {
		return this.client.post()
			.uri("/actuator/updatelock/" + nameAndQuery)
			.contentType(MediaType.APPLICATION_JSON);
	}

	private RequestBodySpec release(String name) {
		return this.client.method(HttpMethod.DELETE)
			.uri("/actuator/updatelock/{name}", name)
			.contentType(MediaType.APPLICATION_JSON);
	}

}
