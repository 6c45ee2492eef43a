package io.github.updatelock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.sun.jna.LastErrorException;

/**
 * Judges an entry found where we wanted to create the lock file (semantics rule 3) and,
 * when it is a stale file of our own protocol, removes it: lock, verify, unlink. Nothing
 * that is not certainly ours and certainly dead is ever deleted.
 */
final class ExistingLockFile {

	/** The owner of the Supervisor's own lock files (nobody). */
	static final int SUPERVISOR_UID = 65534;

	enum Verdict {

		/** The entry vanished while we looked: try to create again. */
		GONE,

		/** It was a stale file of a dead instance and we removed it: try to create again. */
		RECLAIMED,

		SUPERVISOR, LIVE_INSTANCE, FOREIGN

	}

	record Outcome(Verdict verdict, LockMarker marker) {

		static Outcome of(Verdict verdict) {
			return new Outcome(verdict, null);
		}

	}

	private ExistingLockFile() {
	}

	/**
	 * Judges the entry at {@code path}.
	 * @param ourUid our effective uid, or -1 when unknown; a marked file of another owner is
	 * another user's (or another app's) and is never removed
	 */
	static Outcome examine(Path path, LocalInstance self, int ourUid) {
		Map<String, Object> attributes;
		try {
			attributes = Files.readAttributes(path, "unix:uid,dev,ino,isRegularFile", LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return Outcome.of(Verdict.GONE);
		}
		catch (IOException ex) {
			return Outcome.of(Verdict.FOREIGN);
		}
		int owner = (Integer) attributes.get("uid");
		if (owner == SUPERVISOR_UID) {
			return Outcome.of(Verdict.SUPERVISOR);
		}
		if (!(Boolean) attributes.get("isRegularFile") || (ourUid >= 0 && owner != ourUid)) {
			return Outcome.of(Verdict.FOREIGN);
		}
		FileIdentity seen = FileIdentity.of(attributes);
		Optional<LockMarker> marker = readMarker(path, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
		if (marker.isEmpty()) {
			return Outcome.of(Verdict.FOREIGN);
		}
		return NativeAccess.available() ? lockVerifyUnlink(path, seen, marker.get(), self)
				: verifyUnlinkWithoutFlock(path, seen, marker.get(), self);
	}

	private static Outcome lockVerifyUnlink(Path path, FileIdentity seen, LockMarker marker, LocalInstance self) {
		int fd;
		try {
			fd = Libc.open(NativePath.cString(path.toString()), Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
		}
		catch (LastErrorException ex) {
			return Outcome.of((ex.getErrorCode() == Libc.ENOENT) ? Verdict.GONE : Verdict.FOREIGN);
		}
		try {
			try {
				Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB);
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() != Libc.EAGAIN && !marker.flock()) {
					// This file system has no flock, and the writer knew it: judge it as flock-less.
					return verifyUnlinkWithoutFlock(path, seen, marker, self);
				}
				return new Outcome(Verdict.LIVE_INSTANCE, marker);
			}
			if (!marker.flock() && !marker.writerIsGone(self)) {
				return new Outcome(Verdict.LIVE_INSTANCE, marker);
			}
			// We hold the flock of the file the descriptor names. It is still the file we judged
			// only if the path names it too and it carries the same marker: a fresh file whose
			// creator has not yet taken its flock has no marker yet, so it cannot pass.
			FileIdentity locked = FileIdentity.ofDescriptor(fd);
			Optional<LockMarker> lockedMarker = readMarker(Path.of("/proc/self/fd/" + fd), Set.of(StandardOpenOption.READ));
			if (!locked.equals(seen) || !locked.equals(FileIdentity.ofEntryOrNull(path)) || lockedMarker.isEmpty()
					|| !lockedMarker.get().instanceId().equals(marker.instanceId())) {
				return Outcome.of(Verdict.GONE);
			}
			Files.delete(path);
			return new Outcome(Verdict.RECLAIMED, marker);
		}
		catch (IOException ex) {
			return Outcome.of(Verdict.GONE);
		}
		finally {
			try {
				Libc.close(fd);
			}
			catch (LastErrorException ex) {
				// Closing a read-only probe descriptor cannot lose anything.
			}
		}
	}

	private static Outcome verifyUnlinkWithoutFlock(Path path, FileIdentity seen, LockMarker marker,
			LocalInstance self) {
		if (!marker.writerIsGone(self)) {
			return new Outcome(Verdict.LIVE_INSTANCE, marker);
		}
		if (!seen.equals(FileIdentity.ofEntryOrNull(path))) {
			return Outcome.of(Verdict.GONE);
		}
		try {
			Files.delete(path);
			return new Outcome(Verdict.RECLAIMED, marker);
		}
		catch (IOException ex) {
			return Outcome.of(Verdict.GONE);
		}
	}

	private static Optional<LockMarker> readMarker(Path file, Set<? extends OpenOption> options) {
		try (SeekableByteChannel channel = Files.newByteChannel(file, options)) {
			ByteBuffer buffer = ByteBuffer.allocate(LockMarker.MAX_LENGTH + 1);
			while (buffer.hasRemaining() && channel.read(buffer) > 0) {
				// keep reading: a marker is small, so this loop runs once or twice
			}
			return LockMarker.parse(Arrays.copyOf(buffer.array(), buffer.position()));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

}
