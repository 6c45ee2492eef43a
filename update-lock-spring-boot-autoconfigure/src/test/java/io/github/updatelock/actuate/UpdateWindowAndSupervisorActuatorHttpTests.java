package io.github.updatelock.actuate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.testsupport.FakeSupervisor;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.RequestBodySpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The update windows and the Supervisor over real HTTP, with the access an operator has to
 * grant for the write operations: the {@code updatelock} endpoint's {@code window} and
 * {@code supervisor} fields, the {@code updatewindow} endpoint, the {@code forceupdate}
 * endpoint, the health detail and the meters. The Supervisor is a local HTTP server that answers like it; the window guard's
 * clock stands on a Monday at 01:00 UTC, one hour before the window opens.
 */
@SpringBootTest(classes = { UpdateLockTestApplication.class, FixedWindowClockConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,updatelock,updatewindow,forceupdate,metrics",
				"management.endpoint.health.show-details=always",
				"management.endpoint.updatewindow.access=unrestricted",
				"management.endpoint.forceupdate.access=unrestricted",
				"update-lock.supervisor.force-update.enabled=true",
				"update-lock.window.zone=UTC", "update-lock.window.ranges[0].days=MON-FRI",
				"update-lock.window.ranges[0].from=02:00", "update-lock.window.ranges[0].to=04:00",
				"update-lock.supervisor.poll-interval=100ms" })
@AutoConfigureRestTestClient
@DirtiesContext
class UpdateWindowAndSupervisorActuatorHttpTests {

	private static final FakeSupervisor supervisor = FakeSupervisor.start();

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	static Path directory;

	@Autowired
	private RestTestClient client;

	@Autowired
	private UpdateLockManager manager;

	@Autowired
	private UpdatePendingMonitor monitor;

	@DynamicPropertySource
	static void lockPathAndSupervisor(DynamicPropertyRegistry registry) {
		registry.add(UpdateLockTestApplication.LOCK_PATH_PROPERTY, () -> directory.resolve("updates.lock").toString());
		registry.add("BALENA_SUPERVISOR_ADDRESS", supervisor::address);
		registry.add("BALENA_SUPERVISOR_API_KEY", () -> FakeSupervisor.KEY);
	}

	@AfterAll
	static void stopSupervisor() {
		supervisor.close();
	}

	@AfterEach
	void windowClosedAgainAndSupervisorIdle() throws IOException {
		post("/actuator/updatewindow/close").exchange();
		supervisor.reset();
		await().atMost(WAIT).untilAsserted(() -> assertThat(holdNames()).containsExactly("update-window"));
		await().atMost(WAIT).until(() -> !this.monitor.view().updatePending());
	}

	private List<String> holdNames() {
		return this.manager.snapshot().holds().stream().map(ActiveHold::name).toList();
	}

	private RequestBodySpec post(String path) {
		return this.client.post().uri(path).contentType(MediaType.APPLICATION_JSON);
	}

	@Test
	void updateWindowEndpointShowsTheSameWindowAsTheLockEndpoint() {
		String window = """
				{
					"open": false,
					"reason": "SCHEDULE",
					"openUntil": null,
					"nextOpening": "2026-03-02T02:00:00Z",
					"nextTransition": "2026-03-02T02:00:00Z",
					"operatorWindowEnd": null,
					"holdHeld": true,
					"blockedBy": null,
					"yielded": false,
					"holdName": "update-window",
					"schedule": "MON-FRI 02:00-04:00 (UTC)",
					"zone": "UTC",
					"maxOperatorWindow": "PT24H"
				}""";
		this.client.get()
			.uri("/actuator/updatewindow")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json(window, JsonCompareMode.STRICT);
		this.client.get()
			.uri("/actuator/updatelock")
			.exchange()
			.expectBody()
			.jsonPath("$.window")
			.value((read) -> assertThat(read).asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsEntry("schedule", "MON-FRI 02:00-04:00 (UTC)")
				.containsEntry("holdHeld", true));
	}

	@Test
	void readShowsTheWindowStateAndTheNextTransition() {
		await().atMost(WAIT).until(() -> this.monitor.view().reachable());
		this.client.get()
			.uri("/actuator/updatelock")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("HELD")
			.jsonPath("$.holds[0].name").isEqualTo("update-window")
			.jsonPath("$.supervisor.address").isEqualTo(supervisor.address())
			.jsonPath("$.supervisor.reachable").isEqualTo(true)
			.jsonPath("$.supervisor.updatePending").isEqualTo(false)
			// Every field of the window is listed, so lenient mode only skips the rest of the answer.
			.json("""
					{
						"window": {
							"open": false,
							"reason": "SCHEDULE",
							"openUntil": null,
							"nextOpening": "2026-03-02T02:00:00Z",
							"nextTransition": "2026-03-02T02:00:00Z",
							"operatorWindowEnd": null,
							"holdHeld": true,
							"blockedBy": null,
							"yielded": false,
							"holdName": "update-window",
							"schedule": "MON-FRI 02:00-04:00 (UTC)",
							"zone": "UTC",
							"maxOperatorWindow": "PT24H"
						}
					}""", JsonCompareMode.LENIENT);
	}

	@Test
	void operatorOpensAWindowForABoundedTimeAndClosesItEarly() {
		post("/actuator/updatewindow/open").body("{\"duration\": \"30m\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{
						"action": "open",
						"outcome": "WINDOW_OPENED",
						"message": "Update window open until 2026-03-02T01:30:00Z: hold 'update-window' released, updates may be applied",
						"window": {
							"open": true,
							"reason": "OPERATOR",
							"openUntil": "2026-03-02T01:30:00Z",
							"nextOpening": null,
							"nextTransition": "2026-03-02T01:30:00Z",
							"operatorWindowEnd": "2026-03-02T01:30:00Z",
							"holdHeld": false,
							"blockedBy": null,
							"yielded": false,
							"holdName": "update-window",
							"schedule": "MON-FRI 02:00-04:00 (UTC)",
							"zone": "UTC",
							"maxOperatorWindow": "PT24H"
						}
					}""", JsonCompareMode.STRICT);
		assertThat(holdNames()).isEmpty();
		assertThat(directory.resolve("updates.lock")).doesNotExist();
		this.client.get()
			.uri("/actuator/updatelock")
			.exchange()
			.expectBody()
			.jsonPath("$.status").isEqualTo("RELEASED")
			.jsonPath("$.window.open").isEqualTo(true)
			.jsonPath("$.window.operatorWindowEnd").isEqualTo("2026-03-02T01:30:00Z");
		post("/actuator/updatewindow/close").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("WINDOW_CLOSED")
			.jsonPath("$.message").isEqualTo("Operator window ended; the schedule decides again: closed until "
					+ "2026-03-02T02:00:00Z, hold 'update-window' is taken again")
			.jsonPath("$.window.open").isEqualTo(false);
		await().atMost(WAIT).untilAsserted(() -> assertThat(holdNames()).containsExactly("update-window"));
		post("/actuator/updatewindow/close").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("NO_OPERATOR_WINDOW");
	}

	@Test
	void windowDurationMayAlsoBeAQueryParameter() {
		post("/actuator/updatewindow/open?duration=PT2H").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.window.operatorWindowEnd").isEqualTo("2026-03-02T03:00:00Z");
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource(delimiter = '|', textBlock = """
			open   | {}                     | duration is required: how long the window stays open, for example 2h, 90m or PT2H
			open   | {"duration": "90"}     | duration '90' has no unit: for example 2h, 90m or PT2H
			open   | {"duration": "soon"}   | duration 'soon' is not a duration: for example 2h, 90m or PT2H
			open   | {"duration": "25h"}    | An operator update window must last more than zero and at most PT24H, was PT25H; for example PT2H for two hours
			close  | {"duration": "1h"}     | duration only applies to open, not to close
			shut   | {}                     | Unknown action 'shut': use open (with a duration) or close
			""")
	void badWindowInputIsABadRequestWithAMessage(String action, String body, String message) {
		post("/actuator/updatewindow/" + action).body(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("INVALID")
			.jsonPath("$.message").isEqualTo(message);
		assertThat(holdNames()).containsExactly("update-window");
		assertThat(supervisor.requests("/v1/update")).isZero();
	}

	@Test
	void forceUpdateThatTheSupervisorStartsIsPassedOnAsSent() {
		post("/actuator/forceupdate").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{
						"outcome": "UPDATE_TRIGGERED",
						"message": "The Supervisor applies the update now (HTTP 204), overriding every update lock, this application's included",
						"supervisorStatus": 204,
						"supervisorBody": ""
					}""", JsonCompareMode.STRICT);
		assertThat(supervisor.requests("/v1/update")).isOne();
	}

	@Test
	void forceUpdateThatTheSupervisorIgnoresIsPassedOnAsSent() {
		supervisor.instantUpdates(false);
		post("/actuator/forceupdate").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("UPDATE_IGNORED")
			.jsonPath("$.supervisorStatus").isEqualTo(202);
	}

	@Test
	void forceUpdateRefusedForTheKeyIsABadGatewayWithThe401() {
		supervisor.reply("/v1/update", 401, "Unauthorized");
		post("/actuator/forceupdate").exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("UPDATE_REFUSED")
			.jsonPath("$.supervisorStatus").isEqualTo(401)
			.jsonPath("$.supervisorBody").isEqualTo("Unauthorized")
			.jsonPath("$.message").value((message) -> assertThat((String) message)
				.contains("refused the API key (HTTP 401)")
				.doesNotContain(FakeSupervisor.KEY));
	}

	@Test
	void forceUpdateRefusedByALockIsABadGatewayWithThe423Body() {
		String body = "{\"Data\":\"\",\"Error\":\"Updates are locked: locks found for service worker\"}";
		supervisor.reply("/v1/update", 423, body);
		post("/actuator/forceupdate").exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectBody()
			.json("""
					{
						"outcome": "UPDATE_REFUSED",
						"message": "Supervisor API POST /v1/update: refused by an update lock (HTTP 423): Updates are locked: locks found for service worker",
						"supervisorStatus": 423,
						"supervisorBody": "{\\"Data\\":\\"\\",\\"Error\\":\\"Updates are locked: locks found for service worker\\"}"
					}""", JsonCompareMode.STRICT);
	}

	@Test
	void aPendingUpdateIsShownInTheEndpointTheHealthDetailsAndTheMeters() {
		supervisor.updatePending("2222222222222222222222222222222b");
		// A poll under way while the answers changed may have seen only one of them: wait for one that saw both.
		await().atMost(WAIT).until(() -> "downloaded".equals(this.monitor.view().updateStatus()));
		this.client.get()
			.uri("/actuator/updatelock")
			.exchange()
			.expectBody()
			.jsonPath("$.supervisor.polling").isEqualTo(true)
			.jsonPath("$.supervisor.reachable").isEqualTo(true)
			.jsonPath("$.supervisor.updatePending").isEqualTo(true)
			.jsonPath("$.supervisor.pendingSince").isNotEmpty()
			.jsonPath("$.supervisor.applying").isEqualTo(false)
			.jsonPath("$.supervisor.updateStatus").isEqualTo("downloaded")
			.jsonPath("$.supervisor.currentCommit").isEqualTo("1111111111111111111111111111111a")
			.jsonPath("$.supervisor.targetCommit").isEqualTo("2222222222222222222222222222222b")
			.jsonPath("$.supervisor.pendingUpdates").value((count) -> assertThat((Integer) count).isPositive())
			.jsonPath("$.supervisor.yields").isEqualTo(0);
		this.client.get()
			.uri("/actuator/health/updateLock")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.details.supervisor.reachable").isEqualTo(true)
			.jsonPath("$.details.supervisor.updatePending").isEqualTo(true)
			.jsonPath("$.details.supervisor.pendingSince").isNotEmpty()
			.jsonPath("$.details.supervisor.applying").isEqualTo(false);
		this.client.get()
			.uri("/actuator/metrics/update.lock.supervisor.update.pending")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.measurements[0].value").isEqualTo(1.0);
		this.client.get()
			.uri("/actuator/metrics/update.lock.supervisor.pending.updates")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.measurements[0].value")
			.value((count) -> assertThat((Double) count).isEqualTo(this.monitor.view().pendingUpdates()));
		this.client.get()
			.uri("/actuator/metrics/update.lock.supervisor.reachable")
			.exchange()
			.expectBody()
			.jsonPath("$.measurements[0].value").isEqualTo(1.0);
	}

}
