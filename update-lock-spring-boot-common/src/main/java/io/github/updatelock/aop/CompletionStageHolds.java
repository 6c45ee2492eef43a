package io.github.updatelock.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.updatelock.UpdateLockHold;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a hold for as long as the work behind a returned {@code CompletionStage} runs, and
 * hands the caller a dependent copy of that stage. A caller who cancels its copy, times it
 * out ({@code orTimeout}) or completes it only ends its own wait: the work's stage, which
 * the hold follows, is not touched, so the lock stays until the work itself ends (a
 * {@code CompletableFuture}'s cancel never stops the thread that runs the work anyway).
 * <p>
 * The copy is what the method's declared type allows, decided once per method:
 * <ul>
 * <li>{@code CompletionStage}, {@code CompletableFuture} (or a supertype of it): a new
 * {@code CompletableFuture};</li>
 * <li>a subclass of {@code CompletableFuture} that makes its dependants of its own class
 * ({@code newIncompleteFuture()} overridden): such a dependant;</li>
 * <li>any other type: none can be made, so the caller gets the work's own stage, and
 * whoever completes or cancels it ends the hold. This is logged once per method.</li>
 * </ul>
 */
final class CompletionStageHolds {

	private final Class<?> declaredType;

	private final boolean newFuture;

	private final boolean copyable;

	private CompletionStageHolds(Class<?> declaredType, boolean newFuture, boolean copyable) {
		this.declaredType = declaredType;
		this.newFuture = newFuture;
		this.copyable = copyable;
	}

	/**
	 * How the callers of a method declared to return a {@code CompletionStage} type get
	 * their copy.
	 * @param declaredType the method's declared return type
	 * @return the strategy for that type
	 */
	static CompletionStageHolds forReturnType(Class<?> declaredType) {
		if (declaredType.isAssignableFrom(CompletableFuture.class)) {
			return new CompletionStageHolds(declaredType, true, true);
		}
		return new CompletionStageHolds(declaredType, false,
				CompletableFuture.class.isAssignableFrom(declaredType) && makesDependantsOfItsOwnClass(declaredType));
	}

	private static boolean makesDependantsOfItsOwnClass(Class<?> futureType) {
		try {
			return futureType.getMethod("newIncompleteFuture").getDeclaringClass() != CompletableFuture.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	/**
	 * Whether callers get a copy; when not, their cancel of the stage ends the hold.
	 * @return {@code true} when the declared type lets the advice make a copy
	 */
	boolean copiesForCaller() {
		return this.copyable;
	}

	/**
	 * Releases the hold when the work's stage completes, then completes the caller's copy
	 * the same way (the same value, the very same exception), so that nothing the caller
	 * chains to its copy runs before the hold has ended, or can delay that.
	 * @param work what the advised method returned
	 * @param hold the call's hold
	 * @return what the caller gets: its copy, or the work's stage when none can be made
	 */
	Object releaseWhenDone(CompletionStage<?> work, UpdateLockHold hold) {
		CompletableFuture<Object> callers = copyFor(work);
		work.whenComplete((value, failure) -> {
			try {
				hold.release();
			}
			finally {
				if (callers != null) {
					relay(value, failure, callers);
				}
			}
		});
		return (callers != null) ? callers : work;
	}

	@SuppressWarnings("unchecked")
	private @Nullable CompletableFuture<Object> copyFor(CompletionStage<?> work) {
		if (this.newFuture) {
			return new CompletableFuture<>();
		}
		if (this.copyable && work instanceof CompletableFuture<?> future) {
			CompletableFuture<Object> dependant = (CompletableFuture<Object>) future.newIncompleteFuture();
			// A subclass of the declared type may make dependants of a class that is not.
			return this.declaredType.isInstance(dependant) ? dependant : null;
		}
		return null;
	}

	private static void relay(@Nullable Object value, @Nullable Throwable failure, CompletableFuture<Object> callers) {
		if (failure != null) {
			callers.completeExceptionally(failure);
		}
		else {
			callers.complete(value);
		}
	}

}
