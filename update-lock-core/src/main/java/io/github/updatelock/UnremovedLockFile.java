package io.github.updatelock;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.github.updatelock.internal.FileIdentity;
import io.github.updatelock.internal.OwnedLockFile;
import org.jspecify.annotations.Nullable;

/**
 * Our lock file that a release could not remove, and what the manager does about it.
 * <p>
 * Why it exists: a release's unlink can fail for reasons that do not make the file any
 * less ours (EROFS, EIO). Only "the path no longer names our file" is an override, and
 * then the file is left alone. On any other failure the file stays ours: it is kept open
 * with its flock (the file keeps the Supervisor out anyway, so the host OS waits too, and
 * says so in the snapshot's {@link UpdateLockProblem#REMOVAL_FAILED} warning), its removal
 * is retried on the manager's scheduler with a backoff doubled up to the maximum, the next
 * hold takes it as its lock rather than wait behind it, and {@code close()} tries once more.
 * <p>
 * Locking: everything here that reads or changes the file is guarded by the manager's file
 * lock, as the manager's own file operations are; the callers hold it, and the retry on the
 * scheduler takes it. The file and the failure are volatile only so that the snapshot and
 * the inspection of the path may read them without it.
 */
final class UnremovedLockFile {

	/** The manager's logger: these messages are about its lock, and are configured with its others. */
	private static final System.Logger logger = System.getLogger(UpdateLockManager.class.getName());

	private final Path path;

	private final ReentrantLock fileLock;

	private final UpdateLockScheduler scheduler;

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final BooleanSupplier managerClosed;

	// Written under fileLock.
	private volatile @Nullable OwnedLockFile file;

	/** Why {@link #file} could not be removed, as the last try found. */
	private volatile @Nullable String failure;

	/**
	 * Creates the keeper of one manager's unremoved file.
	 * @param path the lock path, for the log
	 * @param fileLock the manager's lock over its file, held by the callers and taken by the retry
	 * @param scheduler the manager's scheduler, which runs the retries
	 * @param initialBackoff the delay before the first retry
	 * @param maxBackoff the longest delay between retries
	 * @param managerClosed whether the manager is closed: then retries stop, and close() has the last try
	 */
	UnremovedLockFile(Path path, ReentrantLock fileLock, UpdateLockScheduler scheduler, Duration initialBackoff,
			Duration maxBackoff, BooleanSupplier managerClosed) {
		this.path = path;
		this.fileLock = fileLock;
		this.scheduler = scheduler;
		this.initialBackoff = initialBackoff;
		this.maxBackoff = maxBackoff;
		this.managerClosed = managerClosed;
	}

	/**
	 * Removes our file, if the path still names it, and closes it. Only the path no longer
	 * naming our file is an override; when the unlink fails otherwise (EROFS, EIO), the file
	 * stays ours: it is kept open and its removal retried on the scheduler. Called under the
	 * file lock.
	 * @param ours the file a release gives up
	 * @return whether it was removed; {@code false} when the path no longer names it;
	 * {@code null} when it stays and is retried
	 */
	@Nullable Boolean removeOrKeepTrying(OwnedLockFile ours) {
		try {
			boolean removed = ours.remove();
			ours.close();
			return removed;
		}
		catch (IOException ex) {
			this.file = ours;
			this.failure = ex.getMessage();
			logger.log(Level.ERROR, () -> "Could not remove update lock " + this.path + " (" + ex.getMessage()
					+ "): our file stays, with its flock, and keeps app and host OS updates out; retrying. Make the "
					+ "lock directory writable again, or delete the file.");
			planRemoval(this.initialBackoff);
			return null;
		}
	}

	/**
	 * Our file that a release could not remove, when the path still names it: the next
	 * hold takes it as its lock (it is flocked and marked) rather than wait behind it. Either
	 * way it is no longer kept here. Called under the file lock.
	 * @return the file, or {@code null}
	 */
	@Nullable OwnedLockFile takeBackIfStillAtPath() {
		OwnedLockFile kept = this.file;
		if (kept == null) {
			return null;
		}
		forget();
		if (kept.isStillAtPath()) {
			return kept;
		}
		kept.close();
		return null;
	}

	/**
	 * At close: one last try, which cannot hang; the descriptor is closed whatever it finds.
	 * Called under the file lock.
	 */
	void removeOnceAtClose() {
		OwnedLockFile kept = this.file;
		if (kept == null) {
			return;
		}
		try {
			kept.removeAndClose();
			forget();
		}
		catch (IOException ex) {
			this.file = null;
			this.failure = ex.getMessage();
			logger.log(Level.ERROR, () -> "Could not remove update lock " + this.path + " at close ("
					+ ex.getMessage() + "): it stays, now without its flock, until it is deleted, the next start "
					+ "reclaims it as stale, or the device reboots");
		}
	}

	/**
	 * Whether a file seen at the path is our unremoved file. Reads without the file lock.
	 * @param seen the identity of the file at the path
	 * @return whether it is the file kept here
	 */
	boolean is(FileIdentity seen) {
		OwnedLockFile kept = this.file;
		return kept != null && kept.identity().equals(seen);
	}

	/**
	 * Why the file could not be removed, for the snapshot's warning. Reads without the file lock.
	 * @return the last try's failure, or {@code null} when there is nothing left to remove
	 */
	@Nullable String failure() {
		return this.failure;
	}

	private void planRemoval(Duration delay) {
		try {
			this.scheduler.schedule(() -> retryRemoval(delay), delay);
		}
		catch (RuntimeException ex) {
			// The next hold takes the file again; close() tries once more.
			logger.log(Level.WARNING, "Could not plan another removal of update lock " + this.path, ex);
		}
	}

	/** One more try to remove our file after a failed removal; then less often, up to the maximum backoff. */
	private void retryRemoval(Duration delay) {
		Duration next = null;
		this.fileLock.lock();
		try {
			OwnedLockFile kept = this.file;
			if (kept == null || this.managerClosed.getAsBoolean()) {
				return;
			}
			try {
				boolean removed = kept.remove();
				kept.close();
				forget();
				logger.log(Level.INFO, () -> "Update lock " + this.path + (removed ? " removed at last"
						: " is no longer ours (deleted or replaced); left it alone") + ": updates may proceed");
			}
			catch (IOException ex) {
				this.failure = ex.getMessage();
				Duration doubled = delay.multipliedBy(2);
				next = (doubled.compareTo(this.maxBackoff) < 0) ? doubled : this.maxBackoff;
			}
		}
		finally {
			this.fileLock.unlock();
		}
		if (next != null) {
			planRemoval(next);
		}
	}

	private void forget() {
		this.file = null;
		this.failure = null;
	}

}
