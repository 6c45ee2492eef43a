package io.github.updatelock.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
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
import java.util.Map;
import java.util.function.IntPredicate;

import org.jspecify.annotations.Nullable;

/**
 * The lock file we created: made exclusively, {@code flock}ed, marked, and kept open for as
 * long as it is held, so that the host OS probe sees the flock.
 * <p>
 * Names no JNA type: without the native binding this class still loads and makes the file
 * with plain Java ({@code CREATE_NEW}), without a flock.
 */
public final class OwnedLockFile {

	private static final System.Logger logger = System.getLogger(OwnedLockFile.class.getName());

	private final NativePath path;

	private final int fd;

	private final FileChannel channel;

	private final FileIdentity identity;

	private final boolean flockHeld;

	private final String flockProblem;

	/**
	 * Wraps a file already created, marked and checked.
	 * @param fd its descriptor when made through libc, else -1
	 * @param channel its channel when made by plain Java, else {@code null}
	 */
	OwnedLockFile(NativePath path, int fd, FileChannel channel, FileIdentity identity, boolean flockHeld,
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
	 * the marker (after the flock, so that a marked file always had its flock taken). A file
	 * that turns out to belong to the Supervisor's uid is removed again.
	 */
	public static OwnedLockFile create(NativePath path, boolean wantFlock, LocalInstance self, Instant now)
			throws LockFileCreationException, IOException {
		return NativeAccess.available()
				? NativeLockFiles.create(path, wantFlock, self, now, true, Uids::countsAsSupervisors)
				: createPortable(path, self, now, Uids::countsAsSupervisors);
	}

	/**
	 * Creates the lock file with plain Java, where the native binding is missing: in place,
	 * so that on any failure after the create the file is removed again.
	 * @param supervisorOwned which owners make the file the Supervisor's, and so no protection
	 */
	static OwnedLockFile createPortable(NativePath path, LocalInstance self, Instant now, IntPredicate supervisorOwned)
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
		FileIdentity identity = null;
		try {
			// Read at once by path (plain Java cannot stat a channel): only an override within
			// this instant could put another file there.
			Map<String, Object> attributes = Files.readAttributes(path.path(), "unix:uid,dev,ino",
					LinkOption.NOFOLLOW_LINKS);
			identity = FileIdentity.of(attributes);
			int owner = (Integer) attributes.get("uid");
			if (supervisorOwned.test(owner)) {
				throw supervisorOwned(path, owner);
			}
			// An interrupt (Future.cancel(true), shutdownNow()) closes the channel here with
			// ClosedByInterruptException; the interrupt status stays set for the caller.
			channel.write(ByteBuffer.wrap(LockMarker.bytes(self, false, now)));
			return new OwnedLockFile(path, -1, channel, identity, false, "flock needs the native library");
		}
		catch (IOException | RuntimeException | LockFileCreationException ex) {
			// Left without its marker, no one could tell it from someone else's lock.
			removeAfterFailedCreate(path, identity);
			closeQuietly(channel, path);
			throw ex;
		}
	}

	static LockFileCreationException supervisorOwned(NativePath path, int owner) {
		return new LockFileCreationException(LockFileCreationException.Reason.SUPERVISOR_OWNER,
				path + " was created owned by uid " + owner + ", which the Supervisor takes for its own; removed it");
	}

	Path path() {
		return this.path.path();
	}

	public FileIdentity identity() {
		return this.identity;
	}

	public boolean flockHeld() {
		return this.flockHeld;
	}

	/**
	 * Why no flock is held although one was wanted.
	 * @return the problem, or {@code null}
	 */
	public String flockProblem() {
		return this.flockProblem;
	}

	/**
	 * Whether the path still names the file we created (not gone, not replaced).
	 */
	public boolean isStillAtPath() {
		return this.identity.equals(FileIdentity.ofEntryOrNull(this.path));
	}

	/**
	 * Removes the file if the path still names it. The descriptor stays open: close it once
	 * the file is gone (the flock dropped after the unlink, so no one can take a flock on a
	 * file about to vanish), or keep it while a failed removal leaves the file in place.
	 * @return {@code true} if the file was removed, {@code false} if the path no longer
	 * names it (an override or a deletion)
	 * @throws IOException if the path still names our file and the unlink failed; the
	 * message names the errno
	 */
	public boolean remove() throws IOException {
		return removeIfStillOurs(this.path, this.identity);
	}

	/**
	 * {@link #remove() Removes} the file if the path still names it, then closes it in any case.
	 * @return whether the file was ours and was removed
	 * @throws IOException if the unlink failed; the file stays, without its flock
	 */
	public boolean removeAndClose() throws IOException {
		try {
			return remove();
		}
		finally {
			close();
		}
	}

	/**
	 * Closes the file, dropping its flock. Never throws: a release runs after the work it
	 * protected, whose result must not be replaced by a failure to close.
	 */
	public void close() {
		if (this.channel != null) {
			closeQuietly(this.channel, this.path);
		}
		else {
			NativeLockFiles.closeQuietly(this.fd);
		}
	}

	/**
	 * Unlinks the path if it still names the file of this identity. Only the path no longer
	 * naming it is an override; any other failure leaves our file in place and is thrown.
	 * @return whether it was removed; {@code false} when the path names something else or nothing
	 * @throws IOException if the unlink failed for another reason
	 */
	static boolean removeIfStillOurs(NativePath path, FileIdentity identity) throws IOException {
		if (!identity.equals(FileIdentity.ofEntryOrNull(path))) {
			return false;
		}
		if (NativeAccess.available()) {
			return NativeLockFiles.unlink(path);
		}
		try {
			Files.delete(path.path());
			return true;
		}
		catch (NoSuchFileException ex) {
			return false;
		}
	}

	/**
	 * Removes a file created in place whose creation failed halfway. A failure to remove it
	 * is logged, not thrown: the caller throws the failure that made it give the file up.
	 * @param identity the file's identity, or {@code null} when reading it failed: then the
	 * entry's identity now stands for it. Read an instant after our exclusive create, while
	 * its descriptor is still open, only an override within that instant could have put
	 * another file there; left in place, the empty, unmarked file would be one that no one
	 * may ever delete, and updates would wait for it until a reboot.
	 */
	static void removeAfterFailedCreate(NativePath path, @Nullable FileIdentity identity) {
		FileIdentity created = (identity != null) ? identity : FileIdentity.ofEntryOrNull(path);
		if (created == null) {
			if (Files.notExists(path.path(), LinkOption.NOFOLLOW_LINKS)) {
				return;
			}
			logger.log(Level.ERROR, () -> "Could not tell whether " + path + " still names the file just created, "
					+ "whose creation failed: if it is there and empty, it stays until someone deletes it or the "
					+ "device reboots");
			return;
		}
		try {
			removeIfStillOurs(path, created);
		}
		catch (IOException ex) {
			logger.log(Level.ERROR, () -> "Could not remove " + path + " after its creation failed (" + ex.getMessage()
					+ "): it stays until someone deletes it or the device reboots");
		}
	}

	private static void closeQuietly(FileChannel channel, NativePath path) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Java releases the descriptor either way; nothing the holder could do about it.
			logger.log(Level.WARNING, () -> "Could not close update lock " + path + " (" + ex + "); going on");
		}
	}

}
