package io.github.updatelock.aop;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ReactiveAdapter;
import org.springframework.expression.BeanResolver;
import org.springframework.expression.Expression;

/**
 * Everything the advice needs to know about one advised method, worked out once (from the
 * annotation, the configuration and the return type) so that a call does no reflection and
 * builds no strings when the hold name is a constant.
 */
final class HoldUpdateLockOperation {

	/** How the hold follows the method's result; decided from the declared return type. */
	enum Kind {

		/** Released when the method returns or throws. */
		PLAIN,

		/**
		 * Released when the returned stage completes, or when the method throws; the caller
		 * gets a copy of that stage (see {@link CompletionStageHolds}).
		 */
		COMPLETION_STAGE,

		/**
		 * Held per subscription of a reactive type that a {@link ReactiveAdapter} converts
		 * (Reactor's, RxJava's, a Kotlin {@code Flow}, the publisher behind a Kotlin
		 * {@code suspend} function), which calls the method.
		 */
		REACTIVE

	}

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final Kind kind;

	private final ReactiveAdapter reactiveAdapter;

	private final CompletionStageHolds completionStageHolds;

	private final String declaredName;

	private final String constantName;

	private final Expression nameExpression;

	private final Method method;

	private final BeanResolver beanResolver;

	private final Duration maxWait;

	private final LockNotObtainedPolicy policy;

	private final String methodId;

	private final Supplier<Object> skipValue;

	HoldUpdateLockOperation(Kind kind, ReactiveAdapter reactiveAdapter, CompletionStageHolds completionStageHolds,
			String declaredName, String constantName, Expression nameExpression, Method method,
			BeanResolver beanResolver, Duration maxWait, LockNotObtainedPolicy policy, String methodId,
			Supplier<Object> skipValue) {
		this.kind = kind;
		this.reactiveAdapter = reactiveAdapter;
		this.completionStageHolds = completionStageHolds;
		this.declaredName = declaredName;
		this.constantName = constantName;
		this.nameExpression = nameExpression;
		this.method = method;
		this.beanResolver = beanResolver;
		this.maxWait = maxWait;
		this.policy = policy;
		this.methodId = methodId;
		this.skipValue = skipValue;
	}

	Kind kind() {
		return this.kind;
	}

	/**
	 * Converts between the method's reactive type and a {@code Publisher}.
	 * @return the adapter, or {@code null} unless the kind is {@link Kind#REACTIVE}
	 */
	ReactiveAdapter reactiveAdapter() {
		return this.reactiveAdapter;
	}

	/**
	 * Holds the lock while the work behind a returned stage runs.
	 * @return the strategy, or {@code null} unless the kind is {@link Kind#COMPLETION_STAGE}
	 */
	CompletionStageHolds completionStageHolds() {
		return this.completionStageHolds;
	}

	/**
	 * The hold name as the annotation declares it, placeholders resolved: the constant, or
	 * the SpEL template itself, which meters use since it does not vary per call.
	 */
	String declaredName() {
		return this.declaredName;
	}

	/**
	 * The hold name for one call: the constant, or the SpEL template evaluated over the
	 * call's arguments.
	 */
	String holdName(Object target, Object[] arguments) {
		if (this.constantName != null) {
			return this.constantName;
		}
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(target, this.method, arguments,
				parameterNames);
		if (this.beanResolver != null) {
			context.setBeanResolver(this.beanResolver);
		}
		return String.valueOf(this.nameExpression.getValue(context));
	}

	/**
	 * The longest wait.
	 * @return the wait, or {@code null} for the manager's acquire timeout
	 */
	Duration maxWait() {
		return this.maxWait;
	}

	/** Never {@link LockNotObtainedPolicy#DEFAULT}: resolved from configuration already. */
	LockNotObtainedPolicy policy() {
		return this.policy;
	}

	String methodId() {
		return this.methodId;
	}

	/** What a skipped plain or {@code CompletionStage} call returns. */
	Object skipValue() {
		return this.skipValue.get();
	}

}
