package io.github.updatelock.test;

import io.github.updatelock.aop.AdvisedHold;

/**
 * Proves that {@link io.github.updatelock.aop.HoldUpdateLock @HoldUpdateLock} really
 * applies. Call {@link #assertHeld()} at the start of an annotated method: it throws when
 * the method runs without the advice, which happens silently otherwise (a call on
 * {@code this}, a {@code final} or {@code private} method, an object Spring does not
 * manage, the update lock switched off).
 * <p>
 * It checks the current thread, so it works in the body of a plain method and in the
 * synchronous part of a method returning a {@code CompletionStage}, not inside the
 * asynchronous work such a method starts, nor in a {@code Mono} or {@code Flux}. It proves
 * that a hold was granted, not that the lock file protects: see the manager's status for
 * that. In unit tests that call such a method without Spring, use
 * {@link TestHelper#makeAllAssertsPass(boolean)}.
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
		if (!allPass && AdvisedHold.currentName() == null) {
			throw new IllegalStateException("No @HoldUpdateLock hold on this thread: the method runs without the "
					+ "update lock (called on 'this', final or private, not a Spring bean, or update-lock.enabled=false)");
		}
	}

	/**
	 * Asserts that the innermost {@code @HoldUpdateLock} call on the current thread holds a
	 * hold of the given name.
	 * @param holdName the expected hold name
	 * @throws IllegalStateException if it does not
	 */
	public static void assertHeld(String holdName) {
		assertHeld();
		String current = AdvisedHold.currentName();
		if (!allPass && !current.equals(holdName)) {
			throw new IllegalStateException(
					"The @HoldUpdateLock hold on this thread is '" + current + "', not '" + holdName + "'");
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
