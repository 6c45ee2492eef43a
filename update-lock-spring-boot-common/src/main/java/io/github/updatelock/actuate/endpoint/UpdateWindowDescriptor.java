package io.github.updatelock.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;

import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.window.UpdateWindowGuard;
import io.github.updatelock.window.UpdateWindowReason;
import io.github.updatelock.window.UpdateWindowState;
import org.jspecify.annotations.Nullable;

/**
 * The update windows: whether updates are let in now, why, and when that changes next.
 *
 * @param open whether updates are let in now (the window hold is not wanted)
 * @param reason why: {@code SCHEDULE} (a configured window decides) or {@code OPERATOR}
 * (an operator opened one)
 * @param openUntil while open, when it closes next; {@code null} when closed
 * @param nextOpening while closed, when a window opens next; {@code null} when open
 * @param nextTransition when {@code open} changes next, or {@code null} when it never does
 * @param operatorWindowEnd when the window an operator opened ends, or {@code null}
 * @param holdHeld whether the window hold is held now
 * @param blockedBy while closed and the hold could not be taken yet, who held the lock at
 * the last attempt ({@code SUPERVISOR}, {@code LIVE_INSTANCE} or {@code FOREIGN}), else
 * {@code null}
 * @param yielded whether the hold was given to a pending update until the next transition
 * @param holdName the window hold's name
 * @param schedule the configured windows, such as {@code MON-FRI 02:00-04:00 (Europe/Berlin)}
 * @param zone the time zone of the windows' times
 * @param maxOperatorWindow the longest window an operator may open
 */
public record UpdateWindowDescriptor(boolean open, UpdateWindowReason reason, @Nullable Instant openUntil,
		@Nullable Instant nextOpening, @Nullable Instant nextTransition, @Nullable Instant operatorWindowEnd,
		boolean holdHeld, @Nullable UpdateLockBlocker blockedBy, boolean yielded, String holdName, String schedule,
		String zone, Duration maxOperatorWindow) {

	static UpdateWindowDescriptor of(UpdateWindowGuard guard, UpdateWindowState state) {
		return new UpdateWindowDescriptor(state.open(), state.reason(), state.openUntil(), state.nextOpening(),
				state.nextTransition(), state.operatorWindowEnd(), state.holdHeld(), state.blockedBy(),
				state.yielded(), guard.holdName(), guard.schedule().toString(), guard.schedule().zone().getId(),
				guard.maxOperatorWindow());
	}

}
