package io.github.updatelock.metrics;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.aop.HoldUpdateLockSkippedEvent;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.supervisor.UpdatePendingMonitor;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The meter binders of the update lock, for both Spring Boot lines: each line's metrics
 * auto-configuration imports this class once that line's metrics support has made a
 * {@link io.micrometer.core.instrument.MeterRegistry}, and Spring Boot binds the binders to
 * it. {@link UpdateLockSupervisorMetrics} join when an {@link UpdatePendingMonitor} bean
 * exists, and {@link UpdateLockFleetMetrics} when a {@link FleetTagPublisher} bean exists.
 */
@Configuration(proxyBeanMethods = false)
public class UpdateLockMetricsConfiguration {

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
