package io.github.updatelock;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link UpdateLockScheduler} whose tasks run only when a test says so, on the test's
 * thread. The next task is the one with the shortest delay (the earliest planned among
 * equals), as if time had passed until it was due.
 */
public final class ManualScheduler implements UpdateLockScheduler {

	private final List<Task> tasks = new CopyOnWriteArrayList<>();

	@Override
	public Cancellable schedule(Runnable task, Duration delay) {
		Task scheduled = new Task(task, delay, new AtomicBoolean());
		this.tasks.add(scheduled);
		return () -> scheduled.cancelled().set(true);
	}

	/**
	 * The tasks planned and not cancelled, in the order they were planned.
	 * @return the pending tasks
	 */
	public List<Task> pending() {
		return this.tasks.stream().filter((task) -> !task.cancelled().get()).toList();
	}

	/**
	 * The delay asked for the next task.
	 * @return the shortest pending delay
	 */
	public Duration nextDelay() {
		return next().delay();
	}

	/**
	 * Runs the next task, as if its delay had passed.
	 */
	public void runNext() {
		run(next());
	}

	/**
	 * Runs the first pending task planned with the given delay, leaving the others planned.
	 * @param delay the delay the task was planned with
	 */
	public void runNext(Duration delay) {
		run(pending().stream()
			.filter((task) -> task.delay().equals(delay))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No task is planned after " + delay)));
	}

	private void run(Task task) {
		this.tasks.removeIf((candidate) -> candidate == task || candidate.cancelled().get());
		task.runnable().run();
	}

	private Task next() {
		return pending().stream()
			.min(Comparator.comparing(Task::delay))
			.orElseThrow(() -> new AssertionError("No task is planned"));
	}

	/**
	 * A planned task.
	 *
	 * @param runnable what it runs
	 * @param delay the delay it was planned with
	 * @param cancelled whether it was cancelled
	 */
	public record Task(Runnable runnable, Duration delay, AtomicBoolean cancelled) {
	}

}
