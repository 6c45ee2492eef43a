package io.github.updatelock.internal;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a manager knows of the libc binding: which one serves, or why none does and what
 * would fix it. Usually {@link #loaded()}; tests make one {@link #unavailable} to see how a
 * manager behaves on a JVM where no binding can load.
 *
 * @param name {@code "FFM"}, {@code "JNA"} or {@code "none"}
 * @param failure why none loaded, each binding's root cause named; {@code null} when one did
 * @param causes the root causes of the bindings that failed to load, the one tried first first
 * @param fix what to do so that one loads; {@code null} when one did
 */
public record LibcBinding(String name, @Nullable String failure, List<Throwable> causes, @Nullable String fix) {

	public LibcBinding {
		causes = List.copyOf(causes);
	}

	/**
	 * The binding of this process, loading it on first use.
	 * @return the binding
	 */
	public static LibcBinding loaded() {
		return new LibcBinding(NativeAccess.binding(), NativeAccess.loadFailure(), NativeAccess.loadFailureCauses(),
				NativeAccess.fix());
	}

	/**
	 * A binding that failed to load, as where native access is denied or JNA is missing.
	 * @param failure what loading it threw
	 * @param fix what would make it load
	 * @return the binding
	 */
	public static LibcBinding unavailable(Throwable failure, String fix) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return new LibcBinding("none", root.toString(), List.of(root), fix);
	}

	public boolean available() {
		return this.failure == null;
	}

	/**
	 * Why none loaded and what to do about it, for a warning.
	 * @return the failure and the fix, or {@code null} when a binding loaded
	 */
	public @Nullable String failureAndFix() {
		return (this.failure != null) ? this.failure + "; to hold it, " + this.fix : null;
	}

}
