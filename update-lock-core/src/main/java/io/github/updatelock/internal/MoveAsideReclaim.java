package io.github.updatelock.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Removes a stale file of our protocol where no {@code flock} guards it (no native binding,
 * or a file system without flock). A check that the path names the stale file, then an
 * unlink by name, leaves an instant in which another reclaimer may have removed it and
 * created its own fresh file there, which the unlink would delete. So the entry is first
 * renamed, atomically, to a name only we use; what moved is deleted only if it is the very
 * file judged stale (same device and inode, same marker). Anything else is a fresh file
 * that took the path meanwhile: it is put back with a hard link, which fails rather than
 * replaces if the path was taken again, and only our extra name is removed. For that
 * instant such a file is not at the path, and its owner may see its lock lost, which it
 * was for that instant; deleted by name, it was lost for good.
 */
final class MoveAsideReclaim {

	private static final System.Logger logger = System.getLogger(MoveAsideReclaim.class.getName());

	private MoveAsideReclaim() {
	}

	static ExistingLockFile.Outcome reclaim(Path path, FileIdentity seen, LockMarker marker) {
		Path aside = path.resolveSibling("." + path.getFileName() + ".stale-" + UUID.randomUUID());
		try {
			Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (NoSuchFileException ex) {
			return ExistingLockFile.Outcome.vanished(marker);
		}
		catch (IOException ex) {
			return new ExistingLockFile.Outcome(ExistingLockFile.Verdict.UNDELETABLE, marker, ex.toString());
		}
		if (!isTheJudgedFile(aside, seen, marker)) {
			putBack(aside, path);
			return ExistingLockFile.Outcome.vanished(marker);
		}
		try {
			Files.delete(aside);
		}
		catch (IOException ex) {
			// The lock's path is free: the stale file blocks no update under this name.
			logger.log(Level.WARNING, () -> "Moved stale update lock " + path + " aside to " + aside
					+ " but could not remove it there (" + ex + "); it blocks no update, delete it at will");
		}
		return new ExistingLockFile.Outcome(ExistingLockFile.Verdict.RECLAIMED, marker, null);
	}

	private static boolean isTheJudgedFile(Path aside, FileIdentity seen, LockMarker marker) {
		if (!seen.equals(FileIdentity.ofEntryOrNull(aside))) {
			return false;
		}
		// The same inode number may be a new file that reused a removed one's: the marker tells.
		Optional<LockMarker> moved = ExistingLockFile.readMarker(aside,
				Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
		return moved.isPresent() && moved.get().equals(marker);
	}

	private static void putBack(Path aside, Path path) {
		try {
			Files.createLink(path, aside);
		}
		catch (IOException | UnsupportedOperationException ex) {
			String why = (ex instanceof FileAlreadyExistsException) ? "the path was taken again meanwhile" : ex.toString();
			logger.log(Level.ERROR, () -> "Reclaiming a stale update lock moved a fresh lock file of another instance "
					+ "from " + path + " and could not put it back (" + why + "): left it as " + aside
					+ "; that instance reports its lock as lost");
			return;
		}
		try {
			Files.delete(aside);
		}
		catch (IOException ex) {
			logger.log(Level.WARNING, () -> "Put back the lock file at " + path + " but could not remove its extra name "
					+ aside + " (" + ex + "); it blocks no update, delete it at will");
		}
	}

}
