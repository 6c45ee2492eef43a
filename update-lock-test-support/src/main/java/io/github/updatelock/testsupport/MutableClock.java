package io.github.updatelock.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A clock in UTC that stands still until a test sets or advances it, so that time-driven
 * code (update windows, polling, deferral limits) is tested at exact instants without
 * waiting.
 */
public final class MutableClock extends Clock {

	private final Instant start;

	private volatile Instant instant;

	/**
	 * Creates a clock that shows {@code instant} until it is moved.
	 * @param instant the time to start at
	 */
	public MutableClock(Instant instant) {
		this.start = instant;
		this.instant = instant;
	}

	/**
	 * How far this clock is from where it started, in nanoseconds: a monotonic clock for
	 * code that measures durations, in tests that let time pass by moving this clock
	 * forwards. A test that steps a wall clock gives the code under test another
	 * {@code MutableClock} as its wall clock.
	 * @return the nanoseconds since the start
	 */
	public long elapsedNanos() {
		return ChronoUnit.NANOS.between(this.start, this.instant);
	}

	/**
	 * Moves the clock to {@code instant}, forwards or backwards.
	 * @param instant the new time
	 */
	public void set(Instant instant) {
		this.instant = instant;
	}

	/**
	 * Moves the clock forwards by {@code duration}.
	 * @param duration how far
	 */
	public void advance(Duration duration) {
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

	/**
	 * Not supported: the code under test takes its zone from its own configuration, never
	 * from the clock.
	 * @param zone ignored
	 * @throws UnsupportedOperationException always
	 */
	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A test clock stays in UTC; the code under test takes its zone "
				+ "from its configuration");
	}

}
