package io.github.updatelock;

import io.github.updatelock.internal.LibcBinding;

/**
 * Builds managers as on a JVM where no libc binding loaded (here: native access denied), so
 * that no {@code flock(2)} can be held. Lives in the core's package to reach the builder's
 * test seam, which is not API.
 */
public final class NoLibcBinding {

	/** What FFM throws where native access is denied, as the JDK words it. */
	public static final IllegalCallerException DENIED = new IllegalCallerException(
			"Illegal native access from: unnamed module @5a2e4553");

	/** The advice the core gives for {@link #DENIED}. */
	public static final String FIX = "allow native access: --enable-native-access=ALL-UNNAMED on the java command line";

	private NoLibcBinding() {
	}

	/**
	 * Makes the manager built see no libc binding.
	 * @param builder the builder
	 */
	public static void apply(UpdateLockManager.Builder builder) {
		builder.libcBinding(LibcBinding.unavailable(new ExceptionInInitializerError(DENIED), FIX));
	}

}
