package io.github.updatelock.supervisor;

import java.time.Instant;
import java.util.List;

/**
 * The Supervisor has an update that waits on this application's update lock. Published once
 * per pending update: once per target release when the Supervisor shows it, otherwise once
 * per stretch of polls that find an update pending (a configuration change, for instance,
 * has no new release).
 *
 * @param at when the poll found it
 * @param targetCommit the release the Supervisor wants to run, or {@code null} when not shown
 * @param currentCommit the release running now, or {@code null} when not shown
 * @param updateStatus the target release's {@code updateStatus}, or {@code null}
 * @param updateFailed whether the Supervisor already tried and failed (it retries with backoff)
 * @param holds the names of this process's active holds when it was found, oldest first:
 * what the update waits for
 */
public record UpdatePendingEvent(Instant at, String targetCommit, String currentCommit, String updateStatus,
		boolean updateFailed, List<String> holds) {

	/**
	 * Creates an event, with its own copy of the hold names.
	 * @param at when the poll found it
	 * @param targetCommit the release the Supervisor wants to run, or {@code null} when not shown
	 * @param currentCommit the release running now, or {@code null} when not shown
	 * @param updateStatus the target release's {@code updateStatus}, or {@code null}
	 * @param updateFailed whether the Supervisor already tried and failed (it retries with backoff)
	 * @param holds the names of this process's active holds when it was found, oldest first:
	 * what the update waits for
	 */
	public UpdatePendingEvent {
		holds = List.copyOf(holds);
	}

}
