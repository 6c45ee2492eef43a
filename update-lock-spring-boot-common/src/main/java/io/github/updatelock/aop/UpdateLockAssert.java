package io.github.updatelock.aop;

/**
 * Proves that {@link HoldUpdateLock @HoldUpdateLock} really applies. Call
 * {@link #assertHeld()} at the start of an annotated method: it throws when the method
 * runs without the advice, which happens silently otherwise (a call on {@code this}, a
 * {@code final} or {@code private} method, an object Spring does not manage, the update
 * lock switched off). Shipped in the main jar, beside the advice, because application code
 * calls it too, like ShedLock's {@code LockAssert}.
 * <p>
 * It looks for the advice on the current thread's stack, so it works in the body of a
 * plain method, of a method returning a reactive type such as a {@code Mono} or a
 * {@code Flux} (called per subscription inside its hold), and in the synchronous part of a
 * method returning a {@code CompletionStage}; not inside the asynchronous work such methods
 * start (the operators of the returned publisher, the stages of the future), nor in a
 * Kotlin {@code suspend} function, which Spring's proxy runs as such work. The stack walk takes a
 * few microseconds: cheap for a test or a critical section, not meant for a tight loop. It
 * proves that a hold was granted, not that the lock file protects, nor under which name:
 * see the manager's {@code snapshot()} for both. In unit tests that call such a method
 * without Spring, use {@link TestHelper#makeAllAssertsPass(boolean)}.
 */
public final class UpdateLockAssert {

	private static volatile boolean allPass;

	private UpdateLockAssert() {
	}

	/**
	 * Asserts that the current thread runs inside a {@code @HoldUpdateLock} call whose hold
	 * was granted.
	 * @throws IllegalStateException if it does not
	 */
	public static void assertHeld() {
		if (!allPass && !HoldUpdateLockInterceptor.isHoldingOnCurrentThread()) {
			throw new IllegalStateException("No @HoldUpdateLock hold on this thread: the method runs without the "
					+ "update lock (called on 'this', final or private, not a Spring bean, or update-lock.enabled=false)");
		}
	}

	/**
	 * For unit tests that call methods using {@link UpdateLockAssert} without Spring.
	 */
	public static final class TestHelper {

		private TestHelper() {
		}

		/**
		 * Makes every assertion pass, or restores normal checking. Reset it after the test.
		 * @param allAssertsPass whether all assertions pass
		 */
		public static void makeAllAssertsPass(boolean allAssertsPass) {
			allPass = allAssertsPass;
		}

	}

}
