package io.github.updatelock;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The manager's own {@link UpdateLockScheduler}: one daemon thread, so that a pending task
 * never keeps the JVM alive. Besides the shutdown hook, the library's only other thread is
 * the lock directory's watch, which runs only while the lock is held or waited for.
 */
final class SingleThreadScheduler implements UpdateLockScheduler {

	static final String THREAD_NAME = "update-lock";

	private final ScheduledThreadPoolExecutor executor;

	SingleThreadScheduler() {
		this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
		// Window guards and background holds cancel tasks often; do not keep those in the queue.
		this.executor.setRemoveOnCancelPolicy(true);
	}

	@Override
	public Cancellable schedule(Runnable task, Duration delay) {
		try {
			ScheduledFuture<?> future = this.executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
			return () -> future.cancel(false);
		}
		catch (RejectedExecutionException ex) {
			// The manager is closed: nothing it ran is needed any more.
			return () -> {
			};
		}
	}

	void shutdown() {
		this.executor.shutdownNow();
	}

}
