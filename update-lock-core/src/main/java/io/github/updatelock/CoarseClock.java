package io.github.updatelock;

import java.time.Clock;
import java.time.Instant;

/**
 * The time as of the last {@link #refresh()}, on both clocks: the wall clock for the start
 * people read, the monotonic clock for the age. Reading it costs a volatile read, where
 * asking a system clock costs 20 to 40 ns on a virtual machine: as much as all the rest
 * of a hold that joins a lock already held. The manager refreshes it on every round of its
 * watch and whenever it takes the lock file, so it is at most one watch interval old.
 */
final class CoarseClock {

	private final Clock wallClock;

	private final MonotonicClock monotonicClock;

	private volatile Reading now;

	CoarseClock(Clock wallClock, MonotonicClock monotonicClock) {
		this.wallClock = wallClock;
		this.monotonicClock = monotonicClock;
		this.now = read();
	}

	Reading reading() {
		return this.now;
	}

	/**
	 * Reads the clocks. Synchronized so that a slower refresh cannot store an older reading
	 * over a newer one.
	 * @return the exact time now, which later calls of {@link #reading()} return
	 */
	synchronized Reading refresh() {
		Reading exact = read();
		this.now = exact;
		return exact;
	}

	Reading exact() {
		return read();
	}

	private Reading read() {
		return new Reading(this.wallClock.instant(), this.monotonicClock.nanoTime());
	}

	/**
	 * One moment on both clocks.
	 *
	 * @param instant the wall-clock time, for display
	 * @param nanos the monotonic time, for durations
	 */
	record Reading(Instant instant, long nanos) {
	}

}
