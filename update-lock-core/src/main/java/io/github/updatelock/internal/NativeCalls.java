package io.github.updatelock.internal;

/**
 * The libc calls the lock makes, as one binding provides them: JNA on every Java, or the
 * Foreign Function &amp; Memory API on Java 22 and later (a class of the multi-release
 * jar). Paths are NUL-terminated C strings (see {@link NativePath}). Every call that can
 * fail throws {@link ErrnoException}.
 */
interface NativeCalls {

	/**
	 * The binding's name, as the startup log shows it.
	 * @return {@code "FFM"} or {@code "JNA"}
	 */
	String name();

	int open(byte[] path, int flags, int mode);

	int flock(int fd, int operation);

	int linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags);

	int unlink(byte[] path);

	/**
	 * Writes the first {@code count} bytes of {@code buffer}.
	 * @return how many were written
	 */
	long write(int fd, byte[] buffer, int count);

	int close(int fd);

	int geteuid();

	/**
	 * Whether the C library has {@code statx} (glibc 2.28 and later, musl 1.2.5 and later).
	 * @return whether {@link #statx} may be called
	 */
	boolean hasStatx();

	/**
	 * {@code statx(2)} into {@code buffer}, which must hold at least 256 bytes.
	 */
	int statx(int dirFd, byte[] path, int flags, int mask, byte[] buffer);

}
