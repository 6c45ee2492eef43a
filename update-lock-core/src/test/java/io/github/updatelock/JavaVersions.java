package io.github.updatelock;

/**
 * Tags of tests that need a newer Java than the build's baseline. The build runs them only
 * where they apply (the {@code ffm} profile on JDK 22 and later, the
 * {@code native-access-deny} profile on JDK 24 and later), so that no run reports
 * them as skipped.
 */
final class JavaVersions {

	/** Needs Java 22 or later: the FFM binding. */
	static final String JAVA_22 = "java22";

	/** Needs Java 24 or later: {@code --illegal-native-access=deny}. */
	static final String JAVA_24 = "java24";

	private JavaVersions() {
	}

}
