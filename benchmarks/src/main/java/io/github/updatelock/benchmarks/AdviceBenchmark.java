package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.aop.HoldUpdateLock;
import io.github.updatelock.aop.HoldUpdateLockInterceptor;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.metrics.UpdateLockMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.MapPropertySource;
import org.springframework.resilience.annotation.ConcurrencyLimit;
import org.springframework.resilience.annotation.EnableResilientMethods;

/**
 * The cost of {@code @HoldUpdateLock} on a proxied bean while the lock is already held,
 * next to the same tiny service behind an advisor that does nothing (the proxy alone: the
 * baseline) and behind Spring Framework's own {@code @ConcurrencyLimit}. All three are
 * class-based proxies in one context, with the real auto-configured advisor.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AdviceBenchmark {

	private Path directory;

	private AnnotationConfigApplicationContext context;

	private UpdateLockHold outer;

	private PassThroughService passThrough;

	private LockedService locked;

	private LimitedService limited;

	@Setup
	public void setUp() throws IOException {
		this.directory = BenchmarkDirectories.create();
		this.context = new AnnotationConfigApplicationContext();
		this.context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("benchmark",
					Map.of("update-lock.path", this.directory.resolve("updates.lock").toString())));
		this.context.register(AdviceConfiguration.class);
		this.context.refresh();
		this.passThrough = advised(PassThroughService.class, PassThroughInterceptor.class.getName());
		this.locked = advised(LockedService.class, HoldUpdateLockInterceptor.class.getName());
		// Its interceptor is package-private: ConcurrencyLimitBeanPostProcessor$ConcurrencyLimitInterceptor.
		this.limited = advised(LimitedService.class, ConcurrencyLimit.class.getName());
		this.outer = this.context.getBean(UpdateLockManager.class).acquire("outer");
	}

	/**
	 * Fails the run rather than measure a bean that is not advised as claimed.
	 */
	private <T> T advised(Class<T> type, String adviceClassPrefix) {
		T bean = this.context.getBean(type);
		if (!(bean instanceof Advised advised) || Arrays.stream(advised.getAdvisors())
			.noneMatch((advisor) -> advisor.getAdvice().getClass().getName().startsWith(adviceClassPrefix))) {
			throw new IllegalStateException(type.getSimpleName() + " is not advised by " + adviceClassPrefix);
		}
		return bean;
	}

	@TearDown
	public void tearDown() throws IOException {
		this.outer.release();
		this.context.close();
		BenchmarkDirectories.delete(this.directory);
	}

	@Benchmark
	public String baselineNoOpAdvisor() {
		return this.passThrough.call();
	}

	@Benchmark
	public String holdUpdateLock() {
		return this.locked.call();
	}

	@Benchmark
	public String concurrencyLimit() {
		return this.limited.call();
	}

	/**
	 * {@code @HoldUpdateLock} with the meters bound: the metrics listen to per-hold events,
	 * so each hold reads the clock exactly and records a counter and a timer.
	 */
	@Benchmark
	public String holdUpdateLockWithMetrics(WithMetrics metrics) {
		return metrics.locked.call();
	}

	/** A second context, like the first but with the update lock's meters bound to a registry. */
	@State(Scope.Benchmark)
	public static class WithMetrics {

		private Path directory;

		private AnnotationConfigApplicationContext context;

		private UpdateLockHold outer;

		private LockedService locked;

		@Setup
		public void setUp() throws IOException {
			this.directory = BenchmarkDirectories.create();
			this.context = new AnnotationConfigApplicationContext();
			this.context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("benchmark",
						Map.of("update-lock.path", this.directory.resolve("updates.lock").toString())));
			this.context.register(MetricsConfiguration.class);
			this.context.refresh();
			this.context.getBean(UpdateLockMetrics.class).bindTo(new SimpleMeterRegistry());
			this.locked = this.context.getBean(LockedService.class);
			this.outer = this.context.getBean(UpdateLockManager.class).acquire("outer");
		}

		@TearDown
		public void tearDown() throws IOException {
			this.outer.release();
			this.context.close();
			BenchmarkDirectories.delete(this.directory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(UpdateLockAutoConfiguration.class)
	static class MetricsConfiguration {

		@Bean
		UpdateLockMetrics updateLockMetrics(UpdateLockManager manager) {
			return new UpdateLockMetrics(manager);
		}

		@Bean
		LockedService lockedService() {
			return new LockedService();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(UpdateLockAutoConfiguration.class)
	@EnableResilientMethods(proxyTargetClass = true)
	static class AdviceConfiguration {

		// Infrastructure, like the @HoldUpdateLock advisor, so that the same auto-proxy
		// creator picks it up.
		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static Advisor passThroughAdvisor() {
			return new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, PassThrough.class, true),
					new PassThroughInterceptor());
		}

		@Bean
		PassThroughService passThroughService() {
			return new PassThroughService();
		}

		@Bean
		LockedService lockedService() {
			return new LockedService();
		}

		@Bean
		LimitedService limitedService() {
			return new LimitedService();
		}

	}

	/** Marks the method the do-nothing advisor applies to. */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	public @interface PassThrough {

	}

	static final class PassThroughInterceptor implements MethodInterceptor {

		@Override
		public Object invoke(MethodInvocation invocation) throws Throwable {
			return invocation.proceed();
		}

	}

	public static class PassThroughService {

		private final String value = "done";

		@PassThrough
		public String call() {
			return this.value;
		}

	}

	public static class LockedService {

		private final String value = "done";

		@HoldUpdateLock
		public String call() {
			return this.value;
		}

	}

	public static class LimitedService {

		private final String value = "done";

		// Far above the one benchmark thread: the limit is never reached, only its bookkeeping runs.
		@ConcurrencyLimit(1000)
		public String call() {
			return this.value;
		}

	}

}
