package io.github.updatelock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The identity of an open descriptor or a path through {@code statx(2)}, whose result
 * layout is the same on every CPU (unlike {@code struct stat}). Bound apart from
 * {@link Libc} because older C libraries lack the symbol; callers fall back to
 * {@code /proc/self/fd} and to Java's file attributes.
 */
final class Statx {

	private static final int AT_SYMLINK_NOFOLLOW = 0x100;

	private static final int STATX_INO = 0x100;

	private static final int BUFFER_SIZE = 256;

	private static final int INO_OFFSET = 32;

	private static final int DEV_MAJOR_OFFSET = 136;

	private static final int DEV_MINOR_OFFSET = 140;

	private static final boolean AVAILABLE = register();

	private Statx() {
	}

	static boolean available() {
		return AVAILABLE;
	}

	/**
	 * Identity of the file behind {@code fd}, encoded like the {@code st_dev} that
	 * {@code stat} reports, so that it equals {@link FileIdentity#of} of the same file.
	 */
	static FileIdentity ofDescriptor(int fd) {
		byte[] buffer = new byte[BUFFER_SIZE];
		statx(fd, NativePath.EMPTY, Libc.AT_EMPTY_PATH, STATX_INO, buffer);
		return identity(buffer);
	}

	/**
	 * Identity of the entry a path names now, without following a symbolic link: one system
	 * call, where Java's file attributes also build a map of them.
	 * @param path the path as a C string
	 * @return the identity, or {@code null} when nothing is there or it cannot be read
	 */
	static FileIdentity ofEntryOrNull(byte[] path) {
		byte[] buffer = new byte[BUFFER_SIZE];
		try {
			statx(Libc.AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_INO, buffer);
		}
		catch (LastErrorException ex) {
			return null;
		}
		return identity(buffer);
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

	private static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buffer)
			throws LastErrorException;

	private static boolean register() {
		try {
			Native.register(Platform.C_LIBRARY_NAME);
			return true;
		}
		catch (LinkageError | SecurityException ex) {
			return false;
		}
	}

}
