package io.github.updatelock.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * Tells when the entry at the lock path may have changed (created, deleted, renamed onto or
 * away), through the JDK's {@link WatchService} on the lock directory: inotify on Linux,
 * which works on tmpfs and through bind mounts.
 * <p>
 * A hint, never a verdict: the receiver looks at the path again before it believes
 * anything, and keeps polling as well, since inotify can overflow (reported here as a
 * change) and some file systems deliver no events at all.
 * <p>
 * The watch runs on a thread of its own (and the JDK's poller thread behind the watch
 * service) only while it is {@link #demand() demanded}, that is while a lock is held or
 * waited for. It lingers for a short while after the last demand ends, so that a hold
 * taken and released in a tight loop does not start and stop a thread every time.
 */
public final class LockDirectoryWatch implements AutoCloseable {

	/** The name of the thread that waits for the events. */
	public static final String THREAD_NAME = "update-lock-inotify";

	/** How long the watch outlives its last demand. */
	static final Duration LINGER = Duration.ofSeconds(1);

	private static final System.Logger logger = System.getLogger(LockDirectoryWatch.class.getName());

	private final Path directory;

	private final Path fileName;

	private final Runnable onChange;

	private final ReentrantLock lock = new ReentrantLock();

	// Guarded by lock.
	private int demand;

	private long idleSince;

	private @Nullable WatchService service;

	private boolean closed;

	private boolean warnedUnavailable;

	/**
	 * Creates a watch that is not running yet.
	 * @param lockFile the lock file whose directory is watched
	 * @param onChange called on the watch's thread when the entry may have changed or events
	 * were lost; must not block
	 */
	public LockDirectoryWatch(Path lockFile, Runnable onChange) {
		this.directory = Objects.requireNonNull(lockFile.toAbsolutePath().getParent(), "lock directory");
		this.fileName = Objects.requireNonNull(lockFile.getFileName(), "lock file name");
		this.onChange = Objects.requireNonNull(onChange, "onChange");
	}

	/**
	 * Asks for events until the matching {@link #undemand()}. The first demand starts the
	 * watch, registered before this returns: a change after it is reported. Where the
	 * directory cannot be watched, nothing is reported and the caller's polling has to do.
	 */
	public void demand() {
		this.lock.lock();
		try {
			this.demand++;
			if (this.service == null && !this.closed) {
				start();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Ends one {@link #demand()}; the watch stops a little after the last one ends.
	 */
	public void undemand() {
		this.lock.lock();
		try {
			if (this.demand > 0 && --this.demand == 0) {
				this.idleSince = System.nanoTime();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Stops the watch for good. Idempotent.
	 */
	@Override
	public void close() {
		this.lock.lock();
		try {
			this.closed = true;
			stop();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Called under the lock. */
	private void start() {
		WatchService started = null;
		try {
			started = this.directory.getFileSystem().newWatchService();
			this.directory.register(started, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
		}
		catch (IOException | UnsupportedOperationException ex) {
			closeQuietly(started);
			if (!this.warnedUnavailable) {
				this.warnedUnavailable = true;
				logger.log(Level.DEBUG, () -> "Cannot watch " + this.directory + " for changes (" + ex
						+ "): waiting and the lost-lock watch poll only");
			}
			return;
		}
		this.service = started;
		WatchService watching = started;
		Thread thread = new Thread(() -> run(watching), THREAD_NAME);
		thread.setDaemon(true);
		thread.start();
	}

	/** Called under the lock. */
	private void stop() {
		closeQuietly(this.service);
		this.service = null;
	}

	private void run(WatchService watching) {
		try {
			long wait = LINGER.toNanos();
			while (true) {
				WatchKey key = watching.poll(wait, TimeUnit.NANOSECONDS);
				if (key != null) {
					boolean changed = concernsLockFile(key);
					boolean valid = key.reset();
					if (changed || !valid) {
						this.onChange.run();
					}
					if (!valid) {
						// The directory itself went away: nothing to watch until the next start.
						stopIfCurrent(watching);
						return;
					}
				}
				wait = remainingLinger(watching);
				if (wait <= 0) {
					return;
				}
			}
		}
		catch (ClosedWatchServiceException | InterruptedException ex) {
			// Stopped by close() or by the last undemand: nothing left to report.
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "Watching " + this.directory + " failed; the lock path is polled only", ex);
			stopIfCurrent(watching);
		}
	}

	private boolean concernsLockFile(WatchKey key) {
		boolean concerns = false;
		for (WatchEvent<?> event : key.pollEvents()) {
			// An overflow lost events, ours among them perhaps: look again.
			if (event.kind() == StandardWatchEventKinds.OVERFLOW || this.fileName.equals(event.context())) {
				concerns = true;
			}
		}
		return concerns;
	}

	/**
	 * How long to wait for the next event; stops the watch and answers zero when it has been
	 * idle for the linger time.
	 */
	private long remainingLinger(WatchService watching) {
		this.lock.lock();
		try {
			if (this.service != watching) {
				return 0;
			}
			if (this.demand > 0) {
				return LINGER.toNanos();
			}
			long remaining = LINGER.toNanos() - (System.nanoTime() - this.idleSince);
			if (remaining <= 0) {
				stop();
			}
			return remaining;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void stopIfCurrent(WatchService watching) {
		this.lock.lock();
		try {
			if (this.service == watching) {
				stop();
			}
			else {
				closeQuietly(watching);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private static void closeQuietly(@Nullable WatchService service) {
		if (service != null) {
			try {
				service.close();
			}
			catch (IOException ex) {
				// Nothing more to release.
			}
		}
	}

}
