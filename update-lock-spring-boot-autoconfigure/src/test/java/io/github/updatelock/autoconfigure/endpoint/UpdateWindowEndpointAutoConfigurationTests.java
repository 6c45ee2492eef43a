package io.github.updatelock.autoconfigure.endpoint;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.actuate.endpoint.UpdateWindowEndpoint;
import io.github.updatelock.actuate.endpoint.UpdateWindowEndpointWebExtension;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UpdateWindowEndpointAutoConfiguration}.
 */
class UpdateWindowEndpointAutoConfigurationTests {

	@TempDir
	static Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
		.withConfiguration(AutoConfigurations.of(UpdateWindowEndpointAutoConfiguration.class));

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				UpdateWindowEndpointAutoConfiguration.class))
		.withUserConfiguration(WindowConfiguration.class)
		.withPropertyValues("management.endpoints.web.exposure.include=updatewindow");

	@Test
	void endpointIsAbsentUntilExposed() {
		this.contextRunner.withUserConfiguration(WindowConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(UpdateWindowEndpoint.class));
	}

	@Test
	void endpointExposedOverHttpComesWithItsWebExtension() {
		this.contextRunner.withUserConfiguration(WindowConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatewindow")
			.run((context) -> assertThat(context).hasSingleBean(UpdateWindowEndpoint.class)
				.hasSingleBean(UpdateWindowEndpointWebExtension.class));
	}

	@Test
	void endpointExposedOnlyOverJmxHasNoWebExtension() {
		this.contextRunner.withUserConfiguration(WindowConfiguration.class)
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=updatewindow")
			.run((context) -> assertThat(context).hasSingleBean(UpdateWindowEndpoint.class)
				.doesNotHaveBean(UpdateWindowEndpointWebExtension.class));
	}

	@Test
	void endpointIsAbsentWithoutWindows() {
		this.contextRunner.withUserConfiguration(ManagerConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatewindow")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UpdateWindowEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenItsAccessIsNone() {
		this.contextRunner.withUserConfiguration(WindowConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatewindow",
					"management.endpoint.updatewindow.access=none")
			.run((context) -> assertThat(context).doesNotHaveBean(UpdateWindowEndpoint.class));
	}

	@Test
	void endpointIsAbsentWithoutTheActuator() {
		this.contextRunner.withUserConfiguration(WindowConfiguration.class)
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=updatewindow")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UpdateWindowEndpoint.class));
	}

	@Test
	void userDefinedEndpointIsUsed() {
		this.contextRunner.withUserConfiguration(WindowConfiguration.class, CustomEndpointConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=updatewindow")
			.run((context) -> assertThat(context).getBean(UpdateWindowEndpoint.class)
				.isSameAs(context.getBean("customUpdateWindowEndpoint")));
	}

	@Test
	void defaultAccessOffersOnlyTheReadOperationOverHttp() {
		this.webContextRunner
			.run((context) -> assertThat(webOperationTypes(context)).containsExactly(OperationType.READ));
	}

	@Test
	void unrestrictedOperatorHoldsDoNotOpenTheWindowOperations() {
		this.webContextRunner.withPropertyValues("management.endpoint.updatelock.access=unrestricted")
			.run((context) -> assertThat(webOperationTypes(context)).containsExactly(OperationType.READ));
	}

	@Test
	void unrestrictedAccessOffersTheWindowOperationsOverHttp() {
		this.webContextRunner.withPropertyValues("management.endpoint.updatewindow.access=unrestricted")
			.run((context) -> assertThat(webOperationTypes(context)).containsExactlyInAnyOrder(OperationType.READ,
					OperationType.WRITE));
	}

	@Test
	void accessCappedToReadOnlyForAllEndpointsKeepsTheWritesOff() {
		this.webContextRunner
			.withPropertyValues("management.endpoint.updatewindow.access=unrestricted",
					"management.endpoints.access.max-permitted=read-only")
			.run((context) -> assertThat(webOperationTypes(context)).containsExactly(OperationType.READ));
	}

	private static List<OperationType> webOperationTypes(ApplicationContext context) {
		ExposableWebEndpoint endpoint = context.getBean(WebEndpointsSupplier.class)
			.getEndpoints()
			.stream()
			.filter((candidate) -> candidate.getEndpointId().equals(EndpointId.of("updatewindow")))
			.findFirst()
			.orElseThrow();
		return endpoint.getOperations().stream().map(WebOperation::getType).toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class ManagerConfiguration {

		@Bean(destroyMethod = "close")
		UpdateLockManager updateLockManager() {
			return UpdateLockManager.builder()
				.lockPath(directory.resolve("updates.lock"))
				.environment(Map.of())
				.shutdownHook(false)
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WindowConfiguration extends ManagerConfiguration {

		@Bean
		UpdateWindowGuard updateWindowGuard(UpdateLockManager manager) {
			// Never started: these tests only look at which beans and operations exist.
			return UpdateWindowGuard.builder(manager, UpdateWindowSchedule.of(ZoneId.of("Europe/Berlin"),
					UpdateWindow.of("MON-FRI", LocalTime.of(2, 0), LocalTime.of(4, 0))))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomEndpointConfiguration {

		@Bean
		UpdateWindowEndpoint customUpdateWindowEndpoint(UpdateLockManager manager, UpdateWindowGuard guard) {
			return new UpdateWindowEndpoint(manager, guard);
		}

	}

}
