package io.github.updatelock.window;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test sets or advances it, so that time-driven code is
 * tested at exact instants without waiting.
 */
final class MutableClock extends Clock {

	private volatile Instant instant;

	MutableClock(Instant instant) {
		this.instant = instant;
	}

	void set(Instant instant) {
		this.instant = instant;
	}

	void advance(Duration duration) {
		this.instant = this.instant.plus(duration);
	}

	@Override
	public Instant instant() {
		return this.instant;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("The code under test takes its zone from the schedule");
	}

}
