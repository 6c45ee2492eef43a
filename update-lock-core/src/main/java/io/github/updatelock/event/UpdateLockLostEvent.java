package io.github.updatelock.event;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The lock file was taken away while holds were active: an override, a {@code force}
 * update, or a manual deletion. An update is probably about to stop this application: this
 * is its chance to save work. The lock is not re-created to fight the override.
 *
 * @param path the lock file
 * @param at when the loss was noticed
 * @param activeHolds how many holds were active
 * @param sequence where the event stands among the manager's events: see {@link UpdateLockEvent#sequence()}
 */
public record UpdateLockLostEvent(Path path, Instant at, int activeHolds, long sequence)
		implements UpdateLockEvent {
}
