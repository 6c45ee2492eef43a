package io.github.updatelock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The active holds of one manager and their count, changed together under one monitor.
 * <p>
 * A hold that joins a lock already held then costs one monitor entry to take and one to
 * give back (as Spring's {@code @ConcurrencyLimit} does), and a hold is counted from the
 * moment it is listed, so {@link #close()} sees every hold that keeps the file. Only the
 * last hold leaves the list before the count: its release drops the count under the
 * manager's file lock, together with removing the file, as all transitions between no
 * hold and one run under that lock.
 */
final class HoldRegistry {

	/** What removing a hold did. */
	enum Removal {

		/** It had been released before: nothing changed. */
		ALREADY_RELEASED,

		/** Other holds remain: the count went down. */
		NESTED,

		/**
		 * It was the last one counted: it is unlisted but still counted, and the caller
		 * {@link #dropLast() drops the count} under the file lock.
		 */
		LAST

	}

	private final UpdateLockManager owner;

	// Plain fields under the monitor: a volatile write would add a full fence to every join and
	// release, and only rare readers (snapshots, health) look at the count from outside.
	private int count;

	private long lastId;

	private boolean closed;

	private UpdateLockHold first;

	private UpdateLockHold last;

	HoldRegistry(UpdateLockManager owner) {
		this.owner = owner;
	}

	synchronized int count() {
		return this.count;
	}

	synchronized boolean isReleased(UpdateLockHold hold) {
		return hold.released;
	}

	/**
	 * Adds a hold if at least one is active and the registry is open.
	 * @return the hold, or {@code null} when the lock is not held (or closed)
	 */
	synchronized UpdateLockHold join(String name, Instant since) {
		if (this.count == 0 || this.closed) {
			return null;
		}
		this.count++;
		return append(name, since);
	}

	/**
	 * Adds a hold whatever the count. Called under the file lock, once the lock is ours (or
	 * runs unprotected) and the manager is open.
	 */
	synchronized UpdateLockHold add(String name, Instant since) {
		this.count++;
		return append(name, since);
	}

	synchronized Removal remove(UpdateLockHold hold) {
		if (hold.released) {
			return Removal.ALREADY_RELEASED;
		}
		hold.released = true;
		unlink(hold);
		if (this.count > 1) {
			this.count--;
			return Removal.NESTED;
		}
		return Removal.LAST;
	}

	/**
	 * Drops the count a {@link Removal#LAST} left. Called under the file lock.
	 * @return the count now: 0 unless a hold joined in between
	 */
	synchronized int dropLast() {
		return --this.count;
	}

	/**
	 * Lets no hold join any more.
	 * @return the holds active now, for the caller to release
	 */
	synchronized List<UpdateLockHold> close() {
		this.closed = true;
		List<UpdateLockHold> holds = new ArrayList<>();
		for (UpdateLockHold hold = this.first; hold != null; hold = hold.next) {
			holds.add(hold);
		}
		return holds;
	}

	/**
	 * The active holds, oldest first.
	 * @return their descriptions, in a new list
	 */
	synchronized List<ActiveHold> describe() {
		List<ActiveHold> holds = new ArrayList<>();
		for (UpdateLockHold hold = this.first; hold != null; hold = hold.next) {
			holds.add(hold.info());
		}
		return holds;
	}

	private UpdateLockHold append(String name, Instant since) {
		UpdateLockHold hold = new UpdateLockHold(this.owner, ++this.lastId, name, since);
		hold.previous = this.last;
		if (this.last == null) {
			this.first = hold;
		}
		else {
			this.last.next = hold;
		}
		this.last = hold;
		return hold;
	}

	private void unlink(UpdateLockHold hold) {
		if (hold.previous == null) {
			this.first = hold.next;
		}
		else {
			hold.previous.next = hold.next;
		}
		if (hold.next == null) {
			this.last = hold.previous;
		}
		else {
			hold.next.previous = hold.previous;
		}
		hold.previous = null;
		hold.next = null;
	}

}
