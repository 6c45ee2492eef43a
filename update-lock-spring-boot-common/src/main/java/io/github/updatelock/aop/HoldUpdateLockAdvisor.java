package io.github.updatelock.aop;

import java.lang.reflect.Method;
import java.util.Objects;

import org.aopalliance.aop.Advice;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Applies the {@link HoldUpdateLockInterceptor} to every method a
 * {@link HoldUpdateLock @HoldUpdateLock} applies to. Picked up by Spring's auto-proxy
 * creator like the advisors behind {@code @Transactional} and {@code @Cacheable}, so that
 * all of them sit in one chain sorted by order: no AspectJ weaver needed.
 * <p>
 * The {@linkplain #DEFAULT_ORDER default order} puts the hold outside
 * {@code @Transactional} (whose advisor has the lowest precedence unless configured): a
 * transaction commits or rolls back before the hold is released. It also lies outside
 * {@code @Cacheable}, so a cache hit still takes a hold.
 */
public final class HoldUpdateLockAdvisor extends AbstractPointcutAdvisor {

	private static final long serialVersionUID = 1L;

	/**
	 * The default order: just above {@link Ordered#LOWEST_PRECEDENCE}, where Spring's
	 * transaction and cache advisors sit by default, so that the hold wraps around them.
	 */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private final transient HoldUpdateLockInterceptor interceptor;

	private final transient Pointcut pointcut;

	/**
	 * Creates the advisor with the {@linkplain #DEFAULT_ORDER default order}.
	 * @param interceptor the advice
	 */
	public HoldUpdateLockAdvisor(HoldUpdateLockInterceptor interceptor) {
		this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
		this.pointcut = new AnnotatedMethods(interceptor);
		setOrder(DEFAULT_ORDER);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

	/**
	 * Matches what the interceptor finds an annotation for, so that the pointcut and the
	 * advice can never disagree, and analyses each method while proxies are created.
	 */
	private static final class AnnotatedMethods extends StaticMethodMatcherPointcut {

		private final HoldUpdateLockInterceptor interceptor;

		AnnotatedMethods(HoldUpdateLockInterceptor interceptor) {
			this.interceptor = interceptor;
			setClassFilter(new Candidates());
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return this.interceptor.isAdvised(method, targetClass);
		}

	}

	/** Skips classes that cannot carry the annotation at all, such as the JDK's. */
	private static final class Candidates implements ClassFilter {

		@Override
		public boolean matches(Class<?> clazz) {
			return AnnotationUtils.isCandidateClass(clazz, HoldUpdateLock.class);
		}

	}

}
