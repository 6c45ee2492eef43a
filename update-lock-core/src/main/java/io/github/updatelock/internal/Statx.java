package io.github.updatelock.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The identity (and owner) of an open descriptor or a path through {@code statx(2)}, whose
 * result layout is the same on every CPU (unlike {@code struct stat}). Older C libraries
 * lack the symbol; callers fall back to
 * {@code /proc/self/fd} and to Java's file attributes, also when the symbol is there but
 * the call is refused at run time (a seccomp filter answering {@code EPERM}, an old kernel
 * answering {@code ENOSYS}).
 */
public final class Statx {

	private static final int AT_SYMLINK_NOFOLLOW = 0x100;

	private static final int STATX_UID = 0x8;

	private static final int STATX_INO = 0x100;

	private static final int EPERM = 1;

	private static final int ENOSYS = 38;

	private static final int UID_OFFSET = 20;

	private static final int BUFFER_SIZE = 256;

	private static final int INO_OFFSET = 32;

	private static final int DEV_MAJOR_OFFSET = 136;

	private static final int DEV_MINOR_OFFSET = 140;

	private static final boolean AVAILABLE = NativeAccess.available() && NativeAccess.calls().hasStatx();

	/** Set once a call was refused in a way every later call would be too. */
	private static volatile boolean refused;

	/** The errno every call fails with instead of calling the kernel; 0 for none. */
	private static volatile int forcedErrno;

	private Statx() {
	}

	/**
	 * Whether the symbol is bound and the kernel has not refused the call.
	 */
	static boolean available() {
		return AVAILABLE && !refused;
	}

	/**
	 * For tests: makes every call fail with {@code errno}, as a seccomp filter that denies
	 * {@code statx} would, or calls the kernel again.
	 * @param errno the errno, or 0 to call the kernel (and forget an earlier refusal)
	 */
	static void forceFailure(int errno) {
		forcedErrno = errno;
		refused = false;
	}

	/**
	 * Identity and owner of the file behind {@code fd}, the device encoded like the
	 * {@code st_dev} that {@code stat} reports, so that it equals {@link FileIdentity#of}
	 * of the same file.
	 * @throws ErrnoException as {@code statx(2)} fails
	 */
	static DescriptorStatus ofDescriptor(int fd) {
		byte[] buffer = new byte[BUFFER_SIZE];
		call(fd, NativePath.EMPTY, Libc.AT_EMPTY_PATH, STATX_INO | STATX_UID, buffer);
		int owner = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder()).getInt(UID_OFFSET);
		return new DescriptorStatus(identity(buffer), owner);
	}

	/**
	 * Identity of the entry a path names now, without following a symbolic link: one system
	 * call, where Java's file attributes also build a map of them.
	 * @param path the path
	 * @return the identity, or {@code null} when nothing is there or it cannot be read
	 */
	static FileIdentity ofEntryOrNull(NativePath path) {
		byte[] buffer = new byte[BUFFER_SIZE];
		try {
			call(Libc.AT_FDCWD, path.cString(), AT_SYMLINK_NOFOLLOW, STATX_INO, buffer);
		}
		catch (ErrnoException ex) {
			// Refused rather than answered: Java's attributes still tell.
			return (ex.errno() == Libc.ENOENT) ? null : FileIdentity.ofEntryOrNull(path.path());
		}
		return identity(buffer);
	}

	private static void call(int dirfd, byte[] path, int flags, int mask, byte[] buffer) {
		try {
			int errno = forcedErrno;
			if (errno != 0) {
				throw new ErrnoException(errno, "statx refused (forced): errno " + errno);
			}
			Libc.statx(dirfd, path, flags, mask, buffer);
		}
		catch (ErrnoException ex) {
			if (ex.errno() == EPERM || ex.errno() == ENOSYS) {
				refused = true;
			}
			throw ex;
		}
	}

	private static FileIdentity identity(byte[] buffer) {
		ByteBuffer fields = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
		long major = Integer.toUnsignedLong(fields.getInt(DEV_MAJOR_OFFSET));
		long minor = Integer.toUnsignedLong(fields.getInt(DEV_MINOR_OFFSET));
		return new FileIdentity(makedev(major, minor), fields.getLong(INO_OFFSET));
	}

	/** glibc's {@code makedev}, the encoding {@code stat} uses for {@code st_dev}. */
	static long makedev(long major, long minor) {
		return ((major & 0x00000fffL) << 8) | ((major & 0xfffff000L) << 32) | (minor & 0x000000ffL)
				| ((minor & 0xffffff00L) << 12);
	}

}
