package io.github.updatelock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

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

		/** Other holds remain: the count went down, and the event of the release is queued. */
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

	/**
	 * Whether a new hold may join the active ones: only while our lock file protects them.
	 * After a loss, or while they run unprotected, each new hold is a fresh acquisition.
	 */
	private boolean joinable;

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
	 * Adds a hold if the active ones are protected by our lock file and the registry is open.
	 * @return the hold, or {@code null} when the lock is not held as ours (or closed)
	 */
	synchronized UpdateLockHold join(String name, String declaredName, CoarseClock.Reading since) {
		if (this.count == 0 || !this.joinable || this.closed) {
			return null;
		}
		this.count++;
		return append(name, declaredName, since);
	}

	/**
	 * Adds a hold whatever the count. Called under the file lock, once the lock is ours (or
	 * runs unprotected) and the manager is open.
	 * @param protectedByFile whether our lock file now protects every active hold, so that
	 * later holds may join
	 */
	synchronized UpdateLockHold add(String name, String declaredName, CoarseClock.Reading since, boolean protectedByFile) {
		this.count++;
		this.joinable = protectedByFile;
		return append(name, declaredName, since);
	}

	/**
	 * Sets whether new holds may join. Called under the file lock: with {@code false} when
	 * the lock file is lost, with {@code true} when a new one protects the active holds.
	 */
	synchronized void joinable(boolean joinable) {
		this.joinable = joinable;
	}

	/**
	 * Marks the holds older than {@code maxAgeNanos} as long-running, once each. Ages are
	 * monotonic-clock differences, so a step of the wall clock marks nothing.
	 * @param slackNanos how much earlier than its true start a hold's start may be recorded
	 * (joining holds carry a coarse time); holds are listed in grant order, so the walk ends
	 * at the first hold younger than the limit by more than that
	 * @return the holds marked now, for the caller to report
	 */
	synchronized List<ActiveHold> markLongRunning(long nowNanos, long maxAgeNanos, long slackNanos) {
		List<ActiveHold> marked = null;
		for (UpdateLockHold hold = this.first; hold != null
				&& nowNanos - hold.sinceNanos() > maxAgeNanos - slackNanos; hold = hold.next) {
			if (!hold.longRunning && nowNanos - hold.sinceNanos() > maxAgeNanos) {
				hold.longRunning = true;
				if (marked == null) {
					marked = new ArrayList<>();
				}
				marked.add(hold.info(nowNanos));
			}
		}
		return (marked != null) ? marked : List.of();
	}

	/**
	 * Unlists a hold.
	 * @param releasedAt when it was released, for the event of its release, or {@code null}
	 * when no listener wants that event
	 */
	synchronized Removal remove(UpdateLockHold hold, @Nullable Instant releasedAt) {
		if (hold.released) {
			return Removal.ALREADY_RELEASED;
		}
		hold.released = true;
		unlink(hold);
		if (this.count > 1) {
			this.count--;
			// Under this monitor: a release of the last hold, and the event of the file's
			// release, cannot come between the count going down and this event.
			this.owner.publishHoldReleased(hold, releasedAt);
			return Removal.NESTED;
		}
		return Removal.LAST;
	}

	/**
	 * Drops the count a {@link Removal#LAST} left. Called under the file lock.
	 * @return the count now: 0 unless a hold joined in between
	 */
	synchronized int dropLast() {
		if (--this.count == 0) {
			this.joinable = false;
		}
		return this.count;
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
	 * The name of the oldest active hold.
	 * @return its name, or {@code null} when none is active
	 */
	synchronized String oldestName() {
		return (this.first != null) ? this.first.name() : null;
	}

	/**
	 * The active holds, oldest first.
	 * @param nowNanos the monotonic time their ages count to
	 * @return their descriptions, in a new list
	 */
	synchronized List<ActiveHold> describe(long nowNanos) {
		List<ActiveHold> holds = new ArrayList<>();
		for (UpdateLockHold hold = this.first; hold != null; hold = hold.next) {
			holds.add(hold.info(nowNanos));
		}
		return holds;
	}

	private UpdateLockHold append(String name, String declaredName, CoarseClock.Reading since) {
		UpdateLockHold hold = new UpdateLockHold(this.owner, ++this.lastId, name, declaredName, since);
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
