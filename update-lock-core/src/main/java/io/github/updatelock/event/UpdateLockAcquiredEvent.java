package io.github.updatelock.event;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The lock file was created by us: updates now wait.
 *
 * @param path the lock file
 * @param at when it was created
 * @param holder the name of the hold that created it
 * @param flockHeld whether host OS reboots wait too
 * @param sequence where the event stands among the manager's events: see {@link UpdateLockEvent#sequence()}
 */
public record UpdateLockAcquiredEvent(Path path, Instant at, String holder, boolean flockHeld, long sequence)
		implements UpdateLockEvent {
}
