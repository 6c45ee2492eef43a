package io.github.updatelock.autoconfigure.health;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.fleet.BalenaApiSettings;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.health.UpdateLockHealthIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UpdateLockHealthContributorAutoConfiguration}.
 */
class UpdateLockHealthContributorAutoConfigurationTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UpdateLockHealthContributorAutoConfiguration.class))
		.withPropertyValues("test.update-lock.path=" + directory.resolve("updates.lock"));

	@Test
	void indicatorIsContributedByDefault() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(UpdateLockHealthIndicator.class)
				.hasBean("updateLockHealthIndicator"));
	}

	@Test
	void indicatorIsRegisteredUnderTheNameUpdateLock() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
					HealthContributorRegistryAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(HealthContributorRegistry.class).getContributor("updateLock"))
				.isSameAs(context.getBean(UpdateLockHealthIndicator.class)));
	}

	@Test
	void indicatorCanBeSwitchedOff() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withPropertyValues("management.health.updatelock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(UpdateLockHealthIndicator.class));
	}

	@Test
	void indicatorFollowsTheDefaultForAllIndicators() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(UpdateLockHealthIndicator.class));
	}

	@Test
	void indicatorIsAbsentWithoutAManager() {
		this.contextRunner
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UpdateLockHealthIndicator.class));
	}

	@Test
	void indicatorIsAbsentWithoutSpringBootHealth() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withClassLoader(new FilteredClassLoader(Health.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(UpdateLockManager.class)
				.doesNotHaveBean(UpdateLockHealthIndicator.class));
	}

	@Test
	void userDefinedIndicatorOfTheSameNameWins() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, CustomIndicatorConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(UpdateLockHealthIndicator.class)
				.getBean("updateLockHealthIndicator")
				.isInstanceOf(HealthIndicator.class));
	}

	@Test
	void theFleetPublisherAddsADetail() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, FleetConfiguration.class)
			.run((context) -> {
				Health health = context.getBean(UpdateLockHealthIndicator.class).health();
				assertThat(health.getDetails()).containsKey("fleet");
				assertThat(health.getStatus()).isEqualTo(Status.UP);
			});
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
	static class CustomIndicatorConfiguration {

		@Bean
		HealthIndicator updateLockHealthIndicator() {
			return () -> Health.up().build();
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
