package io.github.updatelock;

import java.time.Clock;
import java.time.Instant;

/**
 * The time as of the last {@link #refresh()}. Reading it costs a volatile read, where
 * asking the system clock costs 30 to 40 ns on a virtual machine: as much as all the rest
 * of a hold that joins a lock already held. The manager refreshes it on every round of its
 * watch and whenever it takes the lock file, so it is at most one watch interval old.
 */
final class CoarseClock {

	private final Clock clock;

	private volatile Instant now;

	CoarseClock(Clock clock) {
		this.clock = clock;
		this.now = clock.instant();
	}

	Instant instant() {
		return this.now;
	}

	/**
	 * Reads the clock. Synchronized so that a slower refresh cannot store an older reading
	 * over a newer one.
	 * @return the exact time now, which later calls of {@link #instant()} return
	 */
	synchronized Instant refresh() {
		Instant exact = this.clock.instant();
		this.now = exact;
		return exact;
	}

}
