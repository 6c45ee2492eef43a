package io.github.updatelock.supervisor;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.updatelock.UpdateLockScheduler;

/**
 * An {@link UpdateLockScheduler} that runs nothing by itself: a test runs the monitor's
 * steps (a poll, the handling of its answer) with {@link #runNext()}, so no test waits for
 * a real interval. The monitor plans one step at a time, so they run in the order planned.
 * The core's own manual scheduler cannot be shared: its package belongs to the core module.
 */
final class ManualPollScheduler implements UpdateLockScheduler {

	private final Queue<Step> steps = new ConcurrentLinkedQueue<>();

	@Override
	public Cancellable schedule(Runnable task, Duration delay) {
		Step step = new Step(task, delay);
		this.steps.add(step);
		return () -> this.steps.remove(step);
	}

	/** Runs the first planned step, as if its delay had passed. */
	void runNext() {
		Step step = this.steps.remove();
		step.task().run();
	}

	int plannedCount() {
		return this.steps.size();
	}

	Duration nextDelay() {
		return this.steps.element().delay();
	}

	/** A class rather than a record: two plans of the same task must stay distinct. */
	private static final class Step {

		private final Runnable task;

		private final Duration delay;

		Step(Runnable task, Duration delay) {
			this.task = task;
			this.delay = delay;
		}

		Runnable task() {
			return this.task;
		}

		Duration delay() {
			return this.delay;
		}

	}

}
