package io.github.updatelock.autoconfigure.endpoint;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.actuate.endpoint.UpdateWindowEndpoint;
import io.github.updatelock.actuate.endpoint.UpdateWindowEndpointWebExtension;
import io.github.updatelock.window.UpdateWindowGuard;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@link UpdateWindowEndpoint}: present when the actuator is on
 * the class path, an {@link UpdateWindowGuard} bean exists (update windows are configured)
 * and the endpoint is available (exposed and not switched off with
 * {@code management.endpoint.updatewindow.access=none}). Its write operations additionally
 * need {@code management.endpoint.updatewindow.access=unrestricted}.
 */
@AutoConfiguration(afterName = { "io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration",
		"io.github.updatelock.autoconfigure.window.UpdateWindowAutoConfiguration" })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(UpdateWindowEndpoint.class)
public final class UpdateWindowEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean({ UpdateLockManager.class, UpdateWindowGuard.class })
	@ConditionalOnMissingBean
	UpdateWindowEndpoint updateWindowEndpoint(UpdateLockManager manager, UpdateWindowGuard guard) {
		return new UpdateWindowEndpoint(manager, guard);
	}

	@Bean
	@ConditionalOnBean(UpdateWindowEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	UpdateWindowEndpointWebExtension updateWindowEndpointWebExtension(UpdateWindowEndpoint endpoint) {
		return new UpdateWindowEndpointWebExtension(endpoint);
	}

}
