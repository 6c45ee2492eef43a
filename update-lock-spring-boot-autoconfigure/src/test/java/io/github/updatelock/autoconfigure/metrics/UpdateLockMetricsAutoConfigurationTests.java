package io.github.updatelock.autoconfigure.metrics;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.aop.HoldUpdateLockSkippedEvent;
import io.github.updatelock.fleet.BalenaApiSettings;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.metrics.UpdateLockFleetMetrics;
import io.github.updatelock.metrics.UpdateLockMetrics;
import io.github.updatelock.metrics.UpdateLockSupervisorMetrics;
import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UpdateLockMetricsAutoConfiguration}.
 */
class UpdateLockMetricsAutoConfigurationTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, UpdateLockMetricsAutoConfiguration.class))
		.withPropertyValues("test.update-lock.path=" + directory.resolve("updates.lock"));

	@Test
	void metersAreBoundToTheRegistry() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, RegistryConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(UpdateLockMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find(UpdateLockMetrics.HELD).gauge()).isNotNull();
				assertThat(registry.find(UpdateLockMetrics.ACQUISITIONS).counters()).hasSize(4);
			});
	}

	@Test
	void callsSkippedByTheAdviceAreCounted() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, RegistryConfiguration.class)
			.run((context) -> {
				context.publishEvent(new HoldUpdateLockSkippedEvent("nightly-sync", "SyncJob#run"));
				assertThat(context.getBean(MeterRegistry.class)
					.get(UpdateLockMetrics.ACQUISITIONS)
					.tag("outcome", "skipped")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void metersCanBeSwitchedOffLikeAnyOther() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, RegistryConfiguration.class)
			.withPropertyValues("management.metrics.enable.update.lock=false")
			.run((context) -> assertThat(context.getBean(MeterRegistry.class).find(UpdateLockMetrics.HELD).meter())
				.isNull());
	}

	@Test
	void supervisorMetersJoinWhenTheSupervisorIsWatched() {
		this.contextRunner
			.withUserConfiguration(ManagerConfiguration.class, RegistryConfiguration.class, MonitorConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(UpdateLockSupervisorMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find(UpdateLockSupervisorMetrics.UPDATE_PENDING).gauge()).isNotNull();
				assertThat(registry.find(UpdateLockSupervisorMetrics.PENDING_UPDATES).functionCounter()).isNotNull();
			});
	}

	@Test
	void supervisorMetersAreAbsentWithoutAMonitor() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, RegistryConfiguration.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(UpdateLockSupervisorMetrics.class);
				assertThat(context.getBean(MeterRegistry.class).find("update.lock.supervisor.reachable").meter())
					.isNull();
			});
	}

	@Test
	void metricsAreAbsentWithoutARegistry() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UpdateLockMetrics.class));
	}

	@Test
	void metricsAreAbsentWithoutAManager() {
		this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UpdateLockMetrics.class));
	}

	@Test
	void metricsAreAbsentWithoutMicrometer() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(UpdateLockManager.class)
				.doesNotHaveBean(UpdateLockMetrics.class));
	}

	@Test
	void metricsAreAbsentWithoutSpringBootMetrics() {
		// Micrometer alone binds nothing: without Spring Boot's metrics support no one would call bindTo.
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UpdateLockMetricsAutoConfiguration.class))
			.withPropertyValues("test.update-lock.path=" + directory.resolve("updates.lock"))
			.withUserConfiguration(ManagerConfiguration.class, RegistryConfiguration.class)
			.withClassLoader(new FilteredClassLoader(MetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UpdateLockMetrics.class));
	}

	@Test
	void userDefinedMetricsAreUsed() {
		this.contextRunner
			.withUserConfiguration(ManagerConfiguration.class, RegistryConfiguration.class,
					CustomMetricsConfiguration.class)
			.run((context) -> assertThat(context).getBean(UpdateLockMetrics.class)
				.isSameAs(context.getBean("customUpdateLockMetrics")));
	}

	@Test
	void fleetMetersJoinWhenTagsArePublished() {
		this.contextRunner
			.withUserConfiguration(ManagerConfiguration.class, RegistryConfiguration.class, FleetConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(UpdateLockFleetMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find(UpdateLockFleetMetrics.WRITES).functionCounter()).isNotNull();
				assertThat(registry.find(UpdateLockFleetMetrics.FAILURES).functionCounter()).isNotNull();
				assertThat(registry.find(UpdateLockFleetMetrics.CONSECUTIVE_FAILURES).gauge()).isNotNull();
			});
	}

	@Test
	void fleetMetersAreAbsentWithoutAPublisher() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, RegistryConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(UpdateLockFleetMetrics.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class ManagerConfiguration {

		@Bean(destroyMethod = "close")
		UpdateLockManager updateLockManager(Environment environment) {
			return UpdateLockManager.builder()
				.lockPath(Path.of(environment.getRequiredProperty("test.update-lock.path")))
				.environment(Map.of())
				.shutdownHook(false)
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MonitorConfiguration {

		@Bean(destroyMethod = "close")
		UpdatePendingMonitor updatePendingMonitor(UpdateLockManager manager) {
			// Never polls here: no hold is taken, so the address need not answer.
			SupervisorClient client = new SupervisorClient(
					SupervisorApiSettings.of(URI.create("http://127.0.0.1:48484"), "unused-key"));
			return UpdatePendingMonitor.builder(manager, client).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomMetricsConfiguration {

		@Bean
		UpdateLockMetrics customUpdateLockMetrics(UpdateLockManager manager) {
			return new UpdateLockMetrics(manager);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FleetConfiguration {

		@Bean(destroyMethod = "close")
		FleetTagPublisher fleetTagPublisher(UpdateLockManager manager) {
			// Nothing answers there: the publisher backs off, and only its state is read here.
			return FleetTagPublisher
				.builder(manager, BalenaApiSettings.of(URI.create("http://127.0.0.1:9"), "unused-key", "0123456"))
				.build();
		}

	}

}
