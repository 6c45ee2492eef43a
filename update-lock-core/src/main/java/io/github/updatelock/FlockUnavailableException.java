package io.github.updatelock;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code flock(2)} is wanted but cannot be held, on a device where it matters: no libc
 * binding loaded, so the lock file would block app updates while a host OS update's final
 * reboot would not wait for it. Thrown by {@link UpdateLockManager#requireFlock()}.
 * <p>
 * The cause is the root cause of the first binding that failed (FFM's, where it was tried);
 * the other binding's root cause is suppressed on it.
 */
public class FlockUnavailableException extends UpdateLockException {

	private static final long serialVersionUID = 1L;

	private final transient Path path;

	private final String fix;

	/**
	 * Creates an exception.
	 * @param path the lock file path
	 * @param reason why no binding loaded, each binding's root cause named
	 * @param fix what to do so that a binding loads
	 * @param causes the root causes, the binding tried first first
	 */
	public FlockUnavailableException(Path path, String reason, String fix, List<Throwable> causes) {
		super("flock(2) cannot be held on update lock " + path + " (" + reason + "): host OS updates would not "
				+ "wait for this application's holds, only app updates would.", causes.isEmpty() ? null : causes.get(0));
		this.path = Objects.requireNonNull(path, "path");
		this.fix = Objects.requireNonNull(fix, "fix");
		causes.stream().skip(1).forEach(this::addSuppressed);
	}

	/**
	 * The lock file path.
	 * @return the path
	 */
	public Path getPath() {
		return this.path;
	}

	/**
	 * What to do so that {@code flock(2)} can be held, judged from the root causes: allow
	 * native access, or add the JNA module.
	 * @return the advice
	 */
	public String getFix() {
		return this.fix;
	}

}
