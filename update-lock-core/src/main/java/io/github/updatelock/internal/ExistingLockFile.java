package io.github.updatelock.internal;

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

import io.github.updatelock.UpdateLockBlocker;

/**
 * Judges an entry found where we wanted to create the lock file (semantics rule 3) and,
 * when it is a stale file of our own protocol, removes it: lock, verify, unlink. Nothing
 * that is not certainly ours and certainly dead is ever deleted.
 */
public final class ExistingLockFile {

	/** The owner of the Supervisor's own lock files (nobody). */
	public static final int SUPERVISOR_UID = 65534;

	public enum Verdict {

		/** The entry vanished while we looked: try to create again. */
		GONE,

		/** It was a stale file of a dead instance and we removed it: try to create again. */
		RECLAIMED,

		/**
		 * It is a stale file of a dead instance, but we may not remove it (a directory we may
		 * not write, an immutable file): it blocks like someone else's until removed by hand.
		 */
		UNDELETABLE,

		SUPERVISOR, LIVE_INSTANCE, FOREIGN

	}

	/**
	 * What was found.
	 * @param verdict the judgement
	 * @param marker our marker on the entry, where one was read
	 * @param problem why an {@link Verdict#UNDELETABLE undeletable} file could not be removed
	 */
	public record Outcome(Verdict verdict, LockMarker marker, String problem) {

		static Outcome of(Verdict verdict) {
			return new Outcome(verdict, null, null);
		}

		/** The entry vanished or was replaced after its marker was read. */
		static Outcome vanished(LockMarker marker) {
			return new Outcome(Verdict.GONE, marker, null);
		}

		/**
		 * Whether the path may be free now, so that creating the file is worth another try.
		 */
		public boolean worthRetrying() {
			return this.verdict == Verdict.GONE || this.verdict == Verdict.RECLAIMED;
		}

		/**
		 * Who is in our way: for an entry that vanished, who it seemed to belong to, which is
		 * what to report when entries keep appearing and vanishing. Only an entry owned by
		 * the Supervisor's uid is reported as the Supervisor's.
		 */
		public UpdateLockBlocker blocker() {
			return switch (this.verdict) {
				case SUPERVISOR -> UpdateLockBlocker.SUPERVISOR;
				case LIVE_INSTANCE -> UpdateLockBlocker.LIVE_INSTANCE;
				case GONE -> (this.marker != null) ? UpdateLockBlocker.LIVE_INSTANCE : UpdateLockBlocker.FOREIGN;
				case RECLAIMED, UNDELETABLE, FOREIGN -> UpdateLockBlocker.FOREIGN;
			};
		}

	}

	private ExistingLockFile() {
	}

	/**
	 * Judges the entry at {@code path}.
	 * @param ourUid our effective uid, or -1 when unknown; a marked file of another owner is
	 * another user's (or another app's) and is never removed
	 * @throws IOException if a system call failed in a way that tells nothing about the entry
	 */
	public static Outcome examine(Path path, LocalInstance self, int ourUid) throws IOException {
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
		if (Uids.countsAsSupervisors(owner)) {
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
		// Checked first so that without the native binding FlockReclaim is never loaded.
		return NativeAccess.available() ? FlockReclaim.lockVerifyUnlink(path, seen, marker.get(), self)
				: verifyUnlinkWithoutFlock(path, seen, marker.get(), self);
	}

	static Outcome verifyUnlinkWithoutFlock(Path path, FileIdentity seen, LockMarker marker, LocalInstance self) {
		return verifyUnlinkWithoutFlock(path, seen, marker, self, () -> {
		});
	}

	/**
	 * Judges a file of ours that no flock guards, and reclaims it if its writer is gone.
	 * @param judged for tests: runs once the file is judged stale, before any step of its
	 * removal, as another reclaimer might act
	 */
	static Outcome verifyUnlinkWithoutFlock(Path path, FileIdentity seen, LockMarker marker, LocalInstance self,
			Runnable judged) {
		if (!marker.writerIsGone(self)) {
			return new Outcome(Verdict.LIVE_INSTANCE, marker, null);
		}
		if (!seen.equals(FileIdentity.ofEntryOrNull(path))) {
			return Outcome.vanished(marker);
		}
		judged.run();
		return MoveAsideReclaim.reclaim(path, seen, marker);
	}

	/**
	 * Deletes a stale file that was verified to be the one judged.
	 */
	static Outcome delete(Path path, LockMarker marker) {
		try {
			Files.delete(path);
			return new Outcome(Verdict.RECLAIMED, marker, null);
		}
		catch (NoSuchFileException ex) {
			return Outcome.vanished(marker);
		}
		catch (IOException ex) {
			return new Outcome(Verdict.UNDELETABLE, marker, ex.toString());
		}
	}

	static Optional<LockMarker> readMarker(Path file, Set<? extends OpenOption> options) {
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
