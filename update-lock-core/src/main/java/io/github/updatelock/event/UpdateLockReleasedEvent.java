package io.github.updatelock.event;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The last hold ended: our lock file was removed (or, after a loss, left to its new owner)
 * and updates may proceed.
 *
 * @param path the lock file
 * @param at when the lock was released
 * @param fileRemoved {@code false} when the file on disk was no longer ours and was left alone,
 * or when removing it failed: then the file stays, the snapshot shows
 * {@code REMOVAL_FAILED} and the removal is retried
 * @param sequence where the event stands among the manager's events: see {@link UpdateLockEvent#sequence()}
 */
public record UpdateLockReleasedEvent(Path path, Instant at, boolean fileRemoved, long sequence)
		implements UpdateLockEvent {
}
