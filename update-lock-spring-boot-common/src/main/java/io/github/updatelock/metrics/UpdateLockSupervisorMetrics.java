package io.github.updatelock.metrics;

import java.util.Objects;

import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for an {@link UpdatePendingMonitor}. Every meter reads the monitor's
 * view when it is measured, so measuring never calls the Supervisor.
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>meaning</th></tr>
 * <tr><td>{@value #PENDING_UPDATES}</td><td>counter</td><td>distinct pending updates seen
 * waiting on the lock</td></tr>
 * <tr><td>{@value #UPDATE_PENDING}</td><td>gauge</td><td>1 while the last successful poll
 * found an update waiting on the lock, else 0</td></tr>
 * <tr><td>{@value #REACHABLE}</td><td>gauge</td><td>1 while the last poll got the
 * documented answers, else 0 (also before the first poll)</td></tr>
 * <tr><td>{@value #POLL_FAILURES}</td><td>counter</td><td>polls that failed (no answer,
 * refused key, unexpected answer)</td></tr>
 * <tr><td>{@value #YIELDS}</td><td>counter</td><td>times holds were yielded to a pending
 * update</td></tr>
 * </table>
 */
public class UpdateLockSupervisorMetrics implements MeterBinder {

	/** Counter of distinct pending updates. */
	public static final String PENDING_UPDATES = "update.lock.supervisor.pending.updates";

	/** Gauge: 1 while an update waits on the lock, else 0. */
	public static final String UPDATE_PENDING = "update.lock.supervisor.update.pending";

	/** Gauge: 1 while the Supervisor answers, else 0. */
	public static final String REACHABLE = "update.lock.supervisor.reachable";

	/** Counter of failed polls. */
	public static final String POLL_FAILURES = "update.lock.supervisor.poll.failures";

	/** Counter of yields to pending updates. */
	public static final String YIELDS = "update.lock.supervisor.yields";

	private final UpdatePendingMonitor monitor;

	/**
	 * Creates the meters' source; nothing is registered before {@link #bindTo(MeterRegistry)}.
	 * @param monitor the monitor to measure
	 */
	public UpdateLockSupervisorMetrics(UpdatePendingMonitor monitor) {
		this.monitor = Objects.requireNonNull(monitor, "monitor");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder(PENDING_UPDATES, this.monitor, (monitor) -> monitor.view().pendingUpdates())
			.description("Distinct updates seen waiting on the update lock")
			.register(registry);
		Gauge.builder(UPDATE_PENDING, this.monitor, (monitor) -> monitor.view().updatePending() ? 1 : 0)
			.description("Whether an update waits on the update lock (1) or not (0)")
			.register(registry);
		Gauge.builder(REACHABLE, this.monitor, (monitor) -> monitor.view().reachable() ? 1 : 0)
			.description("Whether the last poll of the Supervisor API got an answer (1) or not (0)")
			.register(registry);
		FunctionCounter.builder(POLL_FAILURES, this.monitor, (monitor) -> monitor.view().failedPolls())
			.description("Failed polls of the Supervisor API")
			.register(registry);
		FunctionCounter.builder(YIELDS, this.monitor, (monitor) -> monitor.view().yields())
			.description("Times update lock holds were yielded to a pending update")
			.register(registry);
	}

}
