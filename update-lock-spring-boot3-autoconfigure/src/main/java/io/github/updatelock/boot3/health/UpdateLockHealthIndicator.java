package io.github.updatelock.boot3.health;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.actuate.health.UpdateLockHealthCheck;
import io.github.updatelock.actuate.health.UpdateLockHealthReport;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The update lock's {@link HealthIndicator} on Spring Boot 3.5, contributed as
 * {@code updateLock}: {@code UP} or {@code DOWN} with the details of an
 * {@link UpdateLockHealthCheck}, which says when and why.
 */
public class UpdateLockHealthIndicator extends AbstractHealthIndicator {

	private final UpdateLockHealthCheck check;

	/**
	 * Creates an indicator.
	 * @param manager the manager to check
	 * @param pendingMonitor the Supervisor monitor, or {@code null} when the Supervisor API is
	 * not used
	 * @param fleetPublisher the fleet tag publisher, or {@code null} when fleet visibility is off
	 */
	public UpdateLockHealthIndicator(UpdateLockManager manager, @Nullable UpdatePendingMonitor pendingMonitor,
			@Nullable FleetTagPublisher fleetPublisher) {
		super("Update lock health check failed");
		this.check = new UpdateLockHealthCheck(manager, pendingMonitor, fleetPublisher);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		UpdateLockHealthReport report = this.check.check();
		(report.up() ? builder.up() : builder.down()).withDetails(report.details());
	}

}
