package io.github.updatelock.aop;

/**
 * Which {@link HoldUpdateLock @HoldUpdateLock} hold the current thread runs under, if any.
 * This is what {@code io.github.updatelock.test.UpdateLockAssert} checks; applications
 * rarely need it directly.
 * <p>
 * It is set around the synchronous part of an advised call: the whole body of a plain
 * method, the body of a method returning a {@code CompletionStage} (not the asynchronous
 * work it starts), and never for {@code Mono}/{@code Flux} methods, whose hold belongs to
 * a subscription rather than to a thread.
 */
public final class AdvisedHold {

	// A plain String with save-and-restore instead of a stack of frames: entering and
	// leaving then allocates nothing, which keeps the advice's hot path cheap.
	private static final ThreadLocal<String> current = new ThreadLocal<>();

	private AdvisedHold() {
	}

	/**
	 * The name of the innermost advised hold on this thread.
	 * @return the hold name, or {@code null} outside any advised call
	 */
	public static String currentName() {
		return current.get();
	}

	static String enter(String holdName) {
		String previous = current.get();
		current.set(holdName);
		return previous;
	}

	static void exit(String previous) {
		current.set(previous);
	}

}
