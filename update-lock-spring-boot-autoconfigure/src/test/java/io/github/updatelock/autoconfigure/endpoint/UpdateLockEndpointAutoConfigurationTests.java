package io.github.updatelock.autoconfigure.endpoint;

import java.net.URI;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.github.updatelock.OperatorHolds;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.actuate.endpoint.UpdateLockDescriptor;
import io.github.updatelock.actuate.endpoint.UpdateLockEndpoint;
import io.github.updatelock.actuate.endpoint.UpdateLockEndpointWebExtension;
import io.github.updatelock.context.UpdateLockStartupHold;
import io.github.updatelock.fleet.BalenaApiSettings;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.window.UpdateWindow;
import io.github.updatelock.window.UpdateWindowGuard;
import io.github.updatelock.window.UpdateWindowSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UpdateLockEndpointAutoConfiguration}.
 */
class UpdateLockEndpointAutoConfigurationTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withInitializer(UpdateLockEndpointAutoConfigurationTests::convertLikeSpringApplication)
		.withConfiguration(AutoConfigurations.of(UpdateLockEndpointAutoConfiguration.class))
		.withPropertyValues("test.update-lock.path=" + directory.resolve("updates.lock"));

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withInitializer(UpdateLockEndpointAutoConfigurationTests::convertLikeSpringApplication)
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				UpdateLockEndpointAutoConfiguration.class))
		.withUserConfiguration(ManagerConfiguration.class)
		.withPropertyValues("test.update-lock.path=" + directory.resolve("updates.lock"),
				"management.endpoints.web.exposure.include=updatelock");

	@Test
	void endpointIsAbsentUntilExposed() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(UpdateLockEndpoint.class));
	}

	@Test
	void endpointExposedOverHttpComesWithItsWebExtension() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatelock")
			.run((context) -> assertThat(context).hasSingleBean(UpdateLockEndpoint.class)
				.hasSingleBean(UpdateLockEndpointWebExtension.class));
	}

	@Test
	void operatorHoldsTakenThroughTheEndpointLiveInTheOperatorHoldsBean() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatelock",
					"management.endpoint.updatelock.access=unrestricted")
			.run((context) -> {
				assertThat(context).hasSingleBean(OperatorHolds.class);
				context.getBean(UpdateLockEndpoint.class).takeHold("maintenance", null, null);
				assertThat(context.getBean(OperatorHolds.class).find("maintenance")).isPresent();
				context.getBean(UpdateLockEndpoint.class).releaseHold("maintenance");
				assertThat(context.getBean(OperatorHolds.class).find("maintenance")).isEmpty();
			});
	}

	@Test
	void endpointExposedOnlyOverJmxHasNoWebExtension() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=updatelock")
			.run((context) -> assertThat(context).hasSingleBean(UpdateLockEndpoint.class)
				.doesNotHaveBean(UpdateLockEndpointWebExtension.class));
	}

	@Test
	void endpointIsAbsentWhenItsAccessIsNone() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatelock",
					"management.endpoint.updatelock.access=none")
			.run((context) -> assertThat(context).doesNotHaveBean(UpdateLockEndpoint.class));
	}

	@Test
	void endpointIsAbsentWithoutAManager() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=updatelock")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UpdateLockEndpoint.class));
	}

	@Test
	void endpointIsAbsentWithoutTheActuator() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=updatelock")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(UpdateLockManager.class)
				.doesNotHaveBean(UpdateLockEndpoint.class));
	}

	@Test
	void userDefinedEndpointIsUsed() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, CustomEndpointConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatelock")
			.run((context) -> assertThat(context).getBean(UpdateLockEndpoint.class)
				.isSameAs(context.getBean("customUpdateLockEndpoint")));
	}

	@Test
	void startupHoldStateComesFromTheStartupHoldBean() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, StartupHoldConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatelock")
			.run((context) -> {
				UpdateLockEndpoint endpoint = context.getBean(UpdateLockEndpoint.class);
				UpdateLockStartupHold startupHold = context.getBean(UpdateLockStartupHold.class);
				assertThat(endpoint.updateLock().startupHold()).isEqualTo("DISABLED");
				startupHold.take();
				assertThat(endpoint.updateLock().startupHold()).isEqualTo("HELD");
				startupHold.release();
				assertThat(endpoint.updateLock().startupHold()).isEqualTo("RELEASED");
			});
	}

	@Test
	void startupHoldStateIsNullWithoutAStartupHold() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatelock")
			.run((context) -> assertThat(context.getBean(UpdateLockEndpoint.class).updateLock().startupHold())
				.isNull());
	}

	@Test
	void windowGuardAndSupervisorMonitorReachTheEndpoint() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, WindowAndSupervisorConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatelock")
			.run((context) -> {
				UpdateLockDescriptor read = context.getBean(UpdateLockEndpoint.class).updateLock();
				assertThat(read.window().schedule()).isEqualTo("MON-FRI 02:00-04:00 (Europe/Berlin)");
				assertThat(read.supervisor().address()).isEqualTo("http://127.0.0.1:48484");
				assertThat(read.supervisor().polling()).isFalse();
			});
	}

	@Test
	void defaultAccessOffersOnlyTheReadOperationOverHttp() {
		this.webContextRunner
			.run((context) -> assertThat(webOperationTypes(context)).containsExactly(OperationType.READ));
	}

	@Test
	void unrestrictedAccessOffersTheOperatorHoldsOverHttp() {
		this.webContextRunner.withPropertyValues("management.endpoint.updatelock.access=unrestricted")
			.run((context) -> assertThat(webOperationTypes(context)).containsExactlyInAnyOrder(OperationType.READ,
					OperationType.WRITE, OperationType.DELETE));
	}

	@Test
	void accessCappedToReadOnlyForAllEndpointsKeepsTheWritesOff() {
		this.webContextRunner
			.withPropertyValues("management.endpoint.updatelock.access=unrestricted",
					"management.endpoints.access.max-permitted=read-only")
			.run((context) -> assertThat(webOperationTypes(context)).containsExactly(OperationType.READ));
	}

	private static List<OperationType> webOperationTypes(ApplicationContext context) {
		ExposableWebEndpoint endpoint = context.getBean(WebEndpointsSupplier.class)
			.getEndpoints()
			.stream()
			.filter((candidate) -> candidate.getEndpointId().equals(EndpointId.of("updatelock")))
			.findFirst()
			.orElseThrow();
		return endpoint.getOperations().stream().map(WebOperation::getType).toList();
	}

	/**
	 * Property values such as {@code read-only} bind to enums only with the conversion
	 * service a {@code SpringApplication} installs; a bare context runner lacks it.
	 */
	private static void convertLikeSpringApplication(ConfigurableApplicationContext context) {
		context.getEnvironment().setConversionService(new ApplicationConversionService());
	}

	@Test
	void theFleetPublisherReachesTheEndpoint() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class, FleetConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatelock")
			.run((context) -> {
				UpdateLockDescriptor read = context.getBean(UpdateLockEndpoint.class).updateLock();
				assertThat(read.fleet()).isNotNull();
				assertThat(read.fleet().enabled()).isTrue();
				assertThat(read.fleet().toString()).doesNotContain("unused-key");
			});
	}

	@Test
	void withoutAFleetPublisherTheViewIsNull() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatelock")
			.run((context) -> assertThat(context.getBean(UpdateLockEndpoint.class).updateLock().fleet()).isNull());
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
	static class WindowAndSupervisorConfiguration {

		@Bean
		UpdateWindowGuard updateWindowGuard(UpdateLockManager manager) {
			// Never started: the endpoint only reads its schedule and state.
			return UpdateWindowGuard.builder(manager, UpdateWindowSchedule.of(ZoneId.of("Europe/Berlin"),
					UpdateWindow.of("MON-FRI", LocalTime.of(2, 0), LocalTime.of(4, 0))))
				.build();
		}

		@Bean
		SupervisorClient supervisorClient() {
			return new SupervisorClient(SupervisorApiSettings.of(URI.create("http://127.0.0.1:48484"), "unused-key"));
		}

		@Bean(destroyMethod = "close")
		UpdatePendingMonitor updatePendingMonitor(UpdateLockManager manager, SupervisorClient client) {
			return UpdatePendingMonitor.builder(manager, client).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomEndpointConfiguration {

		@Bean
		UpdateLockEndpoint customUpdateLockEndpoint(UpdateLockManager manager) {
			return new UpdateLockEndpoint(manager);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StartupHoldConfiguration {

		@Bean
		UpdateLockStartupHold updateLockStartupHold(UpdateLockManager manager) {
			return new UpdateLockStartupHold(manager, "startup");
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
