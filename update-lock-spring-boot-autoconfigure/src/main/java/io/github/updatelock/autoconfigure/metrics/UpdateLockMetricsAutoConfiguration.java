package io.github.updatelock.autoconfigure.metrics;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.aop.HoldUpdateLockSkippedEvent;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.metrics.UpdateLockFleetMetrics;
import io.github.updatelock.metrics.UpdateLockMetrics;
import io.github.updatelock.metrics.UpdateLockSupervisorMetrics;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for {@link UpdateLockMetrics}: present when Micrometer and Spring
 * Boot's metrics support are on the class path and both a {@link MeterRegistry} and an
 * {@link UpdateLockManager} bean exist; {@link UpdateLockSupervisorMetrics} join them when an
 * {@link UpdatePendingMonitor} bean exists, and {@link UpdateLockFleetMetrics} when a
 * {@link FleetTagPublisher} bean exists. Spring Boot binds them to the registry. The meters
 * can be switched off like any other, with {@code management.metrics.enable.update.lock=false}.
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class },
		afterName = { "io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration",
				"io.github.updatelock.autoconfigure.supervisor.SupervisorApiAutoConfiguration",
				"io.github.updatelock.autoconfigure.fleet.FleetAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean(MeterRegistry.class)
public final class UpdateLockMetricsAutoConfiguration {

	@Bean
	@ConditionalOnBean(UpdateLockManager.class)
	@ConditionalOnMissingBean
	UpdateLockMetrics updateLockMetrics(UpdateLockManager manager) {
		return new UpdateLockMetrics(manager);
	}

	@Bean
	@ConditionalOnBean(UpdatePendingMonitor.class)
	@ConditionalOnMissingBean
	UpdateLockSupervisorMetrics updateLockSupervisorMetrics(UpdatePendingMonitor monitor) {
		return new UpdateLockSupervisorMetrics(monitor);
	}

	@Bean
	@ConditionalOnBean(FleetTagPublisher.class)
	@ConditionalOnMissingBean
	UpdateLockFleetMetrics updateLockFleetMetrics(FleetTagPublisher publisher) {
		return new UpdateLockFleetMetrics(publisher);
	}

	@Bean
	@ConditionalOnBean(UpdateLockMetrics.class)
	ApplicationListener<PayloadApplicationEvent<HoldUpdateLockSkippedEvent>> updateLockSkippedMeter(
			UpdateLockMetrics metrics) {
		// The core never sees a call the advice skipped, so the skip is counted from the advice's event.
		return ApplicationListener.forPayload((event) -> metrics.recordSkipped());
	}

}
