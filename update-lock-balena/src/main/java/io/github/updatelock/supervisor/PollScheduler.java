package io.github.updatelock.supervisor;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link UpdatePendingMonitor}'s poll. A seam so that frameworks can supply their
 * own scheduler and tests can run polls on demand instead of waiting for real intervals.
 */
@FunctionalInterface
public interface PollScheduler {

	/**
	 * Runs {@code task} as soon as possible on a thread of the scheduler (never the
	 * caller's: the caller may be an application thread that just took a hold), then again
	 * {@code delay} after the end of each run, until cancelled.
	 * @param task the poll; it catches its own exceptions
	 * @param delay the pause between the end of one run and the start of the next
	 * @return a handle that stops further runs
	 */
	Cancellable scheduleWithFixedDelay(Runnable task, Duration delay);

	/**
	 * Runs the poll on an existing executor, which stays the caller's to shut down.
	 * @param executor the executor
	 * @return a scheduler backed by it
	 */
	static PollScheduler of(ScheduledExecutorService executor) {
		Objects.requireNonNull(executor, "executor");
		return (task, delay) -> {
			ScheduledFuture<?> future = executor.scheduleWithFixedDelay(task, 0, delay.toNanos(),
					TimeUnit.NANOSECONDS);
			return () -> future.cancel(false);
		};
	}

	/**
	 * Stops a scheduled poll.
	 */
	@FunctionalInterface
	interface Cancellable {

		/**
		 * Stops further runs; a run in progress finishes. Idempotent.
		 */
		void cancel();

	}

}
