package io.github.updatelock.internal;

import java.io.Serial;

/**
 * A libc call that failed, with the {@code errno} it set. Thrown by both native bindings
 * (JNA and the Foreign Function &amp; Memory API), so that callers judge failures without
 * naming either.
 */
public final class ErrnoException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final int errno;

	ErrnoException(int errno, String message) {
		super(message);
		this.errno = errno;
	}

	/**
	 * The {@code errno} the call set.
	 * @return the error number
	 */
	public int errno() {
		return this.errno;
	}

}
