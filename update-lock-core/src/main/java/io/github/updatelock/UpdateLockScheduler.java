package io.github.updatelock;

import java.time.Duration;

/**
 * Runs the delayed tasks of an {@link UpdateLockManager} and of what is built on it: the
 * lost-lock watch, the retries of a {@link BackgroundHold}, update window transitions and
 * the end of operator holds. Tasks must not block for long: they share one thread unless
 * the scheduler says otherwise.
 * <p>
 * The manager creates one with a single daemon thread unless its builder is given another,
 * for example a scheduler that a test runs by hand.
 */
@FunctionalInterface
public interface UpdateLockScheduler {

	/**
	 * Runs a task once after a delay, never on the calling thread.
	 * @param task the task; it catches its own exceptions
	 * @param delay zero or more; measured in elapsed time, not on the wall clock
	 * @return a handle that cancels the task if it has not started
	 */
	Cancellable schedule(Runnable task, Duration delay);

	/**
	 * Cancels a scheduled task.
	 */
	@FunctionalInterface
	interface Cancellable {

		/**
		 * Cancels the task if it has not started; does nothing otherwise. Idempotent.
		 */
		void cancel();

	}

}
