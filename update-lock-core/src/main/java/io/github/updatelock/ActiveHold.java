package io.github.updatelock;

import java.time.Instant;
import java.util.Objects;

/**
 * An active hold as reported in a {@link UpdateLockSnapshot}.
 *
 * @param id a number unique within its manager
 * @param name the name the holder gave
 * @param since when the hold was granted
 * @param longRunning whether the hold has lived longer than the manager's long-hold warning:
 * updates have waited on it that long, which usually means work that never ends or a hold
 * that was never released
 */
public record ActiveHold(long id, String name, Instant since, boolean longRunning) {

	/**
	 * Creates an active hold.
	 * @param id a number unique within its manager
	 * @param name the name the holder gave
	 * @param since when the hold was granted
	 */
	public ActiveHold {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(since, "since");
	}

}
