package io.github.updatelock.actuate.endpoint;

import java.time.Instant;
import java.util.List;

import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.UpdateLockProtection;
import io.github.updatelock.UpdateLockStatus;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /actuator/updatelock} answers. The field names are public API: the
 * README lists them and they do not change. Fields that do not apply are {@code null}
 * rather than left out, so every answer has the same shape.
 *
 * @param status what the lock is doing: {@code RELEASED}, {@code HELD}, {@code WAITING},
 * {@code LOST} or {@code UNAVAILABLE}
 * @param path the resolved lock file path
 * @param file what is at that path on disk now, {@code null} if it could not be examined
 * @param flockHeld whether this application holds a {@code flock(2)} on the lock file, so
 * that a host OS update's final reboot waits too
 * @param protection which updates wait for this application now: {@code NONE},
 * {@code APP_UPDATES_ONLY} (the file is ours but no flock is held: host OS updates do not
 * wait) or {@code APP_AND_HOST_OS_UPDATES}
 * @param heldSince when this application created the lock file it holds, or {@code null}
 * @param holds the active holds, oldest first
 * @param blocker who holds the lock while a hold of this application waits for it
 * ({@code SUPERVISOR}, {@code LIVE_INSTANCE} or {@code FOREIGN}), or {@code null}
 * @param blockedSince when that blocker was first seen, or {@code null}
 * @param staleReclaims how many lock files left by dead instances were removed
 * @param lastStaleReclaim when the last one was removed, or {@code null}
 * @param lastLost when the lock was last taken away (override, {@code force} update or
 * deletion), or {@code null}
 * @param startupHold the state of the application's startup hold, or {@code null} when
 * none is reported
 * @param window the update windows, or {@code null} when none are configured
 * @param supervisor what the last polls of the Supervisor API showed, or {@code null} when
 * the Supervisor API is not used
 * @param fleet what was shown in balenaCloud as device tags, or {@code null} when fleet
 * visibility is off
 * @param warnings what limits the protection here; empty when nothing does
 */
public record UpdateLockDescriptor(UpdateLockStatus status, String path, @Nullable LockFileDescriptor file,
		boolean flockHeld, UpdateLockProtection protection, @Nullable Instant heldSince, List<HoldDescriptor> holds,
		@Nullable UpdateLockBlocker blocker, @Nullable Instant blockedSince, long staleReclaims,
		@Nullable Instant lastStaleReclaim, @Nullable Instant lastLost, @Nullable String startupHold,
		@Nullable UpdateWindowDescriptor window, @Nullable SupervisorDescriptor supervisor,
		@Nullable FleetDescriptor fleet, List<WarningDescriptor> warnings) {
}
