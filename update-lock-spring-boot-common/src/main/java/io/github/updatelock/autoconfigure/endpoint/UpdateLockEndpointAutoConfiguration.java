package io.github.updatelock.autoconfigure.endpoint;

import io.github.updatelock.OperatorHolds;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.actuate.endpoint.OperatorHoldExpiryLog;
import io.github.updatelock.actuate.endpoint.UpdateLockEndpoint;
import io.github.updatelock.actuate.endpoint.UpdateLockEndpointWebExtension;
import io.github.updatelock.context.UpdateLockStartupHold;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.window.UpdateWindowGuard;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@link UpdateLockEndpoint}: present when the actuator is on
 * the class path, an {@link UpdateLockManager} bean exists and the endpoint is available
 * (exposed and not switched off with {@code management.endpoint.updatelock.access=none}).
 * It reports on the {@link UpdateWindowGuard}, {@link UpdatePendingMonitor},
 * {@link SupervisorClient} and {@link FleetTagPublisher} beans when they exist; acting on them is left to the
 * {@link UpdateWindowEndpointAutoConfiguration updatewindow} and
 * {@link ForceUpdateEndpointAutoConfiguration forceupdate} endpoints.
 * Its write operations (operator holds) additionally need
 * {@code management.endpoint.updatelock.access=unrestricted}.
 */
@AutoConfiguration(afterName = { "io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration",
		"io.github.updatelock.autoconfigure.window.UpdateWindowAutoConfiguration",
		"io.github.updatelock.autoconfigure.supervisor.SupervisorApiAutoConfiguration",
		"io.github.updatelock.autoconfigure.fleet.FleetAutoConfiguration" })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(UpdateLockEndpoint.class)
public final class UpdateLockEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(UpdateLockManager.class)
	@ConditionalOnMissingBean
	OperatorHolds updateLockOperatorHolds(UpdateLockManager manager) {
		return new OperatorHolds(manager, new OperatorHoldExpiryLog());
	}

	@Bean
	@ConditionalOnBean(UpdateLockManager.class)
	@ConditionalOnMissingBean
	UpdateLockEndpoint updateLockEndpoint(UpdateLockManager manager, OperatorHolds operatorHolds,
			ObjectProvider<UpdateLockStartupHold> startupHolds, ObjectProvider<UpdateWindowGuard> windowGuard,
			ObjectProvider<UpdatePendingMonitor> pendingMonitor, ObjectProvider<SupervisorClient> supervisorClient,
			ObjectProvider<FleetTagPublisher> fleetPublisher) {
		// Looked up on every read: without the auto-configured manager there is no startup hold.
		return new UpdateLockEndpoint(manager, () -> {
			UpdateLockStartupHold startupHold = startupHolds.getIfUnique();
			return (startupHold != null) ? startupHold.state().name() : null;
		}, operatorHolds, windowGuard.getIfUnique(), pendingMonitor.getIfUnique(), supervisorClient.getIfUnique(),
				fleetPublisher.getIfUnique());
	}

	@Bean
	@ConditionalOnBean(UpdateLockEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	UpdateLockEndpointWebExtension updateLockEndpointWebExtension(UpdateLockEndpoint endpoint) {
		return new UpdateLockEndpointWebExtension(endpoint);
	}

}
