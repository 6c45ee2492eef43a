package io.github.updatelock.event;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.github.updatelock.ActiveHold;

/**
 * A hold ended. Emitted for every hold, including nested ones.
 *
 * @param path the lock file
 * @param at when it ended
 * @param hold the hold
 * @param heldFor how long it was held
 * @param sequence where the event stands among the manager's events: see {@link UpdateLockEvent#sequence()}
 */
public record UpdateLockHoldReleasedEvent(Path path, Instant at, ActiveHold hold, Duration heldFor, long sequence)
		implements UpdateLockEvent {
}
