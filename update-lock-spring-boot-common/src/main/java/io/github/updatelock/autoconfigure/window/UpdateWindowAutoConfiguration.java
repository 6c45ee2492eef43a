package io.github.updatelock.autoconfigure.window;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.InvalidPropertyValues;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.context.UpdateWindowLifecycle;
import io.github.updatelock.window.UpdateWindowGuard;
import io.github.updatelock.window.UpdateWindowSchedule;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Auto-configuration of update windows: when {@code update-lock.window.ranges} are
 * configured, an {@link UpdateWindowGuard} keeps the hold {@code update-lock.window.hold-name}
 * while every range is closed, and an {@link UpdateWindowLifecycle} starts it with the
 * application and closes it on shutdown. Without ranges nothing is set up. An invalid range
 * or zone fails startup with a message that names the key and shows a valid example.
 */
@AutoConfiguration(after = UpdateLockAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "update-lock.enabled", matchIfMissing = true)
@ConditionalOnBean(UpdateLockManager.class)
@Conditional(OnUpdateWindowRangesCondition.class)
@EnableConfigurationProperties(UpdateWindowProperties.class)
public final class UpdateWindowAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	UpdateWindowGuard updateWindowGuard(UpdateLockManager updateLockManager, UpdateWindowProperties properties,
			ObjectProvider<UpdateWindowGuardBuilderCustomizer> customizers) {
		UpdateWindowSchedule schedule = ConfiguredUpdateWindowSchedule.of(properties);
		UpdateWindowGuard.Builder builder = UpdateWindowGuard.builder(updateLockManager, schedule);
		InvalidPropertyValues.apply("update-lock.window.hold-name", properties.getHoldName(), builder::holdName);
		InvalidPropertyValues.apply("update-lock.window.max-sleep", properties.getMaxSleep(), builder::maxSleep);
		InvalidPropertyValues.apply("update-lock.window.max-operator-window", properties.getMaxOperatorWindow(),
				builder::maxOperatorWindow);
		InvalidPropertyValues.apply("update-lock.window.retry-interval", properties.getRetryInterval(),
				builder::retryInterval);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	UpdateWindowLifecycle updateWindowLifecycle(UpdateWindowGuard updateWindowGuard) {
		return new UpdateWindowLifecycle(updateWindowGuard);
	}

}
