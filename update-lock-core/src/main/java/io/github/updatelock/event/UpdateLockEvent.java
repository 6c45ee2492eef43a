package io.github.updatelock.event;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Something that happened to the lock. Each kind is a record of its own, so that a
 * listener (or a Spring {@code @EventListener}) can pick the ones it cares about.
 */
public sealed interface UpdateLockEvent permits UpdateLockAcquiredEvent, UpdateLockReleasedEvent,
		UpdateLockWaitingEvent, UpdateLockDeniedEvent, StaleUpdateLockReclaimedEvent, UpdateLockLostEvent,
		UpdateLockHoldAcquiredEvent, UpdateLockHoldReleasedEvent, UpdateLockLongHoldEvent {

	/**
	 * The lock file the event is about.
	 * @return the resolved lock path
	 */
	Path path();

	/**
	 * When it happened.
	 * @return the instant of the event
	 */
	Instant at();

	/**
	 * Where the event stands among the events of its manager: numbered from 1, in the order
	 * the lock's state changed (assigned under the lock that changes it), and delivered to
	 * listeners in that order. A gap means events were dropped because a listener fell too
	 * far behind (see {@code UpdateLockManager.droppedEvents()}).
	 * @return the sequence number, more than zero for an event of a manager
	 */
	long sequence();

}
