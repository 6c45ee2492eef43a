package io.github.updatelock.internal;

import java.io.Serial;
import java.util.Map;

/**
 * A libc call that failed, with the {@code errno} it set. Thrown by both native bindings
 * (JNA and the Foreign Function &amp; Memory API), so that callers judge failures without
 * naming either.
 */
public final class ErrnoException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final int errno;

	/** The symbols of the errors the lock's calls can meet, as {@code errno.h} names them. */
	private static final Map<Integer, String> SYMBOLS = Map.ofEntries(Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"),
			Map.entry(4, "EINTR"), Map.entry(5, "EIO"), Map.entry(9, "EBADF"), Map.entry(11, "EAGAIN"),
			Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"), Map.entry(16, "EBUSY"), Map.entry(17, "EEXIST"),
			Map.entry(18, "EXDEV"), Map.entry(20, "ENOTDIR"), Map.entry(21, "EISDIR"), Map.entry(22, "EINVAL"),
			Map.entry(23, "ENFILE"), Map.entry(24, "EMFILE"), Map.entry(28, "ENOSPC"), Map.entry(30, "EROFS"),
			Map.entry(31, "EMLINK"), Map.entry(36, "ENAMETOOLONG"), Map.entry(37, "ENOLCK"), Map.entry(38, "ENOSYS"),
			Map.entry(40, "ELOOP"), Map.entry(95, "EOPNOTSUPP"), Map.entry(122, "EDQUOT"));

	/**
	 * Creates the exception; its message starts with the errno's symbol, so that logs, the
	 * endpoint and health name it the way {@code errno.h} and the man pages do.
	 * @param errno the error number
	 * @param message the binding's description of the failure
	 */
	ErrnoException(int errno, String message) {
		super(symbol(errno) + ": " + message);
		this.errno = errno;
	}

	/**
	 * The symbol of an error number.
	 * @param errno the error number
	 * @return such as {@code EROFS}, or {@code errno 123} for one the lock does not expect
	 */
	static String symbol(int errno) {
		return SYMBOLS.getOrDefault(errno, "errno " + errno);
	}

	/**
	 * The {@code errno} the call set.
	 * @return the error number
	 */
	public int errno() {
		return this.errno;
	}

}
