package io.github.updatelock.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The loaded libc binding with one failure on purpose: one call of a given name (the next,
 * or a later one) fails once with a given errno, as the kernel would answer it, and every
 * other call goes through. {@code close} closes first and fails after, as Linux does: the descriptor is
 * gone whatever close answers. On demand it also hides its descriptors from {@code /proc}.
 */
final class FaultyNativeCalls implements NativeCalls {

	/** Above any descriptor the kernel hands out (the hard limit of open files is far lower). */
	private static final int HIDDEN_FROM = 1 << 30;

	private final NativeCalls binding;

	private final AtomicReference<Fault> armed = new AtomicReference<>();

	private volatile Fault fired;

	private volatile boolean descriptorsHidden;

	FaultyNativeCalls(NativeCalls binding) {
		this.binding = binding;
	}

	/**
	 * Makes one call of this name fail once.
	 * @param call the call's name, such as {@code unlink}
	 * @param occurrence which call of that name from now on fails: 1 for the next
	 * @param errno the errno it fails with
	 */
	void fail(String call, int occurrence, int errno) {
		this.fired = null;
		this.armed.set(new Fault(call, errno, new AtomicInteger(occurrence - 1)));
	}

	/**
	 * Whether the armed failure has happened.
	 * @return {@code true} once a call failed on purpose
	 */
	boolean fired() {
		return this.fired != null;
	}

	/**
	 * Hands out descriptors under numbers of its own from now on, which {@code /proc/self/fd}
	 * does not know, as where {@code /proc} is not mounted; every call of this binding still
	 * takes them.
	 */
	void hideDescriptorsFromProc() {
		this.descriptorsHidden = true;
	}

	private int real(int fd) {
		return (fd >= HIDDEN_FROM) ? fd - HIDDEN_FROM : fd;
	}

	/** Forgets a failure that has not happened yet. */
	void disarm() {
		this.armed.set(null);
	}

	private void failIfArmed(String call) {
		Fault fault = this.armed.get();
		if (fault != null && fault.call().equals(call) && fault.callsToLetThrough().getAndDecrement() <= 0
				&& this.armed.compareAndSet(fault, null)) {
			this.fired = fault;
			throw new ErrnoException(fault.errno(), "[" + fault.errno() + "] failed on purpose (" + call + ")");
		}
	}

	@Override
	public String name() {
		return this.binding.name();
	}

	@Override
	public int open(byte[] path, int flags, int mode) {
		failIfArmed("open");
		int fd = this.binding.open(path, flags, mode);
		return this.descriptorsHidden ? fd + HIDDEN_FROM : fd;
	}

	@Override
	public int flock(int fd, int operation) {
		failIfArmed("flock");
		return this.binding.flock(real(fd), operation);
	}

	@Override
	public int linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags) {
		failIfArmed("linkat");
		return this.binding.linkat(real(oldDirFd), oldPath, real(newDirFd), newPath, flags);
	}

	@Override
	public int unlink(byte[] path) {
		failIfArmed("unlink");
		return this.binding.unlink(path);
	}

	@Override
	public long write(int fd, byte[] buffer, int count) {
		failIfArmed("write");
		return this.binding.write(real(fd), buffer, count);
	}

	@Override
	public int close(int fd) {
		int result = this.binding.close(real(fd));
		failIfArmed("close");
		return result;
	}

	@Override
	public int geteuid() {
		return this.binding.geteuid();
	}

	@Override
	public boolean hasStatx() {
		return this.binding.hasStatx();
	}

	@Override
	public int statx(int dirFd, byte[] path, int flags, int mask, byte[] buffer) {
		failIfArmed("statx");
		return this.binding.statx(real(dirFd), path, flags, mask, buffer);
	}

	private record Fault(String call, int errno, AtomicInteger callsToLetThrough) {
	}

}
