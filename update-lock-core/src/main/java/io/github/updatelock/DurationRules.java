package io.github.updatelock;

import java.time.Duration;
import java.util.Objects;

/**
 * The duration rules of this library's builders, phrased once, so that every setting is
 * rejected in the same words: the setting's name, what it accepts, and the value it got.
 * Frameworks that configure settings of their own around the lock use them too.
 */
public final class DurationRules {

	/**
	 * The longest duration any setting accepts: about a hundred years, longer than any device
	 * runs, and short enough that {@link Duration#toNanos()}, {@code System.nanoTime()}
	 * deadlines, {@code Instant.plus} and HTTP deadlines cannot overflow with it, even added
	 * to another such duration.
	 */
	public static final Duration LONGEST = Duration.ofDays(36_500);

	private DurationRules() {
	}

	/**
	 * Accepts a duration of more than zero.
	 * @param value the duration
	 * @param setting the setting's name, such as {@code watchInterval}
	 * @return the duration
	 * @throws IllegalArgumentException if it is zero, negative or longer than {@link #LONGEST}
	 */
	public static Duration requirePositive(Duration value, String setting) {
		Objects.requireNonNull(value, setting);
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(setting + " must be more than zero, was " + value);
		}
		return requireAtMostLongest(value, setting);
	}

	/**
	 * Accepts a duration of more than zero and at most {@code max}.
	 * @param value the duration
	 * @param setting the setting's name, such as {@code maxSleep}
	 * @param max the longest accepted duration
	 * @return the duration
	 * @throws IllegalArgumentException if it is zero, negative or longer than {@code max}
	 */
	public static Duration requirePositiveAtMost(Duration value, String setting, Duration max) {
		Objects.requireNonNull(value, setting);
		if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
			throw new IllegalArgumentException(
					setting + " must be more than zero and at most " + max + ", was " + value);
		}
		return value;
	}

	/**
	 * Accepts a duration of zero or more.
	 * @param value the duration
	 * @param setting the setting's name, such as {@code acquireTimeout}
	 * @return the duration
	 * @throws IllegalArgumentException if it is negative or longer than {@link #LONGEST}
	 */
	public static Duration requireNotNegative(Duration value, String setting) {
		Objects.requireNonNull(value, setting);
		if (value.isNegative()) {
			throw new IllegalArgumentException(setting + " must be zero or more, was " + value);
		}
		return requireAtMostLongest(value, setting);
	}

	private static Duration requireAtMostLongest(Duration value, String setting) {
		if (value.compareTo(LONGEST) > 0) {
			throw new IllegalArgumentException(
					setting + " must be at most " + LONGEST.toDays() + " days (" + LONGEST + "), was " + value);
		}
		return value;
	}

}
