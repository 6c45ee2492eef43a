package io.github.updatelock.event;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockStatus;

/**
 * A hold was granted. Emitted for every hold, including nested ones.
 *
 * @param path the lock file
 * @param at when it was granted
 * @param hold the hold
 * @param waited how long the acquisition waited for the lock ({@link Duration#ZERO} if it did not)
 * @param status the lock status right after the grant ({@code HELD}, {@code LOST} or {@code UNAVAILABLE})
 * @param sequence where the event stands among the manager's events: see {@link UpdateLockEvent#sequence()}
 */
public record UpdateLockHoldAcquiredEvent(Path path, Instant at, ActiveHold hold, Duration waited,
		UpdateLockStatus status, long sequence) implements UpdateLockEvent {
}
