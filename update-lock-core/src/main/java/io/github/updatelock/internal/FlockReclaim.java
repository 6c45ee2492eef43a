package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;


/**
 * Judges and reclaims a file of our own protocol with {@code flock}: lock it, verify that
 * the path still names the locked file, unlink. Apart from {@link ExistingLockFile} because
 * it calls libc, which only a process with a native binding may do.
 */
public final class FlockReclaim {

	private FlockReclaim() {
	}

	/**
	 * @throws IOException if a call failed in a way that says nothing about the file (such as
	 * {@code EMFILE} or {@code EIO}): judged on it, a stale file of ours would pass for
	 * someone else's, or for a live instance's, and be waited for in vain
	 */
	static ExistingLockFile.Outcome lockVerifyUnlink(Path path, FileIdentity seen, LockMarker marker,
			LocalInstance self) throws IOException {
		int fd;
		try {
			fd = Libc.open(NativePath.cString(path.toString()), Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
		}
		catch (ErrnoException ex) {
			if (ex.errno() == Libc.ENOENT) {
				return ExistingLockFile.Outcome.vanished(marker);
			}
			if (ex.errno() == Libc.ELOOP) {
				// Replaced by a symbolic link since it was judged: that is no file of ours.
				return ExistingLockFile.Outcome.of(ExistingLockFile.Verdict.FOREIGN);
			}
			throw new IOException("Could not open " + path + " to judge it: " + ex.getMessage(), ex);
		}
		try {
			try {
				Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB);
			}
			catch (ErrnoException ex) {
				if (ex.errno() != Libc.EAGAIN && !Libc.meansNoFlock(ex.errno())) {
					throw new IOException("Could not flock " + path + " to judge it: " + ex.getMessage(), ex);
				}
				if (ex.errno() != Libc.EAGAIN && !marker.flock()) {
					// This file system has no flock, and the writer knew it: judge it as flock-less.
					return ExistingLockFile.verifyUnlinkWithoutFlock(path, seen, marker, self);
				}
				return new ExistingLockFile.Outcome(ExistingLockFile.Verdict.LIVE_INSTANCE, marker, null);
			}
			if (!marker.flock() && !marker.writerIsGone(self)) {
				return new ExistingLockFile.Outcome(ExistingLockFile.Verdict.LIVE_INSTANCE, marker, null);
			}
			// We hold the flock of the file the descriptor names. It is still the file we judged
			// only if the path names it too and it carries the same marker: a fresh file whose
			// creator has not yet taken its flock has no marker yet, so it cannot pass.
			FileIdentity locked = FileIdentity.ofDescriptor(fd);
			Optional<LockMarker> lockedMarker = ExistingLockFile.readMarker(Path.of("/proc/self/fd/" + fd),
					Set.of(StandardOpenOption.READ));
			if (!locked.equals(seen) || !locked.equals(FileIdentity.ofEntryOrNull(path)) || lockedMarker.isEmpty()
					|| !lockedMarker.get().instanceId().equals(marker.instanceId())) {
				return ExistingLockFile.Outcome.vanished(marker);
			}
			return ExistingLockFile.delete(path, marker);
		}
		catch (IOException ex) {
			// The descriptor's identity or marker could not be read: look again.
			return ExistingLockFile.Outcome.vanished(marker);
		}
		finally {
			// After the unlink: while our flock guards the file, no one else can reclaim it.
			NativeLockFiles.closeQuietly(fd);
		}
	}

}
