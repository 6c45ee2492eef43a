package io.github.updatelock.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.OwnThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code updatelock} endpoint and the {@code updateLock} health contributor over real
 * HTTP, with the default (read-only) access: what an operator sees while the application
 * is idle, inside a critical section, blocked by the Supervisor, and after an override.
 */
@SpringBootTest(classes = UpdateLockTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,updatelock,metrics",
				"management.endpoint.health.show-details=always", "management.endpoint.health.probes.enabled=true" })
@AutoConfigureRestTestClient
class UpdateLockActuatorHttpTests {

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
		assertThat(this.manager.snapshot().holds()).isEmpty();
		Files.deleteIfExists(lockPath());
	}

	@Test
	void readWhileIdle() {
		this.client.get()
			.uri("/actuator/updatelock")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{
						"status": "RELEASED",
						"path": "%s",
						"file": { "present": false, "ours": false, "ownerUid": null },
						"flockHeld": false,
						"protection": "NONE",
						"heldSince": null,
						"holds": [],
						"blocker": null,
						"blockedSince": null,
						"staleReclaims": 0,
						"lastStaleReclaim": null,
						"lastLost": null,
						"startupHold": "DISABLED",
						"window": null,
						"supervisor": null,
						"fleet": null,
						"warnings": []
					}""".formatted(lockPath()), JsonCompareMode.STRICT);
		this.client.get()
			.uri("/actuator/health/updateLock")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{
						"status": "UP",
						"details": { "lockStatus": "RELEASED", "path": "%s", "flockHeld": false, "protection": "NONE",
							"holds": [] }
					}""".formatted(lockPath()), JsonCompareMode.STRICT);
	}

	@Test
	void readWhileACriticalSectionRuns() throws IOException {
		try (UpdateLockHold hold = this.manager.acquire("nightly-sync")) {
			this.client.get()
				.uri("/actuator/updatelock")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status").isEqualTo("HELD")
				.jsonPath("$.file.present").isEqualTo(true)
				.jsonPath("$.file.ours").isEqualTo(true)
				.jsonPath("$.file.ownerUid").isEqualTo(ownerOf(lockPath()))
				.jsonPath("$.flockHeld").isEqualTo(true)
				.jsonPath("$.heldSince").isNotEmpty()
				.jsonPath("$.holds.length()").isEqualTo(1)
				.jsonPath("$.holds[0].id").isEqualTo(hold.id())
				.jsonPath("$.holds[0].name").isEqualTo("nightly-sync")
				.jsonPath("$.holds[0].since").isEqualTo(hold.since().toString())
				.jsonPath("$.holds[0].duration").isNotEmpty()
				.jsonPath("$.holds[0].operator").isEqualTo(false);
			// What the endpoint calls flockHeld is what the host OS update's reboot probe runs into.
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockPath())).isTrue();
			// Holding the lock is normal operation, not a fault.
			this.client.get()
				.uri("/actuator/health/updateLock")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status").isEqualTo("UP")
				.jsonPath("$.details.lockStatus").isEqualTo("HELD")
				.jsonPath("$.details.holds[0]").isEqualTo("nightly-sync");
		}
	}

	@Test
	void readWhileTheSupervisorBlocks() throws IOException {
		LockPeers.takeSupervisorLock(lockPath());
		CompletableFuture<UpdateLockHold> waiting = CompletableFuture
			.supplyAsync(() -> this.manager.acquire("firmware-write", Duration.ofSeconds(30)),
					OwnThread.EXECUTOR);
		try {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> this.client.get()
					.uri("/actuator/updatelock")
					.exchange()
					.expectBody()
					.jsonPath("$.status").isEqualTo("WAITING"));
			this.client.get()
				.uri("/actuator/updatelock")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.blocker").isEqualTo("SUPERVISOR")
				.jsonPath("$.blockedSince").isNotEmpty()
				.jsonPath("$.file.present").isEqualTo(true)
				.jsonPath("$.file.ours").isEqualTo(false)
				.jsonPath("$.file.ownerUid").isEqualTo(LockPeers.SUPERVISOR_UID)
				.jsonPath("$.holds.length()").isEqualTo(0);
			// The Supervisor applying an update is normal too.
			this.client.get()
				.uri("/actuator/health/updateLock")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status").isEqualTo("UP")
				.jsonPath("$.details.blocker").isEqualTo("SUPERVISOR");
		}
		finally {
			// The Supervisor is done and removes its lock; the waiting hold gets it.
			Files.deleteIfExists(lockPath());
		}
		try (UpdateLockHold hold = waiting.join()) {
			this.client.get()
				.uri("/actuator/updatelock")
				.exchange()
				.expectBody()
				.jsonPath("$.status").isEqualTo("HELD")
				.jsonPath("$.blocker").isEmpty()
				.jsonPath("$.holds[0].name").isEqualTo("firmware-write");
		}
	}

	@Test
	@DirtiesContext
	void readAfterAnOverride() throws IOException {
		UpdateLockHold hold = this.manager.acquire("export");
		try {
			LockPeers.supervisorOverrides(lockPath());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> this.client.get()
					.uri("/actuator/updatelock")
					.exchange()
					.expectBody()
					.jsonPath("$.status").isEqualTo("LOST"));
			this.client.get()
				.uri("/actuator/updatelock")
				.exchange()
				.expectBody()
				.jsonPath("$.lastLost").isNotEmpty()
				.jsonPath("$.flockHeld").isEqualTo(false)
				.jsonPath("$.file.present").isEqualTo(true)
				.jsonPath("$.file.ours").isEqualTo(false)
				.jsonPath("$.file.ownerUid").isEqualTo(LockPeers.SUPERVISOR_UID)
				.jsonPath("$.holds[0].name").isEqualTo("export");
			this.client.get()
				.uri("/actuator/health/updateLock")
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.status").isEqualTo("DOWN")
				.jsonPath("$.details.lockStatus").isEqualTo("LOST")
				.jsonPath("$.details.reason").value((reason) -> assertThat((String) reason).contains("taken away"))
				.jsonPath("$.details.lastLost").isNotEmpty();
			this.client.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503);
			// A lost lock is no reason to restart the application: liveness stays UP.
			this.client.get()
				.uri("/actuator/health/liveness")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status").isEqualTo("UP");
		}
		finally {
			hold.release();
		}
		// The Supervisor's file is left alone, and with no hold left there is no fault.
		assertThat(ownerOf(lockPath())).isEqualTo(LockPeers.SUPERVISOR_UID);
		this.client.get()
			.uri("/actuator/health/updateLock")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.details.lockStatus").isEqualTo("RELEASED");
		this.client.get()
			.uri("/actuator/updatelock")
			.exchange()
			.expectBody()
			.jsonPath("$.status").isEqualTo("RELEASED")
			.jsonPath("$.lastLost").isNotEmpty();
	}

	@Test
	void metersAreServedByTheMetricsEndpoint() {
		try (UpdateLockHold hold = this.manager.acquire("meter-check")) {
			this.client.get()
				.uri("/actuator/metrics/update.lock.held")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.measurements[0].value").isEqualTo(1.0);
		}
		this.client.get()
			.uri("/actuator/metrics/update.lock.hold.duration?tag=hold:meter-check")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.measurements[?(@.statistic == 'COUNT')].value").isEqualTo(List.of(1.0));
		this.client.get()
			.uri("/actuator/metrics/update.lock.acquisitions")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.availableTags[0].tag").isEqualTo("outcome");
	}

	@Test
	void writeOperationsAreRefusedByDefault() {
		// Exactly the requests that work once access is unrestricted: here they are not even mapped.
		this.client.post()
			.uri("/actuator/updatelock/maintenance")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"wait\": \"1s\"}")
			.exchange()
			.expectStatus()
			.isNotFound();
		this.client.method(HttpMethod.DELETE)
			.uri("/actuator/updatelock/maintenance")
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isNotFound();
		assertThat(this.manager.snapshot().holds()).isEmpty();
		assertThat(lockPath()).doesNotExist();
	}

	private static Integer ownerOf(Path path) throws IOException {
		return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
	}

}
