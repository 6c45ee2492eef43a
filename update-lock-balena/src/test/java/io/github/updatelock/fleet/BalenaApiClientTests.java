package io.github.updatelock.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.github.updatelock.testsupport.FakeBalenaApi;
import io.github.updatelock.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class BalenaApiClientTests {

	private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

	private final FakeBalenaApi api = FakeBalenaApi.start();

	private final MutableClock clock = new MutableClock(NOW);

	private final BalenaApiClient client = new BalenaApiClient(FakeBalenaApiSettings.of(this.api), this.clock);

	@AfterEach
	void stop() {
		this.api.close();
	}

	private static BalenaApiException failure(CompletableFuture<?> call) {
		try {
			call.join();
		}
		catch (CompletionException ex) {
			assertThat(ex.getCause()).isInstanceOf(BalenaApiException.class);
			BalenaApiException failure = (BalenaApiException) ex.getCause();
			assertThat(failure.getMessage()).doesNotContain(FakeBalenaApi.KEY);
			return failure;
		}
		throw new AssertionError("The call succeeded");
	}

	@Test
	void resolvesTheDeviceIdWithTheKeyAsBearer() {
		assertThat(this.client.resolveDeviceId().join()).isEqualTo(FakeBalenaApi.DEVICE_ID);
		FakeBalenaApi.Recorded request = this.api.recorded().get(0);
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.path()).isEqualTo("/v7/device(uuid='" + FakeBalenaApi.DEVICE_UUID + "')");
		assertThat(request.query()).isEqualTo("$select=id");
	}

	@Test
	void anEmptyAnswerIsAnUnknownDevice() {
		BalenaApiClient other = new BalenaApiClient(
				FakeBalenaApiSettings.of(this.api.uri(), FakeBalenaApi.KEY, "abcdef0123456"));
		BalenaApiException failure = failure(other.resolveDeviceId());
		assertThat(failure.getKind()).isEqualTo(BalenaErrorKind.DEVICE_NOT_FOUND);
		assertThat(failure.getMessage()).contains("knows no device abcdef0123456", "empty answer");
	}

	@Test
	void aNotFoundAnswerIsAnUnknownDevice() {
		this.api.unknownDeviceAs404(true);
		BalenaApiClient other = new BalenaApiClient(
				FakeBalenaApiSettings.of(this.api.uri(), FakeBalenaApi.KEY, "abcdef0123456"));
		BalenaApiException failure = failure(other.resolveDeviceId());
		assertThat(failure.getKind()).isEqualTo(BalenaErrorKind.DEVICE_NOT_FOUND);
		assertThat(failure.getStatusCode()).isEqualTo(404);
	}

	@Test
	void aRefusedKeyIsUnauthorizedAndNeverShown() {
		String wrongKey = "wr0ngK3yThatMustNeverShow";
		BalenaApiClient other = new BalenaApiClient(
				FakeBalenaApiSettings.of(this.api.uri(), wrongKey, FakeBalenaApi.DEVICE_UUID));
		BalenaApiException failure = failure(other.resolveDeviceId());
		assertThat(failure.getKind()).isEqualTo(BalenaErrorKind.UNAUTHORIZED);
		assertThat(failure.getMessage()).doesNotContain(wrongKey).contains("HTTP 401", "io.balena.features.balena-api");
		this.api.reply(403, "Forbidden", null);
		assertThat(failure(this.client.resolveDeviceId()).getKind()).isEqualTo(BalenaErrorKind.UNAUTHORIZED);
	}

	@Test
	void aNewTagIsCreatedAndAnExistingOneUpdated() {
		this.client.setTag(FakeBalenaApi.DEVICE_ID, "update-lock.status", "HELD", false).join();
		assertThat(this.api.tags()).containsExactly(entry("update-lock.status", "HELD"));
		this.client.setTag(FakeBalenaApi.DEVICE_ID, "update-lock.status", "RELEASED", true).join();
		assertThat(this.api.tags()).containsEntry("update-lock.status", "RELEASED");
		assertThat(this.api.recorded()).extracting(FakeBalenaApi.Recorded::method).containsExactly("POST", "PATCH");
		assertThat(this.api.recorded().get(0).body())
			.isEqualTo("{\"device\":4242,\"tag_key\":\"update-lock.status\",\"value\":\"HELD\"}");
		assertThat(this.api.recorded().get(1).path()).isEqualTo("/v7/device_tag(device=4242,tag_key='update-lock.status')");
	}

	@Test
	void aTagLeftByAnEarlierRunIsUpdatedAfterTheConflict() {
		this.api.tag("update-lock.status", "HELD");
		this.client.setTag(FakeBalenaApi.DEVICE_ID, "update-lock.status", "RELEASED", false).join();
		assertThat(this.api.tags()).containsEntry("update-lock.status", "RELEASED");
		assertThat(this.api.recorded()).extracting(FakeBalenaApi.Recorded::method).containsExactly("POST", "PATCH");
	}

	@Test
	void keysAndValuesAreQuotedForODataAndJson() {
		String key = "it's a key/with?odd)chars";
		String value = "say \"hi\"\\\nnow";
		this.client.setTag(FakeBalenaApi.DEVICE_ID, key, value, false).join();
		this.client.setTag(FakeBalenaApi.DEVICE_ID, key, value + "!", true).join();
		assertThat(this.api.tags()).containsEntry(key, value + "!");
		this.client.removeTag(FakeBalenaApi.DEVICE_ID, key).join();
		assertThat(this.api.tags()).isEmpty();
		assertThat(BalenaApiClient.literal(key)).isEqualTo("'it%27%27s%20a%20key%2Fwith%3Fodd%29chars'");
	}

	@Test
	void removingATagThatIsGoneSucceeds() {
		this.api.tag("update-lock.holds", "x since 2026-12-02T10:00Z");
		this.client.removeTag(FakeBalenaApi.DEVICE_ID, "update-lock.holds").join();
		this.client.removeTag(FakeBalenaApi.DEVICE_ID, "update-lock.holds").join();
		assertThat(this.api.tags()).isEmpty();
		assertThat(this.api.writes("update-lock.holds")).isEqualTo(2);
	}

	@Test
	void rateLimitingCarriesRetryAfterInSeconds() {
		this.api.reply(429, "Too Many Requests", "120");
		BalenaApiException failure = failure(this.client.setTag(FakeBalenaApi.DEVICE_ID, "k", "v", false));
		assertThat(failure.getKind()).isEqualTo(BalenaErrorKind.RATE_LIMITED);
		assertThat(failure.getRetryAfter()).isEqualTo(Duration.ofSeconds(120));
	}

	@Test
	void rateLimitingCarriesRetryAfterAsADate() {
		this.api.reply(429, "Too Many Requests", "Wed, 02 Dec 2026 10:05:00 GMT");
		assertThat(failure(this.client.resolveDeviceId()).getRetryAfter()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void retryAfterIsCappedAndNeverNegative() {
		assertThat(this.client.retryAfter("86400")).isEqualTo(BalenaApiClient.MAX_RETRY_AFTER);
		assertThat(this.client.retryAfter("99999999999999999999")).isEqualTo(BalenaApiClient.MAX_RETRY_AFTER);
		assertThat(this.client.retryAfter("Wed, 02 Dec 2026 09:00:00 GMT")).isEqualTo(Duration.ZERO);
		assertThat(this.client.retryAfter("soon")).isNull();
		assertThat(this.client.retryAfter(null)).isNull();
	}

	@Test
	void serverErrorsAndOtherAnswersAreTold() {
		this.api.reply(503, "Service Unavailable", null);
		BalenaApiException failure = failure(this.client.removeTag(FakeBalenaApi.DEVICE_ID, "k"));
		assertThat(failure.getKind()).isEqualTo(BalenaErrorKind.SERVER_ERROR);
		assertThat(failure.getMessage()).contains("HTTP 503: Service Unavailable");
		this.api.reply(400, "Tag keys cannot contain whitespace.", null);
		failure = failure(this.client.setTag(FakeBalenaApi.DEVICE_ID, "k", "v", false));
		assertThat(failure.getKind()).isEqualTo(BalenaErrorKind.REJECTED);
		assertThat(failure.getMessage()).contains("HTTP 400: Tag keys cannot contain whitespace.");
	}

	@Test
	void garbageIsAnInvalidAnswer() {
		this.api.reply(200, "<html>captive portal</html>", null);
		assertThat(failure(this.client.resolveDeviceId()).getKind()).isEqualTo(BalenaErrorKind.INVALID_ANSWER);
		this.api.reply(200, "{\"d\":[{\"id\":\"abc\"}]}", null);
		assertThat(failure(this.client.resolveDeviceId()).getMessage()).contains("no positive whole number 'id'");
		this.api.reply(200, "{\"d\":[{\"id\":1}]," + "\"x\":\"" + "y".repeat(70 * 1024) + "\"}", null);
		assertThat(failure(this.client.resolveDeviceId()).getMessage()).contains("answer larger than 65536 bytes");
	}

	@Test
	void aSlowAnswerTimesOut() {
		this.api.stallAnswers();
		BalenaApiException failure = failure(this.client.resolveDeviceId());
		assertThat(failure.getKind()).isEqualTo(BalenaErrorKind.TIMEOUT);
	}

	@Test
	void aClosedPortIsUnreachable() {
		BalenaApiClient down = new BalenaApiClient(FakeBalenaApiSettings.of(FakeBalenaApiSettings.closedPort(),
				FakeBalenaApi.KEY, FakeBalenaApi.DEVICE_UUID));
		BalenaApiException failure = failure(down.resolveDeviceId());
		assertThat(failure.getKind()).isEqualTo(BalenaErrorKind.UNREACHABLE);
		assertThat(failure.getMessage()).contains("connection refused");
	}

}
