package io.github.updatelock.autoconfigure.endpoint;

import java.net.URI;
import java.util.List;

import io.github.updatelock.actuate.endpoint.ForceUpdateEndpoint;
import io.github.updatelock.actuate.endpoint.ForceUpdateEndpointWebExtension;
import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.SupervisorClient;
import org.junit.jupiter.api.Test;

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
 * Tests for {@link ForceUpdateEndpointAutoConfiguration}.
 */
class ForceUpdateEndpointAutoConfigurationTests {

	private final ApplicationContextRunner withoutTheSwitch = new ApplicationContextRunner()
		.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
		.withConfiguration(AutoConfigurations.of(ForceUpdateEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=*");

	private final ApplicationContextRunner contextRunner = this.withoutTheSwitch
		.withPropertyValues("update-lock.supervisor.force-update.enabled=true");

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				ForceUpdateEndpointAutoConfiguration.class))
		.withUserConfiguration(SupervisorConfiguration.class)
		.withPropertyValues("management.endpoints.web.exposure.include=forceupdate",
				"update-lock.supervisor.force-update.enabled=true");

	@Test
	void endpointIsAbsentByDefaultEvenWhenEveryEndpointIsExposed() {
		this.contextRunner.withUserConfiguration(SupervisorConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(ForceUpdateEndpoint.class));
	}

	@Test
	void legacyEnabledByDefaultDoesNotOpenItWithoutItsOwnSwitch() {
		this.withoutTheSwitch.withUserConfiguration(SupervisorConfiguration.class)
			.withPropertyValues("management.endpoints.enabled-by-default=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ForceUpdateEndpoint.class));
	}

	@Test
	void unrestrictedAccessDoesNotOpenItWithoutItsOwnSwitch() {
		this.withoutTheSwitch.withUserConfiguration(SupervisorConfiguration.class)
			.withPropertyValues("management.endpoint.forceupdate.access=unrestricted")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ForceUpdateEndpoint.class));
	}

	@Test
	void legacyEnabledByDefaultOpensItOnlyWithItsOwnSwitch() {
		this.withoutTheSwitch.withUserConfiguration(SupervisorConfiguration.class)
			.withPropertyValues("management.endpoints.enabled-by-default=true",
					"update-lock.supervisor.force-update.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(ForceUpdateEndpoint.class)
				.hasSingleBean(ForceUpdateEndpointWebExtension.class));
	}

	@Test
	void theSwitchAloneDoesNotOpenIt() {
		this.withoutTheSwitch.withUserConfiguration(SupervisorConfiguration.class)
			.withPropertyValues("update-lock.supervisor.force-update.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(ForceUpdateEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenOnlyTheOtherEndpointsAreUnrestricted() {
		this.contextRunner.withUserConfiguration(SupervisorConfiguration.class)
			.withPropertyValues("management.endpoint.updatelock.access=unrestricted",
					"management.endpoint.updatewindow.access=unrestricted")
			.run((context) -> assertThat(context).doesNotHaveBean(ForceUpdateEndpoint.class));
	}

	@Test
	void endpointOpenedOverHttpComesWithItsWebExtension() {
		this.contextRunner.withUserConfiguration(SupervisorConfiguration.class)
			.withPropertyValues("management.endpoint.forceupdate.access=unrestricted")
			.run((context) -> assertThat(context).hasSingleBean(ForceUpdateEndpoint.class)
				.hasSingleBean(ForceUpdateEndpointWebExtension.class));
	}

	@Test
	void endpointOpenedButNotExposedIsAbsent() {
		new ApplicationContextRunner()
			.withInitializer(
					(context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
			.withConfiguration(AutoConfigurations.of(ForceUpdateEndpointAutoConfiguration.class))
			.withUserConfiguration(SupervisorConfiguration.class)
			.withPropertyValues("management.endpoint.forceupdate.access=unrestricted")
			.run((context) -> assertThat(context).doesNotHaveBean(ForceUpdateEndpoint.class));
	}

	@Test
	void endpointIsAbsentWithoutTheSupervisorApi() {
		this.contextRunner.withPropertyValues("management.endpoint.forceupdate.access=unrestricted")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ForceUpdateEndpoint.class));
	}

	@Test
	void endpointIsAbsentWithoutTheActuator() {
		this.contextRunner.withUserConfiguration(SupervisorConfiguration.class)
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoint.forceupdate.access=unrestricted")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ForceUpdateEndpoint.class));
	}

	@Test
	void userDefinedEndpointIsUsed() {
		this.contextRunner.withUserConfiguration(SupervisorConfiguration.class, CustomEndpointConfiguration.class)
			.withPropertyValues("management.endpoint.forceupdate.access=unrestricted")
			.run((context) -> assertThat(context).getBean(ForceUpdateEndpoint.class)
				.isSameAs(context.getBean("customForceUpdateEndpoint")));
	}

	@Test
	void unrestrictedAccessOffersTheWriteOperationOverHttp() {
		this.webContextRunner.withPropertyValues("management.endpoint.forceupdate.access=unrestricted")
			.run((context) -> assertThat(webOperationTypes(context)).containsExactly(OperationType.WRITE));
	}

	@Test
	void readOnlyAccessLeavesNothingToMapOverHttp() {
		this.webContextRunner.withPropertyValues("management.endpoint.forceupdate.access=read-only")
			.run((context) -> assertThat(context.getBean(WebEndpointsSupplier.class).getEndpoints())
				.extracting(ExposableWebEndpoint::getEndpointId)
				.doesNotContain(EndpointId.of("forceupdate")));
	}

	private static List<OperationType> webOperationTypes(ApplicationContext context) {
		return context.getBean(WebEndpointsSupplier.class)
			.getEndpoints()
			.stream()
			.filter((candidate) -> candidate.getEndpointId().equals(EndpointId.of("forceupdate")))
			.findFirst()
			.map(ExposableWebEndpoint::getOperations)
			.orElseThrow()
			.stream()
			.map(WebOperation::getType)
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class SupervisorConfiguration {

		@Bean
		SupervisorClient supervisorClient() {
			return new SupervisorClient(SupervisorApiSettings.of(URI.create("http://127.0.0.1:48484"), "unused-key"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomEndpointConfiguration {

		@Bean
		ForceUpdateEndpoint customForceUpdateEndpoint(SupervisorClient client) {
			return new ForceUpdateEndpoint(client);
		}

	}

}
