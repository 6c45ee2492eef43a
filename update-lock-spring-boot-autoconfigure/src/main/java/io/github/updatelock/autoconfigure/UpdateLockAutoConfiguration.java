package io.github.updatelock.autoconfigure;

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
		properties.checkBackoffRange();
		UpdateLockManager.Builder builder = UpdateLockManager.builder()
			.lockPath(properties.getPath())
			.flock(properties.isFlock())
			.acquireTimeout(properties.getAcquireTimeout())
			.initialBackoff(properties.getInitialBackoff())
			.maxBackoff(properties.getMaxBackoff())
			.watchInterval(properties.getWatchInterval())
			.longHoldWarning(properties.getLongHoldWarning())
			.unavailablePolicy(properties.getUnavailablePolicy());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		// Spring closes the manager when the context closes, after the lifecycle has let
		// running work finish; a JVM hook of its own could release holds under that work.
		return builder.shutdownHook(false).build();
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
		return new UpdateLockStartupHold(updateLockManager, properties.getStartup().getName());
	}

	@Bean
	@ConditionalOnMissingBean
	UpdateLockLifecycle updateLockLifecycle(UpdateLockManager updateLockManager,
			UpdateLockStartupHold updateLockStartupHold, UpdateLockProperties properties) {
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
			HoldUpdateLockInterceptor interceptor = new HoldUpdateLockInterceptor(updateLockManager::getObject,
					eventPublisher, advice.getIfNotObtained(), environment, beanFactory);
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
