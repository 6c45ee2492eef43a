package io.github.updatelock.supervisor;

import java.time.Instant;

/**
 * What the {@link UpdatePendingMonitor} knows of the Supervisor: an immutable value for
 * endpoints, health details and logs.
 *
 * @param polling whether the monitor polls now (only while the lock is held or awaited)
 * @param reachable whether the last poll got the documented answers
 * @param lastPolledAt when the last poll ended, or {@code null} before the first one
 * @param lastError the message of the most recent failed poll (kept after recovery), or {@code null}
 * @param lastErrorKind the kind of that failure, or {@code null}
 * @param lastErrorAt when it failed, or {@code null}
 * @param updatePending whether the last successful poll found an update waiting on the lock
 * @param pendingSince when polls started finding it pending, or {@code null} when none is
 * @param applying whether the Supervisor was applying a release at the last successful poll
 * @param updateStatus the target release's {@code updateStatus} at the last successful poll, or {@code null}
 * @param currentCommit the running release, or {@code null} when not shown
 * @param targetCommit the release the Supervisor targets, or {@code null} when not shown
 * @param pendingUpdates how many distinct pending updates were announced since the monitor started
 * @param lastYieldAt when holds were last yielded to a pending update, or {@code null}
 * @param failedPolls how many polls failed since the monitor started
 * @param yields how many times holds were yielded to a pending update since the monitor started
 */
public record SupervisorView(boolean polling, boolean reachable, Instant lastPolledAt, String lastError,
		SupervisorErrorKind lastErrorKind, Instant lastErrorAt, boolean updatePending, Instant pendingSince,
		boolean applying, String updateStatus, String currentCommit, String targetCommit, long pendingUpdates,
		Instant lastYieldAt, long failedPolls, long yields) {

	static final SupervisorView NOT_POLLED = new SupervisorView(false, false, null, null, null, null, false, null,
			false, null, null, null, 0, null, 0, 0);

	SupervisorView withPolling(boolean polling) {
		return new SupervisorView(polling, this.reachable, this.lastPolledAt, this.lastError, this.lastErrorKind,
				this.lastErrorAt, this.updatePending, this.pendingSince, this.applying, this.updateStatus,
				this.currentCommit, this.targetCommit, this.pendingUpdates, this.lastYieldAt, this.failedPolls,
				this.yields);
	}

	SupervisorView withFailure(Instant at, SupervisorApiException failure) {
		return new SupervisorView(this.polling, false, at, failure.getMessage(), failure.getKind(), at,
				this.updatePending, this.pendingSince, this.applying, this.updateStatus, this.currentCommit,
				this.targetCommit, this.pendingUpdates, this.lastYieldAt, this.failedPolls + 1, this.yields);
	}

	SupervisorView withReading(Instant at, SupervisorReading reading, Instant pendingSince, long pendingUpdates) {
		return new SupervisorView(this.polling, true, at, this.lastError, this.lastErrorKind, this.lastErrorAt,
				reading.updatePending(), pendingSince, reading.applying(), reading.updateStatus(),
				reading.currentCommit(), reading.targetCommit(), pendingUpdates, this.lastYieldAt, this.failedPolls,
				this.yields);
	}

	SupervisorView withYieldAt(Instant at) {
		return new SupervisorView(this.polling, this.reachable, this.lastPolledAt, this.lastError, this.lastErrorKind,
				this.lastErrorAt, this.updatePending, this.pendingSince, this.applying, this.updateStatus,
				this.currentCommit, this.targetCommit, this.pendingUpdates, at, this.failedPolls, this.yields + 1);
	}

}
