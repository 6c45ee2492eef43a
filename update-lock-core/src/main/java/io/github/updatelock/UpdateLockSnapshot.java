package io.github.updatelock;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An immutable view of a manager's state at one moment.
 *
 * @param status what the lock is doing
 * @param path the resolved lock file path
 * @param flockHeld whether we hold a {@code flock(2)} on the lock file, which is what makes
 * a host OS update's final reboot wait
 * @param holds the active holds, oldest first
 * @param heldSince when the current lock file was created by us, or {@code null}
 * @param blocker who holds the lock while we wait, or {@code null} when nothing blocks us
 * @param blockedSince when we first saw that blocker, or {@code null}
 * @param staleReclaims how many stale lock files of dead instances this manager removed
 * @param lastStaleReclaim when the last stale lock file was removed, or {@code null}
 * @param lastLost when the lock was last found taken away from us, or {@code null}
 * @param warnings what limits the protection here, empty when nothing does
 */
public record UpdateLockSnapshot(UpdateLockStatus status, Path path, boolean flockHeld, List<ActiveHold> holds,
		@Nullable Instant heldSince, @Nullable UpdateLockBlocker blocker, @Nullable Instant blockedSince,
		long staleReclaims, @Nullable Instant lastStaleReclaim, @Nullable Instant lastLost,
		List<UpdateLockWarning> warnings) {

	/**
	 * Creates a snapshot, with its own copies of the lists.
	 * @param status what the lock is doing
	 * @param path the resolved lock file path
	 * @param flockHeld whether we hold a {@code flock(2)} on the lock file, which is what makes
	 * a host OS update's final reboot wait
	 * @param holds the active holds, oldest first
	 * @param heldSince when the current lock file was created by us, or {@code null}
	 * @param blocker who holds the lock while we wait, or {@code null} when nothing blocks us
	 * @param blockedSince when we first saw that blocker, or {@code null}
	 * @param staleReclaims how many stale lock files of dead instances this manager removed
	 * @param lastStaleReclaim when the last stale lock file was removed, or {@code null}
	 * @param lastLost when the lock was last found taken away from us, or {@code null}
	 * @param warnings what limits the protection here, empty when nothing does
	 */
	public UpdateLockSnapshot {
		holds = List.copyOf(holds);
		warnings = List.copyOf(warnings);
	}

	/**
	 * Whether the lock protects as this application asked it to: the lock file on disk is
	 * ours, and its {@code flock(2)} is held unless flock was switched off by configuration.
	 * Without the flock that was wanted (no libc binding, or a file system without
	 * {@code flock}) this is {@code false} even in status {@code HELD}: app updates wait, but
	 * a host OS update's final reboot does not.
	 * @return {@code true} only in status {@code HELD}, with the flock unless it is switched off
	 */
	public boolean protecting() {
		return this.status == UpdateLockStatus.HELD && (this.flockHeld
				|| this.warnings.stream().anyMatch((warning) -> warning.problem() == UpdateLockProblem.FLOCK_DISABLED));
	}

	/**
	 * Which updates wait for this application right now.
	 * @return {@code APP_AND_HOST_OS_UPDATES} in status {@code HELD} with the flock held,
	 * {@code APP_UPDATES_ONLY} in status {@code HELD} without it, else {@code NONE}
	 */
	public UpdateLockProtection protection() {
		if (this.status != UpdateLockStatus.HELD) {
			return UpdateLockProtection.NONE;
		}
		return this.flockHeld ? UpdateLockProtection.APP_AND_HOST_OS_UPDATES : UpdateLockProtection.APP_UPDATES_ONLY;
	}

}
