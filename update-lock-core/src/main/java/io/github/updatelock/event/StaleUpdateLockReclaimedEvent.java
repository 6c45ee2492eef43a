package io.github.updatelock.event;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A lock file left behind by a dead instance of this protocol (SIGKILL, OOM, crash) was
 * removed so that the lock could be taken again.
 *
 * @param path the lock file
 * @param at when it was removed
 * @param previousOwner the marker record of the dead owner, one line
 * @param sequence where the event stands among the manager's events: see {@link UpdateLockEvent#sequence()}
 */
public record StaleUpdateLockReclaimedEvent(Path path, Instant at, String previousOwner, long sequence)
		implements UpdateLockEvent {
}
