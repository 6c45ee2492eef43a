package io.github.updatelock.internal;

import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Which libc binding this process uses, loaded on first use: the Foreign Function &amp;
 * Memory API on Java 22 and later (its class is in the multi-release jar's
 * {@code META-INF/versions/22}), else JNA. Without either the lock file is still created
 * exclusively (by plain Java), but no {@code flock(2)} is held.
 */
public final class NativeAccess {

	/** The Foreign Function &amp; Memory API is final from Java 22 on. */
	private static final int FFM_FEATURE = 22;

	private static final String FFM_CLASS = "io.github.updatelock.internal.FfmNativeCalls";

	private static final Binding BINDING = load();

	/** Set only by tests, which put a decorator that injects failures around the binding. */
	private static volatile NativeCalls replacement;

	private NativeAccess() {
	}

	public static boolean available() {
		return BINDING.calls() != null;
	}

	/**
	 * Which binding makes the libc calls.
	 * @return {@code "FFM"}, {@code "JNA"} or {@code "none"}
	 */
	public static String binding() {
		NativeCalls calls = BINDING.calls();
		return (calls != null) ? calls.name() : "none";
	}

	/**
	 * Why no binding loaded.
	 * @return the reason, or {@code null} when one loaded
	 */
	static String loadFailure() {
		return BINDING.failure();
	}

	/**
	 * The binding.
	 * @throws IllegalStateException where none loaded
	 */
	static NativeCalls calls() {
		NativeCalls replaced = replacement;
		if (replaced != null) {
			return replaced;
		}
		NativeCalls calls = BINDING.calls();
		if (calls == null) {
			throw new IllegalStateException("No libc binding: " + BINDING.failure());
		}
		return calls;
	}

	/**
	 * For tests: makes every libc call through a decorator of the loaded binding, or through
	 * the binding itself again.
	 * @param decorator wraps the binding, or {@code null} to restore it
	 */
	static void decorate(@Nullable UnaryOperator<NativeCalls> decorator) {
		replacement = (decorator != null) ? decorator.apply(BINDING.calls()) : null;
	}

	private static Binding load() {
		String ffmFailure = null;
		if (Runtime.version().feature() >= FFM_FEATURE) {
			try {
				return new Binding((NativeCalls) Class.forName(FFM_CLASS, true, NativeAccess.class.getClassLoader())
					.getDeclaredConstructor()
					.newInstance(), null);
			}
			catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
				// Not in this jar (built on an older JDK, or not run from a jar), or native access
				// denied (--illegal-native-access=deny): JNA may still work.
				ffmFailure = "FFM: " + ex;
			}
		}
		try {
			return new Binding(new JnaNativeCalls(), null);
		}
		catch (LinkageError | SecurityException ex) {
			return new Binding(null, ((ffmFailure != null) ? ffmFailure + "; JNA: " : "") + ex);
		}
	}

	private record Binding(NativeCalls calls, String failure) {
	}

}
