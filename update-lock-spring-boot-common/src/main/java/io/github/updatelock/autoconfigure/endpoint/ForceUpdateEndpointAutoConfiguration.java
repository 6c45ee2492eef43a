package io.github.updatelock.autoconfigure.endpoint;

import io.github.updatelock.actuate.endpoint.ForceUpdateEndpoint;
import io.github.updatelock.actuate.endpoint.ForceUpdateEndpointWebExtension;
import io.github.updatelock.supervisor.SupervisorClient;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@link ForceUpdateEndpoint}: present when the actuator is on
 * the class path, a {@link SupervisorClient} bean exists (the Supervisor API is used),
 * {@code update-lock.supervisor.force-update.enabled=true} is set, and the operator opened
 * the endpoint with {@code management.endpoint.forceupdate.access=unrestricted} and exposed
 * it. Its default access is none: a forced update overrides every update lock, so no other
 * endpoint's access setting lets it in.
 * <p>
 * The switch of its own is there because access alone is not a deliberate choice: Boot 4.0
 * still honours the deprecated {@code management.endpoints.enabled-by-default=true}, which
 * opens every endpoint, this one included, and {@code exposure.include=*} then maps it.
 */
@AutoConfiguration(afterName = "io.github.updatelock.autoconfigure.supervisor.SupervisorApiAutoConfiguration")
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBooleanProperty("update-lock.supervisor.force-update.enabled")
@ConditionalOnAvailableEndpoint(ForceUpdateEndpoint.class)
public final class ForceUpdateEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(SupervisorClient.class)
	@ConditionalOnMissingBean
	ForceUpdateEndpoint forceUpdateEndpoint(SupervisorClient client) {
		return new ForceUpdateEndpoint(client);
	}

	@Bean
	@ConditionalOnBean(ForceUpdateEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	ForceUpdateEndpointWebExtension forceUpdateEndpointWebExtension(ForceUpdateEndpoint endpoint) {
		return new ForceUpdateEndpointWebExtension(endpoint);
	}

}
