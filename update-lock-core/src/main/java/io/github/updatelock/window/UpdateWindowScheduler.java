package io.github.updatelock.window;

import java.time.Duration;

/**
 * Runs an {@link UpdateWindowGuard}'s wake-ups and lock acquisitions off the caller's
 * thread. The guard asks for one delayed task at a time and cancels the previous one when
 * it plans anew; tasks may run on any thread. A framework adapts its own task scheduler;
 * tests run the tasks by hand.
 */
public interface UpdateWindowScheduler extends AutoCloseable {

	/**
	 * Runs a task once after a delay.
	 * @param task the task
	 * @param delay zero or more; measured in elapsed time, not on the wall clock
	 * @return a handle that cancels the task if it has not started
	 */
	Cancellable schedule(Runnable task, Duration delay);

	/**
	 * Stops the scheduler if it owns threads. The default does nothing.
	 */
	@Override
	default void close() {
	}

	/**
	 * A scheduler with one daemon thread of its own, which {@link #close()} stops (interrupting
	 * a lock acquisition that is waiting).
	 * @return a new scheduler
	 */
	static UpdateWindowScheduler singleThread() {
		return new SingleThreadUpdateWindowScheduler();
	}

	/**
	 * Cancels a scheduled task.
	 */
	@FunctionalInterface
	interface Cancellable {

		/**
		 * Cancels the task if it has not started; does nothing otherwise.
		 */
		void cancel();

	}

}
