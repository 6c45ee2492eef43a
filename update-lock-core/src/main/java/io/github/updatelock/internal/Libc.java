package io.github.updatelock.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * The few libc calls Java has no equivalent for: a real {@code flock(2)} (Java's
 * {@code FileChannel.lock()} takes fcntl locks, which the host OS probe does not see) on a
 * descriptor we opened ourselves. Direct mapping keeps each call cheap.
 */
public final class Libc {

	static final int O_RDONLY = 0;

	static final int O_WRONLY = 01;

	static final int O_CREAT = 0100;

	static final int O_EXCL = 0200;

	static final int O_NONBLOCK = 04000;

	static final int O_CLOEXEC = 02000000;

	/** ARM (32 and 64 bit) and PowerPC number this flag differently from x86 and the generic ABI. */
	static final int O_NOFOLLOW = (Platform.isARM() || Platform.isPPC()) ? 0100000 : 0400000;

	/** Numbered like {@link #O_NOFOLLOW}: ARM and PowerPC differ from x86 and the generic ABI. */
	static final int O_DIRECTORY = (Platform.isARM() || Platform.isPPC()) ? 040000 : 0200000;

	/**
	 * An unnamed file in the given directory. Includes {@link #O_DIRECTORY}, so that a kernel
	 * or file system without it fails (with {@code EISDIR} or {@code EOPNOTSUPP}) instead of
	 * opening the directory.
	 */
	static final int O_TMPFILE = 020000000 | O_DIRECTORY;

	static final int AT_FDCWD = -100;

	static final int AT_SYMLINK_FOLLOW = 0x400;

	static final int AT_EMPTY_PATH = 0x1000;

	static final int LOCK_EX = 2;

	static final int LOCK_NB = 4;

	static final int EPERM = 1;

	static final int ENOENT = 2;

	static final int EINTR = 4;

	static final int EAGAIN = 11;

	static final int EACCES = 13;

	static final int EEXIST = 17;

	static final int ENOTDIR = 20;

	static final int EROFS = 30;

	static {
		Native.register(Platform.C_LIBRARY_NAME);
	}

	private Libc() {
	}

	// Paths are C strings (see NativePath): JNA converts a String anew on every call.

	static native int open(byte[] path, int flags, int mode) throws LastErrorException;

	static native int flock(int fd, int operation) throws LastErrorException;

	static native int linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags)
			throws LastErrorException;

	static native int unlink(byte[] path) throws LastErrorException;

	static native NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

	static native int close(int fd) throws LastErrorException;

	public static native int geteuid();

}
