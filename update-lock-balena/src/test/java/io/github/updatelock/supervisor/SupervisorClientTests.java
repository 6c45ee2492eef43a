package io.github.updatelock.supervisor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

import io.github.updatelock.testsupport.FakeSupervisor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

class SupervisorClientTests {

	private final FakeSupervisor supervisor = FakeSupervisor.start();

	private final SupervisorClient client = new SupervisorClient(FakeSupervisorSettings.of(this.supervisor));

	@AfterEach
	void stopSupervisor() {
		this.supervisor.close();
	}

	@Test
	void readsApplicationsStateAsDocumented() {
		this.supervisor.application("b2c4e6a8", "downloaded");
		List<SupervisorApplication> applications = this.client.applicationsState();
		assertThat(applications).singleElement().satisfies((application) -> {
			assertThat(application.name()).isEqualTo("myapp");
			assertThat(application.appId()).isEqualTo(1234567L);
			assertThat(application.commit()).isEqualTo("b2c4e6a8");
			assertThat(application.updateStatus()).isEqualTo("downloaded");
			assertThat(application.downloaded()).isTrue();
			assertThat(application.applyingChanges()).isFalse();
			assertThat(application.serviceStatuses()).containsExactly(Map.entry("main", "Running"));
		});
		FakeSupervisor.Recorded request = this.supervisor.recorded().get(0);
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.authorization()).isEqualTo("Bearer " + FakeSupervisor.KEY);
		assertThat(request.uri().toString()).isEqualTo("/v2/applications/state").doesNotContain(FakeSupervisor.KEY);
	}

	@Test
	void emptyApplicationsStateIsAnEmptyList() {
		assertThat(this.client.applicationsState()).isEmpty();
	}

	@Test
	void readsDeviceAsDocumented() {
		this.supervisor.device("a1b3c5d7", true, true, true);
		SupervisorDeviceState device = this.client.device();
		assertThat(device).isEqualTo(new SupervisorDeviceState("a1b3c5d7", "Idle", null, true, true, true, "17.0.1"));
		this.supervisor.device(null, false, false, false);
		assertThat(this.client.device())
			.isEqualTo(new SupervisorDeviceState(null, "Idle", null, false, false, false, "17.0.1"));
	}

	@Test
	void readsVersionAsDocumented() throws Exception {
		this.supervisor.reply("/v2/version", 200, "{\"status\":\"success\",\"version\":\"19.0.5\"}");
		assertThat(this.client.versionAsync().get()).isEqualTo(SupervisorVersion.parse("19.0.5"));
		FakeSupervisor.Recorded request = this.supervisor.recorded().get(0);
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.uri().toString()).isEqualTo("/v2/version");
		assertThat(request.authorization()).isEqualTo("Bearer " + FakeSupervisor.KEY);
	}

	@Test
	void aVersionThatIsNoVersionIsAnInvalidAnswerAndNeverShown() {
		this.supervisor.reply("/v2/version", 200, "{\"status\":\"success\",\"version\":\"1.0\\nFAKE LOG LINE\"}");
		assertThat(this.client.versionAsync()).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOfSatisfying(SupervisorApiException.class, (ex) -> {
				assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.INVALID_ANSWER);
				assertThat(ex.getMessage()).startsWith("Supervisor API GET /v2/version: not the documented answer")
					.doesNotContain("FAKE LOG LINE");
			});
	}

	@Test
	void wrongKeyIsUnauthorizedAndNeitherKeyIsShown() {
		String wrongKey = "00000000000000000000000000000000";
		SupervisorClient wrong = new SupervisorClient(SupervisorApiSettings.of(this.supervisor.uri(), wrongKey));
		SupervisorApiException ex = catchThrowableOfType(wrong::device, SupervisorApiException.class);
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.UNAUTHORIZED);
		assertThat(ex.getStatusCode()).isEqualTo(401);
		assertThat(ex.getBody()).isEqualTo("Unauthorized");
		assertThat(ex.getMessage()).startsWith("Supervisor API GET /v1/device: the Supervisor refused the API key")
			.doesNotContain(wrongKey)
			.doesNotContain(FakeSupervisor.KEY);
		assertThat(wrong.toString()).doesNotContain(wrongKey);
	}

	@Test
	void keyOfEveryVisibleAsciiCharacterIsSentAsItIsAndNeverShown() {
		String key = IntStream.rangeClosed(0x21, 0x7e)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
		SupervisorClient odd = new SupervisorClient(SupervisorApiSettings.of(this.supervisor.uri(), key));
		SupervisorApiException ex = catchThrowableOfType(odd::device, SupervisorApiException.class);
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.UNAUTHORIZED);
		assertThat(ex.getMessage()).doesNotContain(key.substring(0, 8));
		FakeSupervisor.Recorded request = this.supervisor.recorded().get(0);
		assertThat(request.authorization()).isEqualTo("Bearer " + key);
		assertThat(request.uri().getRawQuery()).isNull();
	}

	@Test
	void forceUpdateSendsForceTrueAndReportsTriggered() {
		SupervisorUpdateAnswer answer = this.client.forceUpdate();
		assertThat(answer.statusCode()).isEqualTo(204);
		assertThat(answer.triggered()).isTrue();
		assertThat(answer.body()).isEmpty();
		FakeSupervisor.Recorded request = this.supervisor.recorded().get(0);
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.uri().getPath()).isEqualTo("/v1/update");
		assertThat(request.contentType()).isEqualTo("application/json");
		assertThat(request.body()).isEqualTo("{\"force\":true}");
	}

	@Test
	void forceUpdateIgnoredIs202() {
		this.supervisor.instantUpdates(false);
		SupervisorUpdateAnswer answer = this.client.forceUpdate();
		assertThat(answer.statusCode()).isEqualTo(202);
		assertThat(answer.triggered()).isFalse();
	}

	@Test
	void lockRefusalWithStatusAndMessageBody() {
		String body = "{\"status\":\"failed\",\"message\":\"Lockfile exists for { appId: 1234567, service: main }\"}";
		this.supervisor.reply("/v1/update", 423, body);
		SupervisorApiException ex = catchThrowableOfType(this.client::forceUpdate, SupervisorApiException.class);
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.LOCKED);
		assertThat(ex.getStatusCode()).isEqualTo(423);
		assertThat(ex.getBody()).isEqualTo(body);
		assertThat(ex.getMessage()).isEqualTo("Supervisor API POST /v1/update: refused by an update lock (HTTP 423): "
				+ "Lockfile exists for { appId: 1234567, service: main }");
	}

	@Test
	void lockRefusalWithDataAndErrorBody() {
		String body = "{\"Data\":\"\",\"Error\":\"Updates are locked\"}";
		this.supervisor.reply("/v1/update", 423, body);
		SupervisorApiException ex = catchThrowableOfType(this.client::forceUpdate, SupervisorApiException.class);
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.LOCKED);
		assertThat(ex.getBody()).isEqualTo(body);
		assertThat(ex.getMessage()).endsWith("(HTTP 423): Updates are locked");
	}

	@Test
	void otherAnswerIsRejectedWithItsStatusAndBody() {
		String body = "{\"status\":\"failed\",\"message\":\"Unexpected error: database is locked\"}";
		this.supervisor.reply("/v1/device", 503, body);
		SupervisorApiException ex = catchThrowableOfType(this.client::device, SupervisorApiException.class);
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.REJECTED);
		assertThat(ex.getStatusCode()).isEqualTo(503);
		assertThat(ex.getBody()).isEqualTo(body);
		assertThat(ex.getMessage())
			.isEqualTo("Supervisor API GET /v1/device: unexpected answer HTTP 503: Unexpected error: database is locked");
	}

	@Test
	void unexpectedSuccessOnUpdateIsRejectedToo() {
		this.supervisor.reply("/v1/update", 200, "OK");
		SupervisorApiException ex = catchThrowableOfType(this.client::forceUpdate, SupervisorApiException.class);
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.REJECTED);
		assertThat(ex.getStatusCode()).isEqualTo(200);
		assertThat(ex.getBody()).isEqualTo("OK");
	}

	@Test
	void garbageIsAnInvalidAnswerThatKeepsTheBody() {
		this.supervisor.reply("/v2/applications/state", 200, "<html><body>502 Bad Gateway</body></html>");
		SupervisorApiException ex = catchThrowableOfType(this.client::applicationsState, SupervisorApiException.class);
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.INVALID_ANSWER);
		assertThat(ex.getStatusCode()).isEqualTo(200);
		assertThat(ex.getBody()).startsWith("<html>");
		assertThat(ex.getMessage()).startsWith("Supervisor API GET /v2/applications/state: not the documented answer "
				+ "(Malformed JSON at offset 0");
	}

	@Test
	void jsonOfTheWrongShapeIsAnInvalidAnswer() {
		this.supervisor.reply("/v1/device", 200, "[]");
		assertThatExceptionOfType(SupervisorApiException.class).isThrownBy(this.client::device)
			.withMessageEndingWith("(expected a JSON object, found an array)")
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.INVALID_ANSWER));
		this.supervisor.reply("/v2/applications/state", 200, "{\"myapp\":42}");
		assertThatExceptionOfType(SupervisorApiException.class).isThrownBy(this.client::applicationsState)
			.withMessageEndingWith("(application 'myapp' is a number)");
	}

	@Test
	void hostileJsonIsAnInvalidAnswer() {
		this.supervisor.reply("/v1/device", 200, "{\"download_progress\":" + "9".repeat(100_000) + "}");
		assertThatExceptionOfType(SupervisorApiException.class).isThrownBy(this.client::device)
			.withMessageContaining("(Malformed JSON at offset 100021: Number value length (100000) exceeds the maximum "
					+ "allowed (64")
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.INVALID_ANSWER));
		this.supervisor.reply("/v1/device", 200, "{\"status\":\"\\ud800\"}");
		assertThatExceptionOfType(SupervisorApiException.class).isThrownBy(this.client::device)
			.withMessageEndingWith("(Malformed JSON at offset 10: lone high surrogate \\ud800 in a string)")
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.INVALID_ANSWER));
	}

	@Test
	void fieldsOfUnexpectedTypesReadAsAbsent() {
		this.supervisor.reply("/v1/device",
				200, "{\"commit\":7,\"update_pending\":\"yes\",\"download_progress\":12.5,\"status\":null}");
		assertThat(this.client.device()).isEqualTo(new SupervisorDeviceState(null, null, null, false, false, false, null));
	}

	@Test
	void answerFarTooLargeIsRefused() {
		this.supervisor.reply("/v1/device", 200, "{\"x\":\"" + "a".repeat(SupervisorClient.MAX_ANSWER_BYTES) + "\"}");
		SupervisorApiException ex = catchThrowableOfType(this.client::device, SupervisorApiException.class);
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.INVALID_ANSWER);
		assertThat(ex.getMessage()).contains("answer larger than " + SupervisorClient.MAX_ANSWER_BYTES + " bytes");
	}

	@Test
	void slowAnswerHitsTheRequestTimeout() {
		SupervisorClient impatient = new SupervisorClient(
				FakeSupervisorSettings.of(this.supervisor).withRequestTimeout(Duration.ofMillis(300)));
		this.supervisor.stallAnswers();
		long start = System.nanoTime();
		SupervisorApiException ex = catchThrowableOfType(impatient::device, SupervisorApiException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.TIMEOUT);
		assertThat(ex.getStatusCode()).isZero();
		assertThat(ex.getMessage()).isEqualTo("Supervisor API GET /v1/device: no answer within 300 ms");
	}

	@Test
	void tricklingBodyIsCutOffByTheOverallDeadline() {
		SupervisorClient impatient = new SupervisorClient(FakeSupervisorSettings.of(this.supervisor)
			.withConnectTimeout(Duration.ofMillis(200))
			.withRequestTimeout(Duration.ofMillis(300)));
		this.supervisor.stallBodies();
		long start = System.nanoTime();
		SupervisorApiException ex = catchThrowableOfType(impatient::device, SupervisorApiException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.TIMEOUT);
		assertThat(ex.getMessage()).isEqualTo("Supervisor API GET /v1/device: no complete answer within 500 ms");
	}

	@Test
	void refusedConnectionIsUnreachable() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		SupervisorClient nobody = new SupervisorClient(
				SupervisorApiSettings.of(URI.create("http://127.0.0.1:" + port), FakeSupervisor.KEY));
		SupervisorApiException ex = catchThrowableOfType(nobody::applicationsState, SupervisorApiException.class);
		assertThat(ex.getKind()).isEqualTo(SupervisorErrorKind.UNREACHABLE);
		assertThat(ex.getStatusCode()).isZero();
		assertThat(ex.getBody()).isNull();
		assertThat(ex.getMessage()).isEqualTo("Supervisor API GET /v2/applications/state: cannot reach the Supervisor "
				+ "at http://127.0.0.1:" + port + " (connection refused)").doesNotContain(FakeSupervisor.KEY);
	}

	@Test
	void supervisorMessageIsTakenFromEitherErrorShapeOrTheText() {
		assertThat(SupervisorClient.supervisorMessage("{\"status\":\"failed\",\"message\":\"m\"}")).isEqualTo("m");
		assertThat(SupervisorClient.supervisorMessage("{\"Data\":\"\",\"Error\":\"e\"}")).isEqualTo("e");
		assertThat(SupervisorClient.supervisorMessage("Unauthorized\r\n")).isEqualTo("Unauthorized");
		assertThat(SupervisorClient.supervisorMessage("line\none\u0000two")).isEqualTo("line one two");
		assertThat(SupervisorClient.supervisorMessage("x".repeat(500))).hasSize(203).endsWith("...");
		assertThat(SupervisorClient.supervisorMessage(null)).isEmpty();
	}

	@Test
	void theVersionIsReadFromV2Version() {
		this.supervisor.version("17.8.3");
		assertThat(this.client.versionAsync().join()).isEqualTo(SupervisorVersion.parse("17.8.3"));
	}

	@Test
	void deviceTagsArePatchedAsOneJsonObjectOfStrings() {
		this.client.setDeviceTagsAsync(Map.of("update-lock.main.pending", "release 4f2a9c1 waits \"now\"")).join();
		this.client.setDeviceTagsAsync(Map.of("update-lock.main.status", "ok")).join();
		assertThat(this.supervisor.deviceTags()).containsExactly(
				entry("update-lock.main.pending", "release 4f2a9c1 waits \"now\""),
				entry("update-lock.main.status", "ok"));
		FakeSupervisor.Recorded patch = this.supervisor.recorded().get(0);
		assertThat(patch.method()).isEqualTo("PATCH");
		assertThat(patch.contentType()).isEqualTo("application/json");
		assertThat(patch.authorization()).isEqualTo("Bearer " + FakeSupervisor.KEY);
	}

}
