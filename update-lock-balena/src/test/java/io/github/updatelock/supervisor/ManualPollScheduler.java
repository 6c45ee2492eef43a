package io.github.updatelock.supervisor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PollScheduler} that runs nothing by itself: a test runs the scheduled polls with
 * {@link #runPolls()}, so no test waits for a real interval.
 */
final class ManualPollScheduler implements PollScheduler {

	private final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();

	@Override
	public Cancellable scheduleWithFixedDelay(Runnable task, Duration delay) {
		Scheduled entry = new Scheduled(task, delay);
		this.scheduled.add(entry);
		return () -> this.scheduled.remove(entry);
	}

	/** Runs each scheduled poll once, as if its delay had passed. */
	void runPolls() {
		for (Scheduled entry : List.copyOf(this.scheduled)) {
			entry.task().run();
		}
	}

	int scheduledCount() {
		return this.scheduled.size();
	}

	Duration delay() {
		return this.scheduled.get(0).delay();
	}

	/** A class rather than a record: two schedules of the same task must stay distinct. */
	private static final class Scheduled {

		private final Runnable task;

		private final Duration delay;

		Scheduled(Runnable task, Duration delay) {
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
