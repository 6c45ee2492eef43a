package io.github.updatelock.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;


/**
 * The lock file made through libc: exclusively, {@code flock}ed, marked and owner-checked
 * before it has its name where the kernel allows ({@code O_TMPFILE}, then {@code linkat}),
 * else created in place and removed again on any failure. Apart from {@link OwnedLockFile}
 * because it calls libc, which only a process with a native binding may do.
 */
public final class NativeLockFiles {

	/** The host OS probe holds its flock for an instant every 5 s; a clash with it is retried this long. */
	private static final long FLOCK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private NativeLockFiles() {
	}

	/**
	 * Creates the lock file, takes its flock if wanted and possible, and writes the marker
	 * (after the flock, so that a marked file always had its flock taken).
	 * @param unnamedFirst whether to make it unnamed first; {@code false} is the fallback for
	 * kernels and file systems without {@code O_TMPFILE}, forced only by tests here
	 * @param supervisorOwned which owners make the file the Supervisor's, and so no protection
	 */
	static OwnedLockFile create(NativePath path, boolean wantFlock, LocalInstance self, Instant now,
			boolean unnamedFirst, IntPredicate supervisorOwned) throws LockFileCreationException, IOException {
		// Made unnamed, flocked and marked first, then linked under the lock's name in one step, so
		// that a SIGKILL at any point leaves either nothing or a whole marked file, which the next
		// start reclaims. Created under its name, a kill between the create and the marker's write
		// left an empty file that no one can tell from someone else's lock: updates waited for a reboot.
		int fd = unnamedFirst ? openUnnamed(path) : -1;
		boolean unnamed = fd >= 0;
		if (!unnamed) {
			try {
				fd = Libc.open(path.cString(), Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY | Libc.O_CLOEXEC, 0644);
			}
			catch (ErrnoException ex) {
				throw creationFailure(path, ex.errno(), ex.getMessage());
			}
		}
		FileIdentity identity = null;
		try {
			DescriptorStatus status = DescriptorStatus.of(fd);
			identity = status.identity();
			if (supervisorOwned.test(status.owner())) {
				// Checked before the link: unnamed, such a file never shows up at all.
				throw OwnedLockFile.supervisorOwned(path, status.owner());
			}
			boolean flockHeld = false;
			String flockProblem = null;
			if (wantFlock) {
				try {
					flockHeld = flockWithRetry(fd);
				}
				catch (ErrnoException ex) {
					if (!Libc.meansNoFlock(ex.errno())) {
						// Anything else (EIO, say) says nothing about flock here: a lock file taken
						// without its flock on a passing failure would stay unflocked while held.
						throw ex;
					}
					// ENOLCK, EINVAL, EOPNOTSUPP: this file system has no flock; the file still blocks app updates.
					flockProblem = "flock failed: " + ex.getMessage();
				}
				if (!flockHeld && flockProblem == null) {
					throw new LockFileCreationException(LockFileCreationException.Reason.FLOCK_CONTENDED,
							"another process keeps a flock on " + path);
				}
			}
			writeFully(fd, LockMarker.bytes(self, flockHeld, now));
			if (unnamed) {
				try {
					UnnamedFiles.link(fd, path.cString());
				}
				catch (ErrnoException ex) {
					throw creationFailure(path, ex.errno(), ex.getMessage());
				}
			}
			return new OwnedLockFile(path, fd, null, identity, flockHeld, flockProblem);
		}
		catch (IOException | RuntimeException | LockFileCreationException ex) {
			if (!unnamed) {
				// Created in place: left without its marker, no one could tell it from someone else's.
				OwnedLockFile.removeAfterFailedCreate(path, identity);
			}
			closeQuietly(fd);
			if (ex instanceof ErrnoException nativeFailure) {
				throw new IOException("Could not create " + path + ": " + nativeFailure.getMessage(), nativeFailure);
			}
			throw ex;
		}
	}

	/**
	 * Opens an unnamed file in the lock's directory.
	 * @return its descriptor, or -1 when this kernel or file system cannot make unnamed files
	 */
	private static int openUnnamed(NativePath path) throws LockFileCreationException, IOException {
		try {
			return UnnamedFiles.open(path.directoryCString());
		}
		catch (ErrnoException ex) {
			return switch (ex.errno()) {
				case Libc.ENOENT, Libc.ENOTDIR, Libc.EACCES, Libc.EPERM, Libc.EROFS ->
					throw creationFailure(path, ex.errno(), ex.getMessage());
				// EISDIR or EOPNOTSUPP: no unnamed files here. The create in place reports anything else.
				default -> -1;
			};
		}
	}

	private static boolean flockWithRetry(int fd) {
		boolean clashed = false;
		long deadline = 0;
		while (true) {
			try {
				Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB);
				return true;
			}
			catch (ErrnoException ex) {
				if (ex.errno() != Libc.EAGAIN) {
					throw ex;
				}
				// The clock is read only after a clash: the usual first try needs no deadline.
				long now = System.nanoTime();
				if (!clashed) {
					clashed = true;
					deadline = now + FLOCK_RETRY_NANOS;
				}
				else if (now - deadline > 0) {
					return false;
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}
	}

	private static void writeFully(int fd, byte[] bytes) throws IOException {
		int written = 0;
		while (written < bytes.length) {
			byte[] rest = (written == 0) ? bytes : Arrays.copyOfRange(bytes, written, bytes.length);
			try {
				written += (int) Libc.write(fd, rest, rest.length);
			}
			catch (ErrnoException ex) {
				throw new IOException("Could not write the lock marker: " + ex.getMessage(), ex);
			}
		}
	}

	private static LockFileCreationException creationFailure(NativePath path, int errno, String detail)
			throws IOException {
		return switch (errno) {
			case Libc.EEXIST -> new LockFileCreationException(LockFileCreationException.Reason.EXISTS, detail);
			case Libc.ENOENT, Libc.ENOTDIR ->
				new LockFileCreationException(LockFileCreationException.Reason.DIRECTORY_MISSING, detail);
			case Libc.EACCES, Libc.EPERM, Libc.EROFS ->
				new LockFileCreationException(LockFileCreationException.Reason.NOT_WRITABLE, detail);
			default -> throw new IOException("Could not create " + path + ": " + detail);
		};
	}

	/**
	 * Removes the entry at {@code path}.
	 * @return {@code true} if it was removed, {@code false} if it was gone already
	 * @throws IOException if the unlink failed for another reason; the message names the errno
	 */
	static boolean unlink(NativePath path) throws IOException {
		try {
			Libc.unlink(path.cString());
			return true;
		}
		catch (ErrnoException ex) {
			if (ex.errno() == Libc.ENOENT) {
				return false;
			}
			throw new IOException("Could not remove " + path + ": " + ex.getMessage(), ex);
		}
	}

	static void closeQuietly(int fd) {
		try {
			Libc.close(fd);
		}
		catch (ErrnoException ex) {
			// The descriptor is gone either way; nothing to recover.
		}
	}

}
