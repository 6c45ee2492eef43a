package io.github.updatelock.autoconfigure.fleet;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.InvalidPropertyValues;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.autoconfigure.supervisor.SupervisorApiAutoConfiguration;
import io.github.updatelock.fleet.BalenaApiSettings;
import io.github.updatelock.fleet.FleetTagPublisher;
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
 * Auto-configuration of fleet visibility: with {@code update-lock.fleet.enabled=true} and the
 * balenaCloud API's variables ({@code BALENA_API_URL} and {@code BALENA_API_KEY}, which the
 * service label {@code io.balena.features.balena-api: '1'} brings, and
 * {@code BALENA_DEVICE_UUID}) or the {@code update-lock.fleet.*} properties that override
 * them, a {@link FleetTagPublisher} that shows the lock's state as device tags, with the
 * pending update of the {@link UpdatePendingMonitor} when there is one. It is closed as the
 * application stops, which removes the tags unless
 * {@code update-lock.fleet.remove-tags-on-shutdown=false}. Without the variables the feature
 * is off, with one INFO line; unusable variables turn it off with a WARN line.
 */
@AutoConfiguration(after = { UpdateLockAutoConfiguration.class, SupervisorApiAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "update-lock.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("update-lock.fleet.enabled")
@ConditionalOnBean(UpdateLockManager.class)
@EnableConfigurationProperties(FleetProperties.class)
public final class FleetAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnFleetApiCondition.class)
	static class FleetPublisherConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		FleetTagPublisher fleetTagPublisher(UpdateLockManager updateLockManager, FleetProperties properties,
				Environment environment, ObjectProvider<UpdatePendingMonitor> pendingMonitor) {
			BalenaApiSettings settings = FleetApiLocator.resolve(properties, environment);
			FleetTagPublisher.Builder builder = FleetTagPublisher.builder(updateLockManager, settings)
				.removeTagsOnClose(properties.isRemoveTagsOnShutdown());
			InvalidPropertyValues.apply(FleetApiLocator.PREFIX + "min-interval", properties.getMinInterval(),
					builder::minInterval);
			InvalidPropertyValues.apply(FleetApiLocator.PREFIX + "tag-prefix", properties.getTagPrefix(),
					builder::tagPrefix);
			pendingMonitor.ifUnique(builder::pendingMonitor);
			return builder.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(FleetApiAbsentCondition.class)
	static class FleetApiOffConfiguration {

		@Bean
		FleetApiOffNotice fleetApiOffNotice(Environment environment) {
			return new FleetApiOffNotice(environment);
		}

	}

	static final class FleetApiAbsentCondition extends NoneNestedConditions {

		FleetApiAbsentCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@Conditional(OnFleetApiCondition.class)
		static class FleetApiPresent {

		}

	}

}
