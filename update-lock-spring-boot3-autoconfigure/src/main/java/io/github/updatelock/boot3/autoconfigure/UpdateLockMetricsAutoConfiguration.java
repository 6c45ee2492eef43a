package io.github.updatelock.boot3.autoconfigure;

import io.github.updatelock.metrics.UpdateLockMetrics;
import io.github.updatelock.metrics.UpdateLockMetricsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration for {@link UpdateLockMetrics} on Spring Boot 3.5: present when Micrometer
 * and Spring Boot's metrics support are on the class path and both a {@link MeterRegistry}
 * and an {@link io.github.updatelock.UpdateLockManager} bean exist; the binders themselves
 * are {@link UpdateLockMetricsConfiguration}'s. The meters can be switched off like any
 * other, with {@code management.metrics.enable.update.lock=false}.
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class },
		afterName = { "io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration",
				"io.github.updatelock.autoconfigure.supervisor.SupervisorApiAutoConfiguration",
				"io.github.updatelock.autoconfigure.fleet.FleetAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean(MeterRegistry.class)
@Import(UpdateLockMetricsConfiguration.class)
public final class UpdateLockMetricsAutoConfiguration {

}
