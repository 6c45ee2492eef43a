package io.github.updatelock;

import org.jspecify.annotations.Nullable;

/**
 * What one {@code lstat} of the lock path shows: whether anything is there, whether it is
 * the very file this manager created (same device and inode), and who owns it. An entry
 * owned by uid 65534 is the Supervisor's.
 *
 * @param present whether an entry (file, directory or symbolic link) exists at the path
 * @param ours whether that entry is the lock file this manager created and still holds,
 * or one whose removal failed and is being retried
 * @param ownerUid the owner of the entry, or {@code null} when nothing is there
 */
public record UpdateLockFileState(boolean present, boolean ours, @Nullable Integer ownerUid) {

	static final UpdateLockFileState ABSENT = new UpdateLockFileState(false, false, null);

}
