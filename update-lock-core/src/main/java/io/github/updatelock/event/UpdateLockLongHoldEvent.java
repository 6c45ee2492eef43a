package io.github.updatelock.event;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.github.updatelock.ActiveHold;

/**
 * A hold has lived longer than the manager's long-hold warning: updates of this application
 * have waited on it that long. Sent once per hold. Usually a sign of work that never ends (a
 * {@code CompletionStage} that never completes, an endless {@code Flux}) or of a hold that
 * was never released; the hold itself goes on until it is released.
 *
 * @param path the lock file
 * @param at when the age was noticed
 * @param hold the hold
 * @param age how long it had been active then
 * @param sequence where the event stands among the manager's events: see {@link UpdateLockEvent#sequence()}
 */
public record UpdateLockLongHoldEvent(Path path, Instant at, ActiveHold hold, Duration age, long sequence)
		implements UpdateLockEvent {
}
