package io.github.updatelock.testsupport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A monotonic clock that runs with {@link System#nanoTime()} and that a test can move
 * forwards, so that an hour of age passes at once while real waits and deadlines still
 * work. Pass {@code nanoClock::nanoTime} where a monotonic clock is asked for; the wall
 * clock ({@link MutableClock}) is moved apart from it to show that a step of the wall clock
 * changes no duration.
 */
public final class NanoClock {

	private final AtomicLong offset = new AtomicLong();

	/**
	 * Reads the clock.
	 * @return {@link System#nanoTime()} plus every advance so far
	 */
	public long nanoTime() {
		return System.nanoTime() + this.offset.get();
	}

	/**
	 * Moves the clock forwards; a monotonic clock never goes back.
	 * @param duration how far, zero or more
	 */
	public void advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("A monotonic clock never goes back, was asked to by " + duration);
		}
		this.offset.addAndGet(duration.toNanos());
	}

}
