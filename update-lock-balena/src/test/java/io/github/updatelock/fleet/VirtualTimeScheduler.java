package io.github.updatelock.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.updatelock.UpdateLockScheduler;
import io.github.updatelock.testsupport.MutableClock;

/**
 * An {@link UpdateLockScheduler} on a {@link MutableClock}: a task is due once the clock has
 * reached its time, and runs only when a test calls {@link #runDue()}, so that hours of
 * backoff pass in a moment. {@link #advanceToNext(Instant)} moves the clock to the next
 * planned task.
 */
final class VirtualTimeScheduler implements UpdateLockScheduler {

	private final MutableClock clock;

	private final List<Task> tasks = new ArrayList<>();

	private long sequence;

	VirtualTimeScheduler(MutableClock clock) {
		this.clock = clock;
	}

	@Override
	public synchronized Cancellable schedule(Runnable runnable, Duration delay) {
		Task task = new Task(this.clock.instant().plus(delay), this.sequence++, runnable);
		this.tasks.add(task);
		return () -> remove(task);
	}

	/** Runs the tasks that are due, in the order of their time, and those they plan for now. */
	void runDue() {
		Task task;
		while ((task = takeDue()) != null) {
			task.runnable().run();
		}
	}

	synchronized boolean hasDue() {
		return this.tasks.stream().anyMatch((task) -> !task.at().isAfter(this.clock.instant()));
	}

	/** When the next task is due, or {@code null} when none is planned. */
	synchronized Instant nextDue() {
		return this.tasks.stream().min(Task.ORDER).map(Task::at).orElse(null);
	}

	/**
	 * Moves the clock to the next planned task if that comes no later than {@code limit}.
	 * @return whether the clock moved
	 */
	synchronized boolean advanceToNext(Instant limit) {
		Instant next = nextDue();
		if (next == null || next.isAfter(limit)) {
			return false;
		}
		if (next.isAfter(this.clock.instant())) {
			this.clock.set(next);
		}
		return true;
	}

	private synchronized void remove(Task task) {
		this.tasks.remove(task);
	}

	private synchronized Task takeDue() {
		Task first = this.tasks.stream().min(Task.ORDER).orElse(null);
		if (first == null || first.at().isAfter(this.clock.instant())) {
			return null;
		}
		this.tasks.remove(first);
		return first;
	}

	private record Task(Instant at, long sequence, Runnable runnable) {

		static final Comparator<Task> ORDER = Comparator.comparing(Task::at).thenComparingLong(Task::sequence);

	}

}
