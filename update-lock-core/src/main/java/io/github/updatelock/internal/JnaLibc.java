package io.github.updatelock.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * The libc calls through JNA's direct mapping, which keeps each call cheap. Loaded only by
 * {@link JnaNativeCalls}, where the JNA binding is wanted.
 */
final class JnaLibc {

	/**
	 * glibc's soname. Loading libc by it spares JNA the lookups for {@code libc.so}, which
	 * on glibc is a linker script that {@code dlopen} refuses.
	 */
	private static final String GLIBC = "libc.so.6";

	static {
		register(JnaLibc.class);
	}

	private JnaLibc() {
	}

	/**
	 * Binds the native methods of {@code type} to libc: by glibc's soname where there is
	 * one, else (musl) by the name JNA knows for the platform's C library.
	 */
	static void register(Class<?> type) {
		try {
			Native.register(type, GLIBC);
		}
		catch (UnsatisfiedLinkError ex) {
			Native.register(type, Platform.C_LIBRARY_NAME);
		}
	}

	// Paths are C strings (see NativePath): JNA converts a String anew on every call.

	static native int open(byte[] path, int flags, int mode) throws LastErrorException;

	static native int flock(int fd, int operation) throws LastErrorException;

	static native int linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags)
			throws LastErrorException;

	static native int unlink(byte[] path) throws LastErrorException;

	static native NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

	static native int close(int fd) throws LastErrorException;

	static native int geteuid();

	/**
	 * {@code statx}, bound apart from the other calls because older C libraries lack the
	 * symbol, which would fail the whole binding.
	 */
	static final class Statx {

		static final boolean BOUND = bind();

		private Statx() {
		}

		static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buffer)
				throws LastErrorException;

		private static boolean bind() {
			try {
				register(Statx.class);
				return true;
			}
			catch (LinkageError | SecurityException ex) {
				return false;
			}
		}

	}

}
