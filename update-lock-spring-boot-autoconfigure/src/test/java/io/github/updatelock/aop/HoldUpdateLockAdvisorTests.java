package io.github.updatelock.aop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.metrics.UpdateLockMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AliasFor;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HoldUpdateLockAdvisorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UpdateLockAutoConfiguration.class));

	@TempDir
	Path tempDir;

	private ApplicationContextRunner runner() {
		return this.contextRunner.withPropertyValues("update-lock.path=" + this.tempDir.resolve("updates.lock"));
	}

	@Test
	void defaultHoldNameIsTheSimpleClassNameAndMethod() {
		runner().withBean(NamedService.class).run((context) -> {
			assertThat(context.getBean(NamedService.class).defaultName()).isEqualTo("NamedService#defaultName");
		});
	}

	@Test
	void holdNameMayBeGivenResolvedFromPlaceholdersOrEvaluatedOverArguments() {
		runner().withBean(NamedService.class).withBean(PlaceholderNamedService.class)
			.withPropertyValues("app.job=backup")
			.run((context) -> {
				NamedService service = context.getBean(NamedService.class);
				assertThat(service.givenName()).isEqualTo("firmware");
				assertThat(service.spelName("sensor-7", 3)).isEqualTo("device-sensor-7-3");
				assertThat(context.getBean(PlaceholderNamedService.class).placeholderName()).isEqualTo("job-backup");
			});
	}

	@Test
	void declaredNameIsTheTemplateWithPlaceholdersResolvedNotTheNameOfEachCall() {
		runner().withBean(PaymentService.class).withPropertyValues("app.region=eu").run((context) -> {
			PaymentService service = context.getBean(PaymentService.class);
			assertThat(service.pay("42")).extracting(ActiveHold::name, ActiveHold::declaredName)
				.containsExactly("payment-eu-42", "payment-eu-#{#orderId}");
			assertThat(service.pay("43")).extracting(ActiveHold::name, ActiveHold::declaredName)
				.containsExactly("payment-eu-43", "payment-eu-#{#orderId}");
			assertThat(service.refund()).extracting(ActiveHold::name, ActiveHold::declaredName)
				.containsExactly("refund", "refund");
		});
	}

	@Test
	void holdsNamedFromATemplateAreTimedUnderTheTemplate() {
		runner().withBean(PaymentService.class).withPropertyValues("app.region=eu").run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new UpdateLockMetrics(context.getBean(UpdateLockManager.class)).bindTo(registry);
			PaymentService service = context.getBean(PaymentService.class);
			// Few enough calls that their events (four each: the file and the hold, taken and
			// released) fit the manager's event queue of 4096 even when the event thread does not
			// run during the loop; beyond that the manager drops events rather than block the lock.
			int calls = 500;
			for (int order = 0; order < calls; order++) {
				service.pay(String.valueOf(order));
			}
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(registry.find(UpdateLockMetrics.HOLD_DURATION).timers())
					.singleElement()
					.satisfies((timer) -> {
						assertThat(timer.getId().getTag(UpdateLockMetrics.HOLD_TAG))
							.isEqualTo("payment-eu-#{#orderId}");
						assertThat(timer.count()).isEqualTo(calls);
					}));
		});
	}

	@Test
	void methodAnnotationWinsOverTheClassAnnotation() {
		runner().withBean(ClassLevelService.class).run((context) -> {
			ClassLevelService service = context.getBean(ClassLevelService.class);
			assertThat(service.inherited()).isEqualTo("class-level");
			assertThat(service.own()).isEqualTo("method-level");
		});
	}

	@Test
	void classAnnotationAppliesToPublicMethodsOnly() {
		runner().withBean(ClassLevelService.class).run((context) -> {
			ClassLevelService service = context.getBean(ClassLevelService.class);
			assertThat(service.packagePrivate()).isNull();
			assertThat(service.toString()).isEqualTo("no hold: null");
		});
	}

	@Test
	void worksAsAMetaAnnotationWithAliases() {
		runner().withBean(MetaAnnotatedService.class).run((context) -> {
			assertThat(context.getBean(MetaAnnotatedService.class).flash()).isEqualTo("firmware-flash");
		});
	}

	@Test
	void findsAnnotationsOnInterfaceMethods() {
		runner().withBean(Job.class, InterfaceAnnotatedJob::new).run((context) -> {
			assertThat(context.getBean(Job.class).run()).isEqualTo("job");
		});
	}

	@Test
	void worksWithInterfaceBasedProxies() {
		runner().withPropertyValues("spring.aop.proxy-target-class=false")
			.withBean(Job.class, InterfaceAnnotatedJob::new)
			.run((context) -> {
				Job job = context.getBean(Job.class);
				assertThat(AopUtils.isJdkDynamicProxy(job)).isTrue();
				assertThat(job.run()).isEqualTo("job");
			});
	}

	@Test
	void worksAlongsideSpringBootsAopAutoConfiguration() {
		runner().withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(NamedService.class)
			.run((context) -> assertThat(context.getBean(NamedService.class).givenName()).isEqualTo("firmware"));
	}

	@Test
	void leavesBeansWithoutTheAnnotationUnproxied() {
		runner().withBean(PlainBean.class).run((context) -> {
			assertThat(AopUtils.isAopProxy(context.getBean(PlainBean.class))).isFalse();
		});
	}

	@Test
	void callsOnThisRunWithoutTheAdvice() {
		runner().withBean(NamedService.class).run((context) -> {
			assertThat(context.getBean(NamedService.class).selfInvocation()).isNull();
		});
	}

	@Test
	void orderComesFromTheProperty() {
		runner().withPropertyValues("update-lock.advice.order=42").run((context) -> {
			assertThat(context.getBean(HoldUpdateLockAdvisor.class).getOrder()).isEqualTo(42);
		});
	}

	@Test
	void defaultOrderReleasesAfterTheTransactionCommits() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		runner().withUserConfiguration(TransactionConfiguration.class).run((context) -> {
			context.getBean(TransactionalService.class).work();
			assertThat(context.getBean(RecordingTransactionManager.class).lockFileAtCommit).containsExactly(true);
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void aTransactionAdvisorOrderedFirstCommitsAfterTheRelease() {
		runner().withUserConfiguration(OuterTransactionConfiguration.class).run((context) -> {
			context.getBean(TransactionalService.class).work();
			assertThat(context.getBean(RecordingTransactionManager.class).lockFileAtCommit).containsExactly(false);
		});
	}

	@Test
	void adviceOrderPropertyMovesTheHoldBackOutside() {
		runner().withUserConfiguration(OuterTransactionConfiguration.class)
			.withPropertyValues("update-lock.advice.order=-1")
			.run((context) -> {
				context.getBean(TransactionalService.class).work();
				assertThat(context.getBean(RecordingTransactionManager.class).lockFileAtCommit).containsExactly(true);
			});
	}

	@Test
	void adviceInsideTheHoldRunsAgainForEachSubscriptionOfAReactiveMethod() {
		runner().withUserConfiguration(InnerAdviceConfiguration.class).run((context) -> {
			Mono<String> mono = context.getBean(ReactiveNamedService.class).mono();
			StepVerifier.create(mono).expectNext("mono").verifyComplete();
			StepVerifier.create(mono).expectNext("mono").verifyComplete();
			assertThat(context.getBean("innerAdviceCalls", AtomicInteger.class)).hasValue(2);
		});
	}

	@Test
	void anInvalidMaxWaitFailsStartup() {
		runner().withBean(InvalidWaitService.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("maxWait 'soon' is not a duration (such as 30s, 500ms or PT1M)");
			assertThat(context.getStartupFailure()).hasStackTraceContaining(
					"Invalid @HoldUpdateLock on " + InvalidWaitService.class.getName() + "#work");
		});
	}

	@Test
	void anUnresolvablePlaceholderFailsStartup() {
		runner().withBean(UnresolvableNameService.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("Could not resolve placeholder 'missing.job.name'");
		});
	}

	@Test
	void aPublisherThatNoReactiveAdapterCreatesFailsStartup() {
		runner().withBean(OtherPublisherService.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("return type "
					+ NoopPublisher.class.getName() + " has no ReactiveAdapter of its own in Spring's "
					+ "ReactiveAdapterRegistry (the one for org.reactivestreams.Publisher cannot create it); declare "
					+ "Publisher, or register an adapter");
		});
	}

	@Test
	void noAdviceWhenTheUpdateLockIsDisabled() {
		runner().withPropertyValues("update-lock.enabled=false").withBean(NamedService.class).run((context) -> {
			assertThat(AopUtils.isAopProxy(context.getBean(NamedService.class))).isFalse();
			assertThat(context.getBean(NamedService.class).givenName()).isNull();
		});
	}

	/**
	 * Tells the newest active hold, which inside an advised call is that call's own.
	 */
	abstract static class HoldObserver implements BeanFactoryAware {

		private BeanFactory beanFactory;

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		String currentHold() {
			ActiveHold hold = currentActiveHold();
			return (hold != null) ? hold.name() : null;
		}

		ActiveHold currentActiveHold() {
			UpdateLockManager manager = this.beanFactory.getBeanProvider(UpdateLockManager.class).getIfAvailable();
			List<ActiveHold> holds = (manager != null) ? manager.snapshot().holds() : List.of();
			return holds.isEmpty() ? null : holds.get(holds.size() - 1);
		}

	}

	static class NamedService extends HoldObserver {

		@HoldUpdateLock
		public String defaultName() {
			return currentHold();
		}

		@HoldUpdateLock("firmware")
		public String givenName() {
			return currentHold();
		}

		@HoldUpdateLock("device-#{#device}-#{#p1}")
		public String spelName(String device, int slot) {
			return currentHold();
		}

		public String selfInvocation() {
			return givenName();
		}

	}

	static class PaymentService extends HoldObserver {

		@HoldUpdateLock("payment-${app.region}-#{#orderId}")
		public ActiveHold pay(String orderId) {
			return currentActiveHold();
		}

		@HoldUpdateLock("refund")
		public ActiveHold refund() {
			return currentActiveHold();
		}

	}

	static class PlaceholderNamedService extends HoldObserver {

		@HoldUpdateLock("job-${app.job}")
		public String placeholderName() {
			return currentHold();
		}

	}

	@HoldUpdateLock("class-level")
	static class ClassLevelService extends HoldObserver {

		public String inherited() {
			return currentHold();
		}

		@HoldUpdateLock("method-level")
		public String own() {
			return currentHold();
		}

		String packagePrivate() {
			return currentHold();
		}

		@Override
		public String toString() {
			return "no hold: " + currentHold();
		}

	}

	static class ReactiveNamedService extends HoldObserver {

		@HoldUpdateLock("mono")
		public Mono<String> mono() {
			return Mono.just(currentHold());
		}

	}

	/**
	 * Counts its calls, ordered after (so inside) the hold, as {@code @Transactional} is by
	 * default.
	 */
	@Configuration(proxyBeanMethods = false)
	static class InnerAdviceConfiguration {

		@Bean
		AtomicInteger innerAdviceCalls() {
			return new AtomicInteger();
		}

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static Advisor innerAdvisor(BeanFactory beanFactory) {
			MethodInterceptor counting = (invocation) -> {
				beanFactory.getBean("innerAdviceCalls", AtomicInteger.class).incrementAndGet();
				return invocation.proceed();
			};
			DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
					AnnotationMatchingPointcut.forMethodAnnotation(HoldUpdateLock.class), counting);
			advisor.setOrder(Ordered.LOWEST_PRECEDENCE);
			return advisor;
		}

		@Bean
		ReactiveNamedService reactiveNamedService() {
			return new ReactiveNamedService();
		}

	}

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@HoldUpdateLock(maxWait = "1m")
	@interface FirmwareStep {

		@AliasFor(annotation = HoldUpdateLock.class, attribute = "name")
		String value();

	}

	static class MetaAnnotatedService extends HoldObserver {

		@FirmwareStep("firmware-flash")
		public String flash() {
			return currentHold();
		}

	}

	interface Job {

		@HoldUpdateLock("job")
		String run();

	}

	static class InterfaceAnnotatedJob extends HoldObserver implements Job {

		@Override
		public String run() {
			return currentHold();
		}

	}

	static class PlainBean {

		public String work() {
			return "work";
		}

	}

	static class InvalidWaitService {

		@HoldUpdateLock(maxWait = "soon")
		public void work() {
		}

	}

	static class UnresolvableNameService {

		@HoldUpdateLock("${missing.job.name}")
		public void work() {
		}

	}

	static class OtherPublisherService {

		@HoldUpdateLock
		public NoopPublisher publish() {
			return new NoopPublisher();
		}

	}

	static class NoopPublisher implements Publisher<String> {

		@Override
		public void subscribe(Subscriber<? super String> subscriber) {
		}

	}

	static class TransactionalService {

		@HoldUpdateLock
		@Transactional
		public void work() {
		}

	}

	/**
	 * A real transaction manager with no resource behind it: it records, at each commit,
	 * whether the lock file was still there.
	 */
	static class RecordingTransactionManager extends AbstractPlatformTransactionManager {

		private final Path lockFile;

		final List<Boolean> lockFileAtCommit = new CopyOnWriteArrayList<>();

		RecordingTransactionManager(Path lockFile) {
			this.lockFile = lockFile;
		}

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
			this.lockFileAtCommit.add(Files.exists(this.lockFile));
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement(proxyTargetClass = true)
	static class TransactionConfiguration {

		@Bean
		RecordingTransactionManager transactionManager(UpdateLockManager updateLockManager) {
			return new RecordingTransactionManager(updateLockManager.path());
		}

		@Bean
		TransactionalService transactionalService() {
			return new TransactionalService();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement(proxyTargetClass = true, order = 0)
	static class OuterTransactionConfiguration {

		@Bean
		RecordingTransactionManager transactionManager(UpdateLockManager updateLockManager) {
			return new RecordingTransactionManager(updateLockManager.path());
		}

		@Bean
		TransactionalService transactionalService() {
			return new TransactionalService();
		}

	}

}
