package io.github.updatelock.boot3.autoconfigure;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.boot3.health.UpdateLockHealthIndicator;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.supervisor.UpdatePendingMonitor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@link UpdateLockHealthIndicator}, contributed as
 * {@code updateLock}: present when Spring Boot's health support is on the class path and an
 * {@link UpdateLockManager} bean exists; it adds Supervisor details when an
 * {@link UpdatePendingMonitor} bean exists, and fleet details when a
 * {@link FleetTagPublisher} bean exists. Switched off with
 * {@code management.health.updatelock.enabled=false}.
 */
@AutoConfiguration(before = HealthContributorAutoConfiguration.class,
		afterName = { "io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration",
				"io.github.updatelock.autoconfigure.supervisor.SupervisorApiAutoConfiguration",
				"io.github.updatelock.autoconfigure.fleet.FleetAutoConfiguration" })
@ConditionalOnClass(Health.class)
@ConditionalOnEnabledHealthIndicator("updatelock")
public final class UpdateLockHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnBean(UpdateLockManager.class)
	@ConditionalOnMissingBean(name = "updateLockHealthIndicator")
	UpdateLockHealthIndicator updateLockHealthIndicator(UpdateLockManager manager,
			ObjectProvider<UpdatePendingMonitor> pendingMonitor, ObjectProvider<FleetTagPublisher> fleetPublisher) {
		return new UpdateLockHealthIndicator(manager, pendingMonitor.getIfUnique(), fleetPublisher.getIfUnique());
	}

}
