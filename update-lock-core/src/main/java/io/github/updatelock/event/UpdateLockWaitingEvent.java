package io.github.updatelock.event;

import java.nio.file.Path;
import java.time.Instant;

import io.github.updatelock.UpdateLockBlocker;

/**
 * An acquisition found the lock held by someone else and started waiting.
 *
 * @param path the lock file
 * @param at when the wait began
 * @param holder the name of the waiting hold
 * @param blocker who holds the lock
 * @param sequence where the event stands among the manager's events: see {@link UpdateLockEvent#sequence()}
 */
public record UpdateLockWaitingEvent(Path path, Instant at, String holder, UpdateLockBlocker blocker, long sequence)
		implements UpdateLockEvent {
}
