package io.github.updatelock.actuate.endpoint;

import java.time.Instant;

import io.github.updatelock.supervisor.SupervisorErrorKind;
import io.github.updatelock.supervisor.SupervisorView;
import org.jspecify.annotations.Nullable;

/**
 * What the application knows of the balena Supervisor from its last polls. Nothing is asked
 * when the endpoint is read; polls run only while the lock is held or awaited.
 *
 * @param address the Supervisor API address
 * @param polling whether polls run now
 * @param reachable whether the last poll got the documented answers
 * @param lastPolledAt when the last poll ended, or {@code null} before the first one
 * @param updatePending whether the last successful poll found an update waiting on the lock
 * @param pendingSince since when polls find it pending, or {@code null}
 * @param applying whether the Supervisor was applying a release at the last successful poll
 * @param updateStatus the target release's {@code updateStatus}, or {@code null}
 * @param currentCommit the running release, or {@code null}
 * @param targetCommit the release the Supervisor targets, or {@code null}
 * @param pendingUpdates how many distinct pending updates were seen since the start
 * @param lastError the most recent failed poll's message (kept after recovery), or {@code null}
 * @param lastErrorKind its kind ({@code UNAUTHORIZED}, {@code TIMEOUT}, {@code UNREACHABLE},
 * ...), or {@code null}
 * @param lastErrorAt when it failed, or {@code null}
 * @param failedPolls how many polls failed since the start
 * @param yields how many times holds were yielded to a pending update
 * @param lastYieldAt when that last happened, or {@code null}
 */
public record SupervisorDescriptor(@Nullable String address, boolean polling, boolean reachable,
		@Nullable Instant lastPolledAt, boolean updatePending, @Nullable Instant pendingSince, boolean applying,
		@Nullable String updateStatus, @Nullable String currentCommit, @Nullable String targetCommit,
		long pendingUpdates, @Nullable String lastError, @Nullable SupervisorErrorKind lastErrorKind,
		@Nullable Instant lastErrorAt, long failedPolls, long yields, @Nullable Instant lastYieldAt) {

	static SupervisorDescriptor of(@Nullable String address, SupervisorView view) {
		return new SupervisorDescriptor(address, view.polling(), view.reachable(), view.lastPolledAt(),
				view.updatePending(), view.pendingSince(), view.applying(), view.updateStatus(), view.currentCommit(),
				view.targetCommit(), view.pendingUpdates(), view.lastError(), view.lastErrorKind(),
				view.lastErrorAt(), view.failedPolls(), view.yields(), view.lastYieldAt());
	}

}
