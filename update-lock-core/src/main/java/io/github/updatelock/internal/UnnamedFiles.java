package io.github.updatelock.internal;


/**
 * Unnamed files ({@code O_TMPFILE}) and the one step that names them, so that the lock
 * file appears under its name already flocked and marked.
 * <p>
 * {@code linkat(fd, "", ..., AT_EMPTY_PATH)} names the file directly, but kernels before
 * 6.10 allow it only with {@code CAP_DAC_READ_SEARCH}, which containers lack by default.
 * {@code linkat} of {@code /proc/self/fd/N} needs no capability and costs one procfs
 * lookup more. Links try the direct way until one shows which works, and the process
 * remembers it.
 */
public final class UnnamedFiles {

	/** How an unnamed file gets its name. */
	public enum LinkMethod {

		/** {@code linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH)}. */
		EMPTY_PATH,

		/** {@code linkat(AT_FDCWD, "/proc/self/fd/N", AT_FDCWD, name, AT_SYMLINK_FOLLOW)}. */
		PROC_FD

	}

	/** {@code null} until a link has shown which method this process may use. */
	private static volatile LinkMethod method;

	private UnnamedFiles() {
	}

	/**
	 * Opens a new unnamed file for writing in a directory.
	 * @param directory the directory as a C string
	 * @return its descriptor
	 * @throws ErrnoException as {@code open(2)} fails; {@code EISDIR} or
	 * {@code EOPNOTSUPP} where the kernel or the file system cannot make unnamed files
	 */
	static int open(byte[] directory) {
		return Libc.open(directory, Libc.O_TMPFILE | Libc.O_WRONLY | Libc.O_CLOEXEC, 0644);
	}

	/**
	 * Names an unnamed file. Fails with {@code EEXIST} when the name is taken, which makes
	 * it exactly as exclusive as {@code O_CREAT|O_EXCL}.
	 * @param fd the unnamed file
	 * @param name the name to give it, as a C string
	 * @throws ErrnoException as {@code linkat(2)} fails
	 */
	static void link(int fd, byte[] name) {
		LinkMethod known = method;
		if (known != null) {
			link(fd, name, known);
			return;
		}
		try {
			link(fd, name, LinkMethod.EMPTY_PATH);
			method = LinkMethod.EMPTY_PATH;
			return;
		}
		catch (ErrnoException ex) {
			// EEXIST is the answer either way. ENOENT is the kernel's answer to AT_EMPTY_PATH without
			// the capability, and also to a missing directory; a sandbox may answer otherwise. Only a
			// link through /proc that works tells them apart.
			if (ex.errno() == Libc.EEXIST) {
				throw ex;
			}
		}
		link(fd, name, LinkMethod.PROC_FD);
		method = LinkMethod.PROC_FD;
	}

	/**
	 * Names an unnamed file the given way.
	 * @param fd the unnamed file
	 * @param name the name to give it, as a C string
	 * @param how the method
	 * @throws ErrnoException as {@code linkat(2)} fails
	 */
	static void link(int fd, byte[] name, LinkMethod how) {
		if (how == LinkMethod.EMPTY_PATH) {
			Libc.linkat(fd, NativePath.EMPTY, Libc.AT_FDCWD, name, Libc.AT_EMPTY_PATH);
		}
		else {
			Libc.linkat(Libc.AT_FDCWD, NativePath.cString("/proc/self/fd/" + fd), Libc.AT_FDCWD, name,
					Libc.AT_SYMLINK_FOLLOW);
		}
	}

	/**
	 * The method this process links with.
	 * @return the method, or {@code null} before the first link
	 */
	static LinkMethod linkMethod() {
		return method;
	}

}
