package io.github.updatelock.balena.internal;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureLogThrottleTests {

	private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

	private final FailureLogThrottle throttle = new FailureLogThrottle(Duration.ofMinutes(10), "failed polls");

	@Test
	void theFirstFailureIsLoggedThenOnePerIntervalWithHowManyWereLeftOut() {
		assertThat(this.throttle.failed(T)).isEmpty();
		assertThat(this.throttle.failed(T.plusSeconds(30))).isNull();
		assertThat(this.throttle.failed(T.plusSeconds(60))).isNull();
		assertThat(this.throttle.failed(T.plus(Duration.ofMinutes(10))))
			.isEqualTo(" (2 more failed polls since 2026-12-02T10:00:00Z were not logged)");
		assertThat(this.throttle.failed(T.plus(Duration.ofMinutes(11)))).isNull();
	}

	@Test
	void aSuccessMakesTheNextFailureLoggedAtOnce() {
		this.throttle.failed(T);
		this.throttle.failed(T.plusSeconds(1));
		this.throttle.succeeded();
		assertThat(this.throttle.failed(T.plusSeconds(2))).isEmpty();
	}

}
