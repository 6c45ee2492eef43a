package io.github.updatelock.window;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link UpdateWindowScheduler}: one daemon thread, so that a pending wake-up
 * never keeps the JVM alive.
 */
final class SingleThreadUpdateWindowScheduler implements UpdateWindowScheduler {

	private final ScheduledThreadPoolExecutor executor;

	SingleThreadUpdateWindowScheduler() {
		this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "update-window");
			thread.setDaemon(true);
			return thread;
		});
		// The guard cancels a wake-up every time it plans anew; do not keep those in the queue.
		this.executor.setRemoveOnCancelPolicy(true);
	}

	@Override
	public Cancellable schedule(Runnable task, Duration delay) {
		ScheduledFuture<?> future = this.executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
		return () -> future.cancel(false);
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
