package io.github.updatelock.aop;

/**
 * What a {@link HoldUpdateLock @HoldUpdateLock} method does when its hold cannot be had:
 * the lock stayed held by someone else (the Supervisor applying an update, another
 * instance, a foreign file) for the whole wait, or it cannot protect anything here and the
 * manager's unavailable policy is {@code FAIL}.
 */
public enum LockNotObtainedPolicy {

	/**
	 * Use {@code update-lock.advice.if-not-obtained}. Only valid on the annotation.
	 */
	DEFAULT,

	/**
	 * Do not call the method; throw an {@link UpdateLockNotObtainedException} (also for
	 * {@code CompletionStage} methods, before any stage exists; for {@code Mono} and
	 * {@code Flux} methods: fail the subscription with it).
	 */
	THROW,

	/**
	 * Do not call the method, publish a {@link HoldUpdateLockSkippedEvent} and return
	 * "nothing": {@code null}, the zero value of a primitive, an empty {@code Optional},
	 * a completed {@code CompletableFuture} of {@code null}. For {@code Mono} and
	 * {@code Flux} methods, whose hold is taken on subscription, the subscription completes
	 * empty (and publishes the event) without calling the method. Suits scheduled jobs
	 * that simply run again later.
	 */
	SKIP

}
