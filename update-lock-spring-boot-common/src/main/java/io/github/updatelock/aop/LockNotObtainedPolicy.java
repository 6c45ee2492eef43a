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
	 * {@code CompletionStage} methods, before any stage exists; for reactive types and
	 * {@code suspend} functions: fail the subscription or the call with it).
	 */
	THROW,

	/**
	 * Do not call the method, publish a {@link HoldUpdateLockSkippedEvent} and return
	 * "nothing": {@code null}, the zero value of a primitive, an empty {@code Optional},
	 * a completed {@code CompletableFuture} of {@code null}, {@code null} from a Kotlin
	 * {@code suspend} function. For reactive types, whose hold is taken on subscription, the
	 * subscription completes empty (and publishes the event) without calling the method. A
	 * reactive type that cannot be empty (RxJava's {@code Single}) cannot be skipped: on the
	 * annotation, this policy makes it fail at startup; as the configured default, its
	 * subscription fails as under {@link #THROW}. Suits scheduled jobs that simply run again
	 * later.
	 */
	SKIP

}
