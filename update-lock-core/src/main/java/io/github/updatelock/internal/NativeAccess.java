package io.github.updatelock.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Which libc binding this process uses, loaded on first use: the Foreign Function &amp;
 * Memory API on Java 22 and later (its class is in the multi-release jar's
 * {@code META-INF/versions/22}), else JNA. Without either the lock file is still created
 * exclusively (by plain Java), but no {@code flock(2)} is held, so host OS updates do not
 * wait.
 * <p>
 * Where each one fails:
 * <ul>
 * <li>FFM: before Java 22; where the jar's {@code versions/22} is not read (a jar repacked
 * without {@code Multi-Release: true}); on a JDK without an FFM linker for its CPU (32-bit ARM
 * has only libffi's fallback linker, which Debian's Java 25 has and a JDK built without libffi lacks);
 * and where native access is denied ({@code --illegal-native-access=deny} without
 * {@code --enable-native-access}). Without {@code --enable-native-access} (or the
 * {@code Enable-Native-Access} manifest entry) the JDK warns on its first use from Java 22
 * on, not only from 24.</li>
 * <li>JNA: where its jar is missing (on the module path too, where it is a module the core
 * requires), where it does not support the CPU, and from JDK 24 on where native access is
 * denied, since it loads its library through {@code System::load}, which Java 24 and later
 * also warn about without {@code --enable-native-access}.</li>
 * </ul>
 * When FFM is skipped and JNA serves, why FFM was skipped is logged at INFO; when neither
 * loads, both reasons, with their root causes, are in {@link #loadFailure()}.
 */
public final class NativeAccess {

	private static final System.Logger logger = System.getLogger(NativeAccess.class.getName());

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
	 * Why no binding loaded, each binding's root cause named.
	 * @return the reason, or {@code null} when one loaded
	 */
	public static String loadFailure() {
		return (BINDING.calls() != null) ? null : BINDING.describeFailures();
	}

	/**
	 * The root causes of the bindings that failed to load, the one tried first first.
	 * @return the causes, empty when the first binding tried loaded
	 */
	public static List<Throwable> loadFailureCauses() {
		return BINDING.failures().stream().map(SkippedBinding::rootCause).toList();
	}

	/**
	 * What to do so that a binding loads, judged from why they failed.
	 * @return the advice, or {@code null} when one loaded
	 */
	public static String fix() {
		return (BINDING.calls() != null) ? null : fix(BINDING.failures());
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
			throw new IllegalStateException("No libc binding: " + BINDING.describeFailures());
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
		List<SkippedBinding> failures = new ArrayList<>(2);
		if (Runtime.version().feature() >= FFM_FEATURE) {
			try {
				return new Binding((NativeCalls) Class.forName(FFM_CLASS, true, NativeAccess.class.getClassLoader())
					.getDeclaredConstructor()
					.newInstance(), failures);
			}
			catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
				// Not in this jar (built on an older JDK, or a jar repacked without Multi-Release), no FFM
				// linker for this CPU, or native access denied: JNA may still work.
				failures.add(new SkippedBinding("FFM", ex));
			}
		}
		try {
			Binding binding = new Binding(new JnaNativeCalls(), failures);
			if (!failures.isEmpty()) {
				logger.log(Level.INFO, () -> "libc through JNA: " + failures.get(0).describe());
			}
			return binding;
		}
		catch (LinkageError | RuntimeException ex) {
			failures.add(new SkippedBinding("JNA", ex));
			return new Binding(null, failures);
		}
	}

	private static String fix(List<SkippedBinding> failures) {
		boolean denied = failures.stream().anyMatch(SkippedBinding::nativeAccessDenied);
		boolean jnaMissing = failures.stream().anyMatch(SkippedBinding::jnaMissing);
		List<String> fixes = new ArrayList<>(2);
		if (denied) {
			fixes.add("allow native access: --enable-native-access=ALL-UNNAMED on the java command line (or "
					+ "--enable-native-access=io.github.updatelock,com.sun.jna on the module path), or "
					+ "'Enable-Native-Access: ALL-UNNAMED' in an executable jar's manifest");
		}
		if (jnaMissing) {
			fixes.add("add JNA (net.java.dev.jna:jna, module com.sun.jna) to the class or module path");
		}
		if (fixes.isEmpty()) {
			fixes.add("run on a JDK and CPU that FFM (Java 22+) or JNA supports, with JNA on the class or module path");
		}
		return String.join("; ", fixes);
	}

	private record Binding(NativeCalls calls, List<SkippedBinding> failures) {

		Binding {
			failures = List.copyOf(failures);
		}

		String describeFailures() {
			return String.join("; ", this.failures.stream().map(SkippedBinding::describe).toList());
		}

	}

	/** A binding that did not load, and why. */
	private record SkippedBinding(String name, Throwable failure) {

		/** Past the wrappers (ExceptionInInitializerError, InvocationTargetException) to what really failed. */
		Throwable rootCause() {
			Throwable cause = this.failure;
			while (cause.getCause() != null && cause.getCause() != cause) {
				cause = cause.getCause();
			}
			return cause;
		}

		String describe() {
			Throwable root = rootCause();
			String reason = root.getClass().getName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
			if (root instanceof ClassNotFoundException && this.name.equals("FFM")) {
				reason = "the FFM classes are not in this jar's META-INF/versions/22 or are not read (a jar "
						+ "built on a JDK before 22, or repacked without 'Multi-Release: true') (" + reason + ")";
			}
			return this.name + " skipped: " + reason;
		}

		boolean nativeAccessDenied() {
			return rootCause() instanceof IllegalCallerException;
		}

		boolean jnaMissing() {
			Throwable root = rootCause();
			return this.name.equals("JNA") && (root instanceof NoClassDefFoundError
					|| root instanceof ClassNotFoundException) && String.valueOf(root.getMessage()).contains("jna");
		}

	}

}
