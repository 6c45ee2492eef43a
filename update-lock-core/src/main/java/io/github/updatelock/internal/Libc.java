package io.github.updatelock.internal;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The few libc calls Java has no equivalent for: a real {@code flock(2)} (Java's
 * {@code FileChannel.lock()} takes fcntl locks, which the host OS probe does not see) on a
 * descriptor we opened ourselves, through whichever binding {@link NativeAccess} loaded.
 * Call only where {@link NativeAccess#available()}. Names no binding's types, so that its
 * constants are usable everywhere.
 */
public final class Libc {

	static final int O_RDONLY = 0;

	static final int O_WRONLY = 01;

	static final int O_CREAT = 0100;

	static final int O_EXCL = 0200;

	static final int O_NONBLOCK = 04000;

	static final int O_CLOEXEC = 02000000;

	/** ARM (32 and 64 bit) and PowerPC number this flag differently from x86 and the generic ABI. */
	static final int O_NOFOLLOW = armOrPowerPc() ? 0100000 : 0400000;

	/** Numbered like {@link #O_NOFOLLOW}: ARM and PowerPC differ from x86 and the generic ABI. */
	static final int O_DIRECTORY = armOrPowerPc() ? 040000 : 0200000;

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

	static final int EINVAL = 22;

	static final int ENOLCK = 37;

	static final int ELOOP = 40;

	static final int EOPNOTSUPP = 95;

	private Libc() {
	}

	/** The CPUs as {@code os.arch} names them: arm, aarch64; ppc, ppc64, ppc64le (JNA's test, without JNA). */
	private static boolean armOrPowerPc() {
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		return arch.startsWith("arm") || arch.startsWith("aarch") || arch.startsWith("ppc")
				|| arch.startsWith("powerpc");
	}

	/**
	 * Whether a failed {@code flock(2)} means this file system has no flock, rather than a
	 * failure of this one call.
	 */
	static boolean meansNoFlock(int errno) {
		return errno == ENOLCK || errno == EINVAL || errno == EOPNOTSUPP;
	}

	static int open(byte[] path, int flags, int mode) {
		return (int) retryingInterrupts(() -> NativeAccess.calls().open(path, flags, mode));
	}

	static int flock(int fd, int operation) {
		return (int) retryingInterrupts(() -> NativeAccess.calls().flock(fd, operation));
	}

	static int linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags) {
		return (int) retryingInterrupts(() -> NativeAccess.calls().linkat(oldDirFd, oldPath, newDirFd, newPath, flags));
	}

	static int unlink(byte[] path) {
		return (int) retryingInterrupts(() -> NativeAccess.calls().unlink(path));
	}

	static long write(int fd, byte[] buffer, int count) {
		return retryingInterrupts(() -> NativeAccess.calls().write(fd, buffer, count));
	}

	static int statx(int dirFd, byte[] path, int flags, int mask, byte[] buffer) {
		return (int) retryingInterrupts(() -> NativeAccess.calls().statx(dirFd, path, flags, mask, buffer));
	}

	/** Not retried on {@code EINTR}: Linux has released the descriptor whatever close answers. */
	static int close(int fd) {
		return NativeAccess.calls().close(fd);
	}

	/**
	 * Makes a call again while it fails with {@code EINTR}, as C code does with
	 * {@code TEMP_FAILURE_RETRY}: a signal that interrupted it changed nothing, and a lock
	 * given up or taken without its flock for a signal would be wrong for the whole hold.
	 */
	private static long retryingInterrupts(LongSupplier call) {
		while (true) {
			try {
				return call.getAsLong();
			}
			catch (ErrnoException ex) {
				if (ex.errno() != EINTR) {
					throw ex;
				}
			}
		}
	}

	public static int geteuid() {
		return NativeAccess.calls().geteuid();
	}

}
