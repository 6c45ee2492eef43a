package io.github.updatelock.balena.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What the exchange does beyond what the clients' tests show through it: its calls are
 * covered by {@code SupervisorClientTests} and {@code BalenaApiClientTests}.
 */
class JsonHttpExchangeTests {

	@Test
	void refusesAClientWithoutConnectTimeoutSinceTheDeadlineCountsIt() {
		HttpClient http = HttpClient.newBuilder().build();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JsonHttpExchange(http, "Test API", "the test API", URI.create("http://127.0.0.1:1"),
					"key", Duration.ofSeconds(1), 1024, (failure) -> new IllegalStateException(failure.message())))
			.withMessage("http must have a connect timeout");
	}

}
