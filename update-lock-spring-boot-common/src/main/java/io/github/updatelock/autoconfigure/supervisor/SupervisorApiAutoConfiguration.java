package io.github.updatelock.autoconfigure.supervisor;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.InvalidPropertyValues;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.autoconfigure.window.UpdateWindowAutoConfiguration;
import io.github.updatelock.context.StartupAndWindowHoldYielder;
import io.github.updatelock.context.UpdateLockStartupHold;
import io.github.updatelock.supervisor.HoldYielder;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.UpdatePendingEvent;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.supervisor.UpdateYieldMode;
import io.github.updatelock.supervisor.UpdateYieldPolicy;
import io.github.updatelock.window.UpdateWindowGuard;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of Supervisor API awareness. When the Supervisor's variables
 * ({@code BALENA_SUPERVISOR_ADDRESS} and {@code BALENA_SUPERVISOR_API_KEY}, or their
 * {@code RESIN_} names) or the {@code update-lock.supervisor.address} and {@code api-key}
 * properties are present: a {@link SupervisorClient}, an {@link UpdatePendingMonitor} that
 * polls while the lock is held or awaited and publishes each pending update once as an
 * {@link UpdatePendingEvent} application event, and a {@link HoldYielder} over the startup
 * and update-window holds for the yield policy; the Supervisor's version is logged once it
 * answers. Without them the feature is off, with one
 * INFO line; unusable variables turn it off with a WARN line. Switched off with
 * {@code update-lock.supervisor.enabled=false}.
 */
@AutoConfiguration(after = { UpdateLockAutoConfiguration.class, UpdateWindowAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "update-lock.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "update-lock.supervisor.enabled", matchIfMissing = true)
@ConditionalOnBean(UpdateLockManager.class)
@EnableConfigurationProperties(SupervisorApiProperties.class)
public final class SupervisorApiAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnSupervisorApiCondition.class)
	static class SupervisorApiConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SupervisorClient supervisorClient(SupervisorApiProperties properties, Environment environment) {
			return new SupervisorClient(SupervisorApiLocator.resolve(properties, environment));
		}

		@Bean
		SupervisorVersionNotice supervisorVersionNotice(SupervisorClient supervisorClient) {
			return new SupervisorVersionNotice(supervisorClient);
		}

		@Bean
		@ConditionalOnMissingBean(HoldYielder.class)
		StartupAndWindowHoldYielder updateLockHoldYielder(ObjectProvider<UpdateLockStartupHold> startupHold,
				ObjectProvider<UpdateWindowGuard> windowGuard) {
			return new StartupAndWindowHoldYielder(startupHold.getIfUnique(), windowGuard.getIfUnique());
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		UpdatePendingMonitor updatePendingMonitor(UpdateLockManager updateLockManager,
				SupervisorClient supervisorClient, SupervisorApiProperties properties, HoldYielder holdYielder,
				ObjectProvider<UpdateLockStartupHold> startupHold, ObjectProvider<UpdateWindowGuard> windowGuard,
				ApplicationEventPublisher eventPublisher) {
			Set<String> defaultYieldHolds = new LinkedHashSet<>();
			startupHold.ifUnique((hold) -> defaultYieldHolds.add(hold.name()));
			defaultYieldHolds.add(windowGuard.stream()
				.map(UpdateWindowGuard::holdName)
				.findFirst()
				.orElse(UpdateWindowGuard.DEFAULT_HOLD_NAME));
			UpdatePendingMonitor.Builder builder = UpdatePendingMonitor.builder(updateLockManager, supervisorClient)
				.yieldPolicy(yieldPolicy(properties.getYield(), defaultYieldHolds))
				.holdYielder(holdYielder)
				// Published as it is: listen with @EventListener void on(UpdatePendingEvent event).
				.listener(eventPublisher::publishEvent);
			InvalidPropertyValues.apply("update-lock.supervisor.error-log-interval", properties.getErrorLogInterval(),
					builder::errorLogInterval);
			return builder.build();
		}

		/** Checks the configured holds and maximum deferral even while the mode is NEVER. */
		private static UpdateYieldPolicy yieldPolicy(SupervisorApiProperties.Yield yield, Set<String> defaultHolds) {
			Duration maxDeferral = yield.getMaxDeferral();
			InvalidPropertyValues.get("update-lock.supervisor.yield.max-deferral", maxDeferral,
					() -> new UpdateYieldPolicy(UpdateYieldMode.NEVER, Set.of(), maxDeferral));
			List<String> holds = yield.getHolds();
			UpdateYieldPolicy policy = InvalidPropertyValues.get("update-lock.supervisor.yield.holds", holds,
					() -> new UpdateYieldPolicy(yield.getMode(),
							(holds != null) ? Set.copyOf(holds) : defaultHolds, maxDeferral));
			return (yield.getMode() == UpdateYieldMode.NEVER) ? UpdateYieldPolicy.never() : policy;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(SupervisorApiAbsentCondition.class)
	static class SupervisorApiOffConfiguration {

		@Bean
		SupervisorApiOffNotice supervisorApiOffNotice(Environment environment) {
			return new SupervisorApiOffNotice(environment);
		}

	}

	static final class SupervisorApiAbsentCondition extends NoneNestedConditions {

		SupervisorApiAbsentCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@Conditional(OnSupervisorApiCondition.class)
		static class SupervisorApiPresent {

		}

	}

}
