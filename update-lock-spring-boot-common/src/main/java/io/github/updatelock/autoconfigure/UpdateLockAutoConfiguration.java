package io.github.updatelock.autoconfigure;

import io.github.updatelock.DurationRules;
import io.github.updatelock.FlockUnavailableException;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.aop.HoldUpdateLockAdvisor;
import io.github.updatelock.aop.HoldUpdateLockInterceptor;
import io.github.updatelock.context.UpdateLockEventBridge;
import io.github.updatelock.context.UpdateLockLifecycle;
import io.github.updatelock.context.UpdateLockStartupHold;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configuration of the balenaOS update lock: the {@link UpdateLockManager}, the
 * {@link UpdateLockStartupHold} and the {@link UpdateLockLifecycle} that takes it at
 * startup and winds the holds down at shutdown, Spring application events for the lock's
 * events, and the {@link io.github.updatelock.aop.HoldUpdateLock @HoldUpdateLock} advice.
 * Everything is switched off by {@code update-lock.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "update-lock.enabled", matchIfMissing = true)
@EnableConfigurationProperties(UpdateLockProperties.class)
public final class UpdateLockAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	UpdateLockManager updateLockManager(UpdateLockProperties properties,
			ObjectProvider<UpdateLockManagerBuilderCustomizer> customizers) {
		UpdateLockManager.Builder builder = UpdateLockManager.builder()
			.flock(properties.isFlock())
			.unavailablePolicy(properties.getUnavailablePolicy());
		InvalidPropertyValues.apply("update-lock.path", properties.getPath(), builder::lockPath);
		InvalidPropertyValues.apply("update-lock.acquire-timeout", properties.getAcquireTimeout(),
				builder::acquireTimeout);
		InvalidPropertyValues.apply("update-lock.initial-backoff", properties.getInitialBackoff(),
				builder::initialBackoff);
		InvalidPropertyValues.apply("update-lock.max-backoff", properties.getMaxBackoff(), builder::maxBackoff);
		InvalidPropertyValues.apply("update-lock.watch-interval", properties.getWatchInterval(),
				builder::watchInterval);
		InvalidPropertyValues.apply("update-lock.long-hold-warning", properties.getLongHoldWarning(),
				builder::longHoldWarning);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		// Spring closes the manager when the context closes, after the lifecycle has let
		// running work finish; a JVM hook of its own could release holds under that work.
		// Building compares the maximum backoff with the initial one.
		UpdateLockManager manager = InvalidPropertyValues.get("update-lock.max-backoff", properties.getMaxBackoff(),
				() -> builder.shutdownHook(false).build());
		// On a device, a lock that host OS updates ignore must not start as if it protected:
		// FlockUnavailableFailureAnalyzer says why and what to do.
		try {
			manager.requireFlock();
		}
		catch (FlockUnavailableException ex) {
			manager.close();
			throw ex;
		}
		return manager;
	}

	@Bean
	UpdateLockEventBridge updateLockEventBridge(UpdateLockManager updateLockManager,
			ApplicationEventPublisher eventPublisher) {
		return new UpdateLockEventBridge(updateLockManager, eventPublisher);
	}

	@Bean
	@ConditionalOnMissingBean
	UpdateLockStartupHold updateLockStartupHold(UpdateLockManager updateLockManager,
			UpdateLockProperties properties) {
		String name = properties.getStartup().getName();
		return InvalidPropertyValues.get("update-lock.startup.name", name,
				() -> new UpdateLockStartupHold(updateLockManager, name));
	}

	@Bean
	@ConditionalOnMissingBean
	UpdateLockLifecycle updateLockLifecycle(UpdateLockManager updateLockManager,
			UpdateLockStartupHold updateLockStartupHold, UpdateLockProperties properties) {
		InvalidPropertyValues.apply("update-lock.startup.wait", properties.getStartup().getWait(),
				(wait) -> DurationRules.requireNotNegative(wait, "startupWait"));
		InvalidPropertyValues.apply("update-lock.shutdown.wait", properties.getShutdown().getWait(),
				(wait) -> DurationRules.requireNotNegative(wait, "shutdownWait"));
		return new UpdateLockLifecycle(updateLockManager, updateLockStartupHold, properties);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(AutoProxyCreatorRegistrar.class)
	static class AdviceConfiguration {

		// Static and infrastructure: the auto-proxy creator looks advisors up while other
		// post-processors are still being created. The manager is therefore only looked up
		// on the first advised call, and the advice settings are bound here directly
		// instead of through the properties bean.
		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean
		static HoldUpdateLockAdvisor holdUpdateLockAdvisor(Environment environment,
				ObjectProvider<UpdateLockManager> updateLockManager, ApplicationEventPublisher eventPublisher,
				ConfigurableListableBeanFactory beanFactory) {
			UpdateLockProperties.Advice advice = Binder.get(environment)
				.bind("update-lock.advice", UpdateLockProperties.Advice.class)
				.orElseGet(UpdateLockProperties.Advice::new);
			HoldUpdateLockInterceptor interceptor = InvalidPropertyValues.get("update-lock.advice.if-not-obtained",
					advice.getIfNotObtained(), () -> new HoldUpdateLockInterceptor(updateLockManager::getObject,
							eventPublisher, advice.getIfNotObtained(), environment, beanFactory));
			HoldUpdateLockAdvisor advisor = new HoldUpdateLockAdvisor(interceptor);
			advisor.setOrder(advice.getOrder());
			return advisor;
		}

	}

	/**
	 * Makes sure an auto-proxy creator exists, as {@code @EnableTransactionManagement} does,
	 * so that {@code @HoldUpdateLock} works even where Spring Boot's AOP auto-configuration
	 * is switched off; it proxies classes unless {@code spring.aop.proxy-target-class=false}.
	 */
	static class AutoProxyCreatorRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

		private Environment environment;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			if (this.environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true)) {
				AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
			}
		}

	}

}
