package io.github.updatelock.event;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.github.updatelock.UpdateLockBlocker;

/**
 * An acquisition gave up: its wait budget was spent while someone else held the lock.
 *
 * @param path the lock file
 * @param at when it gave up
 * @param holder the name of the hold that was denied
 * @param blocker who held the lock
 * @param waited how long it waited
 * @param sequence where the event stands among the manager's events: see {@link UpdateLockEvent#sequence()}
 */
public record UpdateLockDeniedEvent(Path path, Instant at, String holder, UpdateLockBlocker blocker, Duration waited,
		long sequence)
		implements UpdateLockEvent {
}
