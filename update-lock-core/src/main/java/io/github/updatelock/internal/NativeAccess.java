package io.github.updatelock.internal;

/**
 * Whether the libc binding loads on this platform. Without it the lock file is still
 * created exclusively (by plain Java), but no {@code flock(2)} is held.
 */
public final class NativeAccess {

	private static final String LOAD_FAILURE = tryLoad();

	private NativeAccess() {
	}

	public static boolean available() {
		return LOAD_FAILURE == null;
	}

	/**
	 * Why the binding did not load.
	 * @return the reason, or {@code null} when it loaded
	 */
	static String loadFailure() {
		return LOAD_FAILURE;
	}

	private static String tryLoad() {
		try {
			Libc.geteuid();
			return null;
		}
		catch (LinkageError | SecurityException ex) {
			return ex.toString();
		}
	}

}
