package io.github.updatelock.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

/**
 * The libc calls through JNA: the binding on Java 17 to 21, and the fallback on later
 * Java where the Foreign Function &amp; Memory API cannot be used. Making one loads libc
 * and fails with a {@link LinkageError} where JNA is missing or does not support the
 * platform.
 */
final class JnaNativeCalls implements NativeCalls {

	JnaNativeCalls() {
		JnaLibc.geteuid();
	}

	@Override
	public String name() {
		return "JNA";
	}

	@Override
	public int open(byte[] path, int flags, int mode) {
		try {
			return JnaLibc.open(path, flags, mode);
		}
		catch (LastErrorException ex) {
			throw failure(ex);
		}
	}

	@Override
	public int flock(int fd, int operation) {
		try {
			return JnaLibc.flock(fd, operation);
		}
		catch (LastErrorException ex) {
			throw failure(ex);
		}
	}

	@Override
	public int linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags) {
		try {
			return JnaLibc.linkat(oldDirFd, oldPath, newDirFd, newPath, flags);
		}
		catch (LastErrorException ex) {
			throw failure(ex);
		}
	}

	@Override
	public int unlink(byte[] path) {
		try {
			return JnaLibc.unlink(path);
		}
		catch (LastErrorException ex) {
			throw failure(ex);
		}
	}

	@Override
	public long write(int fd, byte[] buffer, int count) {
		try {
			return JnaLibc.write(fd, buffer, new NativeLong(count)).longValue();
		}
		catch (LastErrorException ex) {
			throw failure(ex);
		}
	}

	@Override
	public int close(int fd) {
		try {
			return JnaLibc.close(fd);
		}
		catch (LastErrorException ex) {
			throw failure(ex);
		}
	}

	@Override
	public int geteuid() {
		return JnaLibc.geteuid();
	}

	@Override
	public boolean hasStatx() {
		return JnaLibc.Statx.BOUND;
	}

	@Override
	public int statx(int dirFd, byte[] path, int flags, int mask, byte[] buffer) {
		try {
			return JnaLibc.Statx.statx(dirFd, path, flags, mask, buffer);
		}
		catch (LastErrorException ex) {
			throw failure(ex);
		}
	}

	private static ErrnoException failure(LastErrorException ex) {
		return new ErrnoException(ex.getErrorCode(), ex.getMessage());
	}

}
