package io.github.updatelock;

/**
 * The clock every duration is measured with: the age of a hold, how long a wait lasted,
 * when a hold counts as long-running, for how long a blocker was seen. Unlike the wall
 * clock ({@link java.time.Clock}), which only dates what people read ({@code since},
 * {@code expiresAt}), it never steps: a device without a real-time clock, such as a
 * Raspberry Pi, has its wall clock set by days when NTP first answers after boot, and an
 * age taken from it would jump with it.
 * <p>
 * Only differences between two readings of the same clock mean anything.
 */
@FunctionalInterface
public interface MonotonicClock {

	/**
	 * The clock of the running JVM, {@link System#nanoTime()}.
	 */
	MonotonicClock SYSTEM = System::nanoTime;

	/**
	 * Reads the clock.
	 * @return nanoseconds since an arbitrary origin that does not change while the clock is
	 * in use
	 */
	long nanoTime();

}
