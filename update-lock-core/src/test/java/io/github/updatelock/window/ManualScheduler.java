package io.github.updatelock.window;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link UpdateWindowScheduler} whose tasks run only when a test says so, on the test's
 * thread. The guard keeps exactly one wake-up planned, which {@link #runNext()} checks.
 */
final class ManualScheduler implements UpdateWindowScheduler {

	private final List<Task> tasks = new CopyOnWriteArrayList<>();

	@Override
	public Cancellable schedule(Runnable task, Duration delay) {
		Task scheduled = new Task(task, delay, new AtomicBoolean());
		this.tasks.add(scheduled);
		return () -> scheduled.cancelled().set(true);
	}

	List<Task> pending() {
		return this.tasks.stream().filter((task) -> !task.cancelled().get()).toList();
	}

	/**
	 * The delay asked for the one planned wake-up.
	 */
	Duration nextDelay() {
		return single().delay();
	}

	/**
	 * Runs the one planned wake-up, as if its delay had passed.
	 */
	void runNext() {
		Task task = single();
		this.tasks.removeIf((candidate) -> candidate == task || candidate.cancelled().get());
		task.runnable().run();
	}

	private Task single() {
		List<Task> pending = pending();
		assertThat(pending).as("planned wake-ups").hasSize(1);
		return pending.get(0);
	}

	record Task(Runnable runnable, Duration delay, AtomicBoolean cancelled) {
	}

}
