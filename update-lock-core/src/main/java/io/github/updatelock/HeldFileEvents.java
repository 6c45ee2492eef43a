package io.github.updatelock;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import io.github.updatelock.internal.LockDirectoryWatch;
import org.jspecify.annotations.Nullable;

/**
 * Asks for the lock directory's events while our file is held, once it has been held for
 * {@link #AFTER} (at most twice that), and looks at the path once then.
 * <p>
 * Why not at once: every create and delete in the directory, our own included, wakes the
 * JDK's watcher thread and the watch's thread. A hold taken and released in a tight loop
 * would pay two such wake-ups per cycle (about 3.8 µs on two virtual CPUs, on top of a
 * cycle of about 8 µs) to watch files that are gone before any operator could override
 * them. Waiting costs nothing per cycle: one task is scheduled at a time, and it finds
 * each short-lived file gone or replaced by a younger one (it counts the files rather
 * than read the clock).
 * <p>
 * What it costs the reaction: an override in the first milliseconds of a lock is seen 10 to
 * 20 ms after the lock was taken (the check when the events start finds it), or at the
 * release if that comes first, which never removes a file that is no longer ours. Later
 * overrides are seen at once.
 */
final class HeldFileEvents {

	/** How long a file is held, at least, before the directory's events are asked for. */
	static final Duration AFTER = Duration.ofMillis(10);

	private final ReentrantLock fileLock;

	private final UpdateLockScheduler scheduler;

	private final LockDirectoryWatch directoryWatch;

	private final Runnable checkPath;

	// Guarded by fileLock.
	private boolean held;

	/** Counts the files taken; the task compares it to tell the file it was planned for. */
	private long taken;

	private long plannedFor;

	private boolean demanded;

	private UpdateLockScheduler.@Nullable Cancellable planned;

	/**
	 * Creates the demand policy for one manager.
	 * @param fileLock the manager's lock over its file, held by the callers of
	 * {@link #fileTaken()} and {@link #fileReleased()}
	 * @param scheduler the manager's scheduler, which runs the start
	 * @param directoryWatch the watch to demand
	 * @param checkPath looks at the path once, on the scheduler's thread, without the file lock
	 */
	HeldFileEvents(ReentrantLock fileLock, UpdateLockScheduler scheduler, LockDirectoryWatch directoryWatch,
			Runnable checkPath) {
		this.fileLock = fileLock;
		this.scheduler = scheduler;
		this.directoryWatch = directoryWatch;
		this.checkPath = checkPath;
	}

	/** A new file of ours is at the path. Called under the file lock. */
	void fileTaken() {
		this.held = true;
		this.taken++;
		if (this.planned == null) {
			plan();
		}
	}

	/** Our file is gone from the path, or about to be. Called under the file lock. */
	void fileReleased() {
		this.held = false;
		if (this.demanded) {
			this.demanded = false;
			this.directoryWatch.undemand();
		}
	}

	/** Cancels a planned start; the manager is closing. Called under the file lock. */
	void close() {
		if (this.planned != null) {
			this.planned.cancel();
			this.planned = null;
		}
	}

	private void plan() {
		this.plannedFor = this.taken;
		this.planned = this.scheduler.schedule(this::startIfStillHeld, AFTER);
	}

	private void startIfStillHeld() {
		this.fileLock.lock();
		try {
			this.planned = null;
			if (!this.held || this.demanded) {
				return;
			}
			if (this.taken != this.plannedFor) {
				// A younger file than the one this start was planned for.
				plan();
				return;
			}
			this.demanded = true;
			this.directoryWatch.demand();
		}
		finally {
			this.fileLock.unlock();
		}
		// Changes before the watch began raised no event.
		this.checkPath.run();
	}

}
