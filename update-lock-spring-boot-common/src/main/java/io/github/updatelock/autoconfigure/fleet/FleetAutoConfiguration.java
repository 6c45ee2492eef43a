package io.github.updatelock.autoconfigure.fleet;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.InvalidPropertyValues;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.autoconfigure.supervisor.SupervisorApiAutoConfiguration;
import io.github.updatelock.fleet.BalenaApiSettings;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.UpdatePendingMonitor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of fleet visibility: with {@code update-lock.fleet.enabled=true}, a
 * {@link FleetTagPublisher} that shows what a fleet operator acts on as device tags, with the
 * pending update of the {@link UpdatePendingMonitor} when there is one. The tags go through
 * the Supervisor API ({@code PATCH /v2/device/tags}, Supervisor 17.8 and later) when it is
 * there; the balenaCloud API ({@code BALENA_API_URL} and {@code BALENA_API_KEY}, which the
 * label {@code io.balena.features.balena-api: '1'} brings, and {@code BALENA_DEVICE_UUID}, or
 * the {@code update-lock.fleet.*} properties that override them) is only the fallback for
 * older Supervisors, or the channel on a device without the Supervisor API. Keys include the
 * service ({@code BALENA_SERVICE_NAME}, or {@code update-lock.fleet.service-name}). Without any
 * channel the feature is off, with one INFO line.
 * <p>
 * The publisher is closed before the manager, as it depends on it; its close never waits on
 * the network while holds are active, so the manager releases the lock right after.
 */
@AutoConfiguration(after = { UpdateLockAutoConfiguration.class, SupervisorApiAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "update-lock.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("update-lock.fleet.enabled")
@ConditionalOnBean(UpdateLockManager.class)
@EnableConfigurationProperties(FleetProperties.class)
public final class FleetAutoConfiguration {

	/** The variable balena sets to the service's name in each container. */
	static final String SERVICE_NAME_VARIABLE = "BALENA_SERVICE_NAME";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(SupervisorClient.class)
	static class SupervisorChannelConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		FleetTagPublisher fleetTagPublisher(UpdateLockManager updateLockManager, SupervisorClient supervisorClient,
				FleetProperties properties, Environment environment,
				ObjectProvider<UpdatePendingMonitor> pendingMonitor) {
			FleetTagPublisher.Builder builder = FleetTagPublisher.builder(updateLockManager, supervisorClient);
			if (FleetApiLocator.missingVariables(environment).isEmpty()
					&& FleetApiLocator.variableProblem(environment).isEmpty()) {
				builder.fallback(FleetApiLocator.resolve(properties, environment));
			}
			return configure(builder, properties, environment, pendingMonitor);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(SupervisorClient.class)
	@Conditional(OnFleetApiCondition.class)
	static class BalenaCloudChannelConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		FleetTagPublisher fleetTagPublisher(UpdateLockManager updateLockManager, FleetProperties properties,
				Environment environment, ObjectProvider<UpdatePendingMonitor> pendingMonitor) {
			BalenaApiSettings settings = FleetApiLocator.resolve(properties, environment);
			return configure(FleetTagPublisher.builder(updateLockManager, settings), properties, environment,
					pendingMonitor);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(FleetChannelAbsentCondition.class)
	static class FleetApiOffConfiguration {

		@Bean
		FleetApiOffNotice fleetApiOffNotice(Environment environment) {
			return new FleetApiOffNotice(environment);
		}

	}

	private static FleetTagPublisher configure(FleetTagPublisher.Builder builder, FleetProperties properties,
			Environment environment, ObjectProvider<UpdatePendingMonitor> pendingMonitor) {
		builder.clearTagsOnClose(properties.isClearTagsOnShutdown());
		InvalidPropertyValues.apply(FleetApiLocator.PREFIX + "min-interval", properties.getMinInterval(),
				builder::minInterval);
		InvalidPropertyValues.apply(FleetApiLocator.PREFIX + "tag-prefix", properties.getTagPrefix(),
				builder::tagPrefix);
		String serviceName = properties.getServiceName();
		if (serviceName != null) {
			InvalidPropertyValues.apply(FleetApiLocator.PREFIX + "service-name", serviceName, builder::serviceName);
		}
		else {
			String variable = environment.getProperty(SERVICE_NAME_VARIABLE);
			if (variable != null && !variable.isBlank()) {
				InvalidPropertyValues.apply(SERVICE_NAME_VARIABLE, variable.strip(), builder::serviceName);
			}
		}
		pendingMonitor.ifUnique(builder::pendingMonitor);
		return builder.build();
	}

	static final class FleetChannelAbsentCondition extends NoneNestedConditions {

		FleetChannelAbsentCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(SupervisorClient.class)
		static class SupervisorApiPresent {

		}

		@Conditional(OnFleetApiCondition.class)
		static class FleetApiPresent {

		}

	}

}
