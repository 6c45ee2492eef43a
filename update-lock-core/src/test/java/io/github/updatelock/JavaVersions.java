package io.github.updatelock;

/**
 * Tags of tests that need a newer Java than the build's baseline. The build runs them only
 * where they apply (the {@code ffm} profile, on JDK 22 and later), so that no run reports
 * them as skipped.
 */
final class JavaVersions {

	/** Needs Java 22 or later: the FFM binding. */
	static final String JAVA_22 = "java22";

	private JavaVersions() {
	}

}
