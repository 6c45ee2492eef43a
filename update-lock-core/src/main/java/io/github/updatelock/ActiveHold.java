package io.github.updatelock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An active hold as reported in a {@link UpdateLockSnapshot}.
 *
 * @param id a number unique within its manager
 * @param name the name the holder gave, which may carry per-call values (an order id): for
 * logs and endpoints
 * @param declaredName the name as declared in code, without per-call values: for a
 * {@code @HoldUpdateLock} hold named {@code payment-42} from the template
 * {@code payment-#{#order.id}}, the template; for a hold taken with a plain name, that name.
 * Meters and fleet tags use it, since they must not get one series or tag per call
 * @param since when the hold was granted, by the wall clock: for display only, as the wall
 * clock may step after it (NTP on a device without a real-time clock)
 * @param age how long the hold had been active when it was described, by the
 * {@link MonotonicClock}: unlike the distance from {@code since}, it does not change when
 * the wall clock steps
 * @param longRunning whether the hold has lived longer than the manager's long-hold warning:
 * updates have waited on it that long, which usually means work that never ends or a hold
 * that was never released
 * @see UpdateLockManager#acquire(String, String, java.time.Duration)
 */
public record ActiveHold(long id, String name, String declaredName, Instant since, Duration age,
		boolean longRunning) {

	/**
	 * Creates an active hold.
	 * @param id a number unique within its manager
	 * @param name the name the holder gave
	 * @param declaredName the name as declared in code, without per-call values
	 * @param since when the hold was granted
	 * @param age how long the hold had been active when it was described; not negative
	 * @param longRunning whether the hold has lived longer than the long-hold warning
	 */
	public ActiveHold {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(declaredName, "declaredName");
		Objects.requireNonNull(since, "since");
		DurationRules.requireNotNegative(age, "age");
	}

	/**
	 * Creates an active hold whose name is its declared name.
	 * @param id a number unique within its manager
	 * @param name the name the holder gave, also its declared name
	 * @param since when the hold was granted
	 * @param age how long the hold had been active when it was described; not negative
	 * @param longRunning whether the hold has lived longer than the long-hold warning
	 */
	public ActiveHold(long id, String name, Instant since, Duration age, boolean longRunning) {
		this(id, name, name, since, age, longRunning);
	}

}
