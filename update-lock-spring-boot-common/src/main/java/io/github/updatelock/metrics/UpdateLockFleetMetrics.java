package io.github.updatelock.metrics;

import java.util.Objects;

import io.github.updatelock.fleet.FleetTagPublisher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for a {@link FleetTagPublisher}. Every meter reads the publisher's state
 * when it is measured, so measuring never calls balenaCloud.
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>meaning</th></tr>
 * <tr><td>{@value #WRITES}</td><td>counter</td><td>device tags written or removed</td></tr>
 * <tr><td>{@value #FAILURES}</td><td>counter</td><td>attempts that failed (no answer, refused
 * key, unknown device, 429, unexpected answer)</td></tr>
 * <tr><td>{@value #CONSECUTIVE_FAILURES}</td><td>gauge</td><td>attempts that failed since the
 * last success; 0 while the tags are up to date or being written</td></tr>
 * </table>
 */
public class UpdateLockFleetMetrics implements MeterBinder {

	/** Counter of device tags written or removed. */
	public static final String WRITES = "update.lock.fleet.writes";

	/** Counter of failed attempts to reach the balenaCloud API. */
	public static final String FAILURES = "update.lock.fleet.failures";

	/** Gauge of the failed attempts since the last success. */
	public static final String CONSECUTIVE_FAILURES = "update.lock.fleet.consecutive.failures";

	private final FleetTagPublisher publisher;

	/**
	 * Creates the meters' source; nothing is registered before {@link #bindTo(MeterRegistry)}.
	 * @param publisher the publisher to measure
	 */
	public UpdateLockFleetMetrics(FleetTagPublisher publisher) {
		this.publisher = Objects.requireNonNull(publisher, "publisher");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder(WRITES, this.publisher, (publisher) -> publisher.state().writes())
			.description("balenaCloud device tags written or removed to show the update lock")
			.register(registry);
		FunctionCounter.builder(FAILURES, this.publisher, (publisher) -> publisher.state().failures())
			.description("Failed attempts to write the update lock's balenaCloud device tags")
			.register(registry);
		Gauge.builder(CONSECUTIVE_FAILURES, this.publisher, (publisher) -> publisher.state().consecutiveFailures())
			.description("Failed attempts to write the balenaCloud device tags since the last success")
			.register(registry);
	}

}
