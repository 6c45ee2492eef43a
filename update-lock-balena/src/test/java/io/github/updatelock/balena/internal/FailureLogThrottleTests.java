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
		assertThat(failedAfter(Duration.ZERO)).isEmpty();
		assertThat(failedAfter(Duration.ofSeconds(30))).isNull();
		assertThat(failedAfter(Duration.ofSeconds(60))).isNull();
		assertThat(failedAfter(Duration.ofMinutes(10)))
			.isEqualTo(" (2 more failed polls since 2026-12-02T10:00:00Z were not logged)");
		assertThat(failedAfter(Duration.ofMinutes(11))).isNull();
	}

	@Test
	void aSuccessMakesTheNextFailureLoggedAtOnce() {
		failedAfter(Duration.ZERO);
		failedAfter(Duration.ofSeconds(1));
		this.throttle.succeeded();
		assertThat(failedAfter(Duration.ofSeconds(2))).isEmpty();
	}

	@Test
	void theIntervalIsMeasuredOnTheMonotonicClockNotTheWallClock() {
		assertThat(this.throttle.failed(T, 0)).isEmpty();
		// The wall clock steps forward by days: the next failure comes seconds later all the same.
		assertThat(this.throttle.failed(T.plus(Duration.ofDays(3)), Duration.ofSeconds(5).toNanos())).isNull();
		// The wall clock steps back by a day: ten minutes later a failure is logged again.
		assertThat(this.throttle.failed(T.minus(Duration.ofDays(1)), Duration.ofMinutes(10).toNanos())).isNotNull();
	}

	/** A failure that many nanoseconds after the first, with the wall clock in step. */
	private String failedAfter(Duration elapsed) {
		return this.throttle.failed(T.plus(elapsed), elapsed.toNanos());
	}

}
