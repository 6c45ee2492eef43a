package io.github.updatelock.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An update the Supervisor still waits to apply, as a fleet tag tells it.
 *
 * @param targetCommit the release it wants to run, or {@code null} when not shown
 * @param since when polls first found it pending
 * @param holds the names of the holds that have kept it waiting, in the order they were seen
 */
public record WaitingUpdate(@Nullable String targetCommit, Instant since, List<String> holds) {

	/**
	 * Creates a waiting update, with its own copy of the hold names.
	 * @param targetCommit the release it wants to run, or {@code null} when not shown
	 * @param since when polls first found it pending
	 * @param holds the names of the holds that have kept it waiting, in the order they were seen
	 */
	public WaitingUpdate {
		Objects.requireNonNull(since, "since");
		holds = List.copyOf(holds);
	}

}
