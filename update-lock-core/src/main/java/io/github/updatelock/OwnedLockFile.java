package io.github.updatelock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

/**
 * The lock file we created: made exclusively, {@code flock}ed, marked, and kept open for as
 * long as it is held, so that the host OS probe sees the flock.
 */
final class OwnedLockFile {

	/** The host OS probe holds its flock for an instant every 5 s; a clash with it is retried this long. */
	private static final long FLOCK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final NativePath path;

	private final int fd;

	private final FileChannel channel;

	private final FileIdentity identity;

	private final boolean flockHeld;

	private final String flockProblem;

	private OwnedLockFile(NativePath path, int fd, FileChannel channel, FileIdentity identity, boolean flockHeld,
			String flockProblem) {
		this.path = path;
		this.fd = fd;
		this.channel = channel;
		this.identity = identity;
		this.flockHeld = flockHeld;
		this.flockProblem = flockProblem;
	}

	/**
	 * Creates the lock file exclusively, takes its flock if wanted and possible, and writes
	 * the marker (after the flock, so that a marked file always had its flock taken).
	 */
	static OwnedLockFile create(NativePath path, boolean wantFlock, LocalInstance self, Instant now)
			throws LockFileCreationException, IOException {
		return NativeAccess.available() ? createNative(path, wantFlock, self, now, true)
				: createPortable(path, self, now);
	}

	/**
	 * Creates the lock file through libc.
	 * @param unnamedFirst whether to make it unnamed first; {@code false} is the fallback for
	 * kernels and file systems without {@code O_TMPFILE}, forced only by tests here
	 */
	static OwnedLockFile createNative(NativePath path, boolean wantFlock, LocalInstance self, Instant now,
			boolean unnamedFirst) throws LockFileCreationException, IOException {
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
			catch (LastErrorException ex) {
				throw creationFailure(path, ex.getErrorCode(), ex.getMessage());
			}
		}
		FileIdentity identity = null;
		try {
			identity = FileIdentity.ofDescriptor(fd);
			boolean flockHeld = false;
			String flockProblem = null;
			if (wantFlock) {
				try {
					flockHeld = flockWithRetry(fd);
				}
				catch (LastErrorException ex) {
					// ENOLCK, EINVAL, EOPNOTSUPP: this file system has no flock; the file still blocks app updates.
					flockProblem = "flock failed: " + ex.getMessage();
				}
				if (!flockHeld && flockProblem == null) {
					removeIfStillOurs(path, identity);
					throw new LockFileCreationException(LockFileCreationException.Reason.FLOCK_CONTENDED,
							"another process keeps a flock on " + path);
				}
			}
			writeFully(fd, LockMarker.of(self, flockHeld, now).toBytes());
			if (unnamed) {
				try {
					UnnamedFiles.link(fd, path.cString());
				}
				catch (LastErrorException ex) {
					throw creationFailure(path, ex.getErrorCode(), ex.getMessage());
				}
			}
			return new OwnedLockFile(path, fd, null, identity, flockHeld, flockProblem);
		}
		catch (IOException | RuntimeException | LockFileCreationException ex) {
			if (!unnamed && identity != null) {
				// Created in place: left without its marker, no one could tell it from someone else's.
				removeIfStillOurs(path, identity);
			}
			closeQuietly(fd);
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
		catch (LastErrorException ex) {
			return switch (ex.getErrorCode()) {
				case Libc.ENOENT, Libc.ENOTDIR, Libc.EACCES, Libc.EPERM, Libc.EROFS ->
					throw creationFailure(path, ex.getErrorCode(), ex.getMessage());
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
			catch (LastErrorException ex) {
				if (ex.getErrorCode() != Libc.EAGAIN && ex.getErrorCode() != Libc.EINTR) {
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
			byte[] rest = (written == 0) ? bytes : java.util.Arrays.copyOfRange(bytes, written, bytes.length);
			try {
				written += Libc.write(fd, rest, new NativeLong(rest.length)).intValue();
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() != Libc.EINTR) {
					throw new IOException("Could not write the lock marker: " + ex.getMessage(), ex);
				}
			}
		}
	}

	private static OwnedLockFile createPortable(NativePath path, LocalInstance self, Instant now)
			throws LockFileCreationException, IOException {
		FileChannel channel;
		try {
			channel = FileChannel.open(path.path(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		}
		catch (FileAlreadyExistsException ex) {
			throw new LockFileCreationException(LockFileCreationException.Reason.EXISTS, ex.getMessage());
		}
		catch (NoSuchFileException ex) {
			throw new LockFileCreationException(LockFileCreationException.Reason.DIRECTORY_MISSING, ex.getMessage());
		}
		catch (AccessDeniedException ex) {
			throw new LockFileCreationException(LockFileCreationException.Reason.NOT_WRITABLE, ex.getMessage());
		}
		catch (FileSystemException ex) {
			throw new LockFileCreationException(LockFileCreationException.Reason.NOT_WRITABLE, ex.getMessage());
		}
		try {
			channel.write(ByteBuffer.wrap(LockMarker.of(self, false, now).toBytes()));
			FileIdentity identity = FileIdentity.of(path.path(), LinkOption.NOFOLLOW_LINKS);
			return new OwnedLockFile(path, -1, channel, identity, false, "flock needs the native library");
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
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

	Path path() {
		return this.path.path();
	}

	FileIdentity identity() {
		return this.identity;
	}

	boolean flockHeld() {
		return this.flockHeld;
	}

	/**
	 * Why no flock is held although one was wanted.
	 * @return the problem, or {@code null}
	 */
	String flockProblem() {
		return this.flockProblem;
	}

	/**
	 * Whether the path still names the file we created (not gone, not replaced).
	 */
	boolean isStillAtPath() {
		return this.identity.equals(FileIdentity.ofEntryOrNull(this.path));
	}

	/**
	 * Removes the file if the path still names it, then closes it (which drops the flock,
	 * after the unlink, so no one can take a flock on a file about to vanish).
	 * @return whether the file was ours and was removed
	 */
	boolean removeAndClose() {
		try {
			return removeIfStillOurs(this.path, this.identity);
		}
		finally {
			close();
		}
	}

	void close() {
		if (this.channel != null) {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		else {
			closeQuietly(this.fd);
		}
	}

	private static boolean removeIfStillOurs(NativePath path, FileIdentity identity) {
		if (!identity.equals(FileIdentity.ofEntryOrNull(path))) {
			return false;
		}
		if (NativeAccess.available()) {
			try {
				Libc.unlink(path.cString());
				return true;
			}
			catch (LastErrorException ex) {
				return false;
			}
		}
		try {
			Files.delete(path.path());
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void closeQuietly(int fd) {
		try {
			Libc.close(fd);
		}
		catch (LastErrorException ex) {
			// The descriptor is gone either way; nothing to recover.
		}
	}

}
