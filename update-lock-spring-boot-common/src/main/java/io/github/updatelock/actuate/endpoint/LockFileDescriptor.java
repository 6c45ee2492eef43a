package io.github.updatelock.actuate.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * What is at the lock path on disk, as one {@code lstat} showed it while the endpoint was
 * read. A file owned by uid 65534 is the Supervisor's.
 *
 * @param present whether an entry exists at the lock path
 * @param ours whether it is the file this application created and holds
 * @param ownerUid the entry's owner, {@code null} when nothing is there
 */
public record LockFileDescriptor(boolean present, boolean ours, @Nullable Integer ownerUid) {
}
