package io.github.updatelock.window;

import java.time.Instant;

import io.github.updatelock.UpdateLockBlocker;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link UpdateWindowGuard} is doing at one moment.
 *
 * @param at the instant this state describes
 * @param open whether updates are let in (the guard's hold is not wanted)
 * @param reason why the window is open or closed
 * @param openUntil when open, when the window closes next; {@code null} when closed or
 * when it never closes
 * @param nextOpening when closed, when a window opens next; {@code null} when open
 * @param nextTransition when {@code open} changes next, or {@code null} when it never does
 * @param operatorWindowEnd when the window an operator opened ends, or {@code null} when
 * none is active
 * @param holdHeld whether the guard holds its hold now; while closed this is {@code false}
 * only until the lock could be taken (for example while the Supervisor applies an update),
 * or while the hold is yielded
 * @param blockedBy while closed and the hold is not held, who held the lock at the last
 * attempt to take it; {@code null} otherwise
 * @param yielded whether the hold was {@linkplain UpdateWindowGuard#yieldHold() yielded} to a
 * pending update and stays released until the next transition
 */
public record UpdateWindowState(Instant at, boolean open, UpdateWindowReason reason,
		@Nullable Instant openUntil, @Nullable Instant nextOpening, @Nullable Instant nextTransition,
		@Nullable Instant operatorWindowEnd, boolean holdHeld, @Nullable UpdateLockBlocker blockedBy,
		boolean yielded) {
}
