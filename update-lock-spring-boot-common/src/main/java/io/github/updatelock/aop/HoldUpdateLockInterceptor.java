package io.github.updatelock.aop;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockTimeoutException;
import io.github.updatelock.UpdateLockUnavailableException;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ClassUtils;

/**
 * The advice behind {@link HoldUpdateLock @HoldUpdateLock}: takes a hold from the
 * {@link UpdateLockManager} around each advised call, and releases it exactly once when
 * the work ends, as the method's return type tells (see {@link HoldUpdateLock}).
 * <p>
 * Each method is analysed once; a call then finds its analysis in a small cache and costs
 * the manager's own acquire and release (which, while the lock is already held, only
 * count). The manager is looked up on first use, so that this interceptor can be created
 * with the infrastructure beans without pulling the manager in early.
 */
public final class HoldUpdateLockInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(HoldUpdateLockInterceptor.class);

	private static final String CLASS_NAME = HoldUpdateLockInterceptor.class.getName();

	private static final String PROCEED_HOLDING = "proceedHolding";

	private final Supplier<UpdateLockManager> managerSupplier;

	private final ApplicationEventPublisher eventPublisher;

	private final HoldUpdateLockOperationSource operations;

	private volatile UpdateLockManager manager;

	/**
	 * Creates the interceptor.
	 * @param manager supplies the manager, called once on the first advised call
	 * @param eventPublisher receives a {@link HoldUpdateLockSkippedEvent} for each skipped
	 * call
	 * @param defaultPolicy what annotations that say {@link LockNotObtainedPolicy#DEFAULT}
	 * do: {@code THROW} or {@code SKIP}
	 * @param placeholders resolves {@code ${...}} in annotation attributes
	 * @param beanFactory resolves {@code @beanName} in SpEL hold names, and gives the class
	 * loader that decides whether Reactor is present; may be {@code null}
	 */
	public HoldUpdateLockInterceptor(Supplier<UpdateLockManager> manager, ApplicationEventPublisher eventPublisher,
			LockNotObtainedPolicy defaultPolicy, PropertyResolver placeholders, BeanFactory beanFactory) {
		this.managerSupplier = Objects.requireNonNull(manager, "manager");
		this.eventPublisher = Objects.requireNonNull(eventPublisher, "eventPublisher");
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable
				&& configurable.getBeanClassLoader() != null) ? configurable.getBeanClassLoader()
						: ClassUtils.getDefaultClassLoader();
		this.operations = new HoldUpdateLockOperationSource(defaultPolicy,
				Objects.requireNonNull(placeholders, "placeholders"), beanFactory, classLoader);
	}

	/**
	 * Whether a method of a target class is advised, analysing it if that was not done yet.
	 * @param method the method
	 * @param targetClass the class of the object it is called on
	 * @return {@code true} when a {@link HoldUpdateLock @HoldUpdateLock} applies to it
	 * @throws IllegalStateException if the annotation that applies is invalid
	 */
	public boolean isAdvised(Method method, Class<?> targetClass) {
		return this.operations.get(method, targetClass) != null;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Method method = invocation.getMethod();
		HoldUpdateLockOperation operation = this.operations.get(method,
				(target != null) ? target.getClass() : method.getDeclaringClass());
		if (operation == null) {
			return invocation.proceed();
		}
		String holdName = operation.holdName(target, invocation.getArguments());
		return switch (operation.kind()) {
			case PLAIN -> invokePlain(invocation, operation, holdName);
			case COMPLETION_STAGE -> invokeCompletionStage(invocation, operation, holdName);
			case REACTIVE -> ReactorHolds.hold(invocation, operation.methodId(), () -> acquire(operation, holdName),
					operation.reactiveAdapter());
		};
	}

	private Object invokePlain(MethodInvocation invocation, HoldUpdateLockOperation operation, String holdName)
			throws Throwable {
		UpdateLockHold hold = acquire(operation, holdName);
		if (hold == null) {
			return operation.skipValue();
		}
		try {
			return proceedHolding(invocation);
		}
		finally {
			hold.release();
		}
	}

	private Object invokeCompletionStage(MethodInvocation invocation, HoldUpdateLockOperation operation,
			String holdName) throws Throwable {
		UpdateLockHold hold = acquire(operation, holdName);
		if (hold == null) {
			return operation.skipValue();
		}
		Object result;
		try {
			result = proceedHolding(invocation);
		}
		catch (Throwable ex) {
			hold.release();
			throw ex;
		}
		if (result == null) {
			hold.release();
			return null;
		}
		// The hold follows the work's own stage, on the thread that completes it; the caller
		// gets a copy, so that its cancel or timeout does not end the hold while the work runs.
		return operation.completionStageHolds().releaseWhenDone((CompletionStage<?>) result, hold);
	}

	/**
	 * Runs the body of an advised call whose hold is granted: the only caller of
	 * {@code proceed()} with a hold, so that {@link #isHoldingOnCurrentThread()} can find it
	 * on the stack. {@link ReactorHolds} calls it too, for each subscription.
	 */
	static Object proceedHolding(MethodInvocation invocation) throws Throwable {
		return invocation.proceed();
	}

	/**
	 * Whether the current thread runs the body of an advised call whose hold was granted:
	 * a plain method, the synchronous part of a method returning a {@code CompletionStage},
	 * or a method returning a reactive type, which is called when a subscription has its
	 * hold (not the work its publisher does later, nor the body of a Kotlin {@code suspend}
	 * function, which runs as such work). This walks the stack, a few
	 * microseconds, so that advised calls need not keep a thread-local up to date: that cost
	 * each call about as much as all the rest of the advice.
	 * @return {@code true} inside such a call, also one nested in it
	 * @see UpdateLockAssert
	 */
	static boolean isHoldingOnCurrentThread() {
		return StackWalker.getInstance()
			.walk((frames) -> frames.anyMatch((frame) -> frame.getClassName().equals(CLASS_NAME)
					&& frame.getMethodName().equals(PROCEED_HOLDING)));
	}

	/**
	 * Takes the hold, or applies the policy when it cannot be had.
	 * @return the hold, or {@code null} when the call is to be skipped
	 */
	private UpdateLockHold acquire(HoldUpdateLockOperation operation, String holdName) {
		UpdateLockManager manager = manager();
		try {
			return (operation.maxWait() != null)
					? manager.acquire(holdName, operation.declaredName(), operation.maxWait())
					: manager.acquire(holdName, operation.declaredName());
		}
		catch (UpdateLockTimeoutException | UpdateLockUnavailableException ex) {
			if (operation.policy() == LockNotObtainedPolicy.SKIP) {
				if (logger.isDebugEnabled()) {
					logger.debug("Skipped " + operation.methodId() + ": " + ex.getMessage());
				}
				this.eventPublisher.publishEvent(new HoldUpdateLockSkippedEvent(holdName, operation.methodId()));
				return null;
			}
			throw new UpdateLockNotObtainedException(holdName, operation.methodId(), ex);
		}
	}

	private UpdateLockManager manager() {
		UpdateLockManager current = this.manager;
		if (current == null) {
			current = Objects.requireNonNull(this.managerSupplier.get(), "No UpdateLockManager to hold the lock with");
			this.manager = current;
		}
		return current;
	}

}
