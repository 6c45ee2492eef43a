package io.github.updatelock.aop;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.core.KotlinDetector;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.PropertyResolver;
import org.springframework.expression.BeanResolver;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.ParserContext;
import org.springframework.expression.common.LiteralExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link HoldUpdateLock @HoldUpdateLock} that applies to a method of a target
 * class and turns it into a {@link HoldUpdateLockOperation}, once per method and class.
 * Mistakes in an annotation (a wait that is not a duration, an unresolvable placeholder, a
 * broken SpEL template, a reactive type that cannot be held) surface here, which for
 * class-based proxies means when the proxy is created, at startup.
 */
final class HoldUpdateLockOperationSource {

	private static final Log logger = LogFactory.getLog(HoldUpdateLockOperationSource.class);

	private static final Object NONE = new Object();

	private static final int RECENT_SIZE = 64;

	// Keyed by class, then by method: a call looks up two maps and allocates no key object.
	private final Map<Class<?>, Map<Method, Object>> cache = new ConcurrentHashMap<>();

	// A small direct-mapped cache in front of the maps, indexed by the method's identity hash
	// (proxies pass the same Method object on every call): a call then finds its operation
	// with two reference comparisons. The two map look-ups it saves took about 15 ns, a fifth
	// of the whole advice. Entries are immutable, so a racy write at worst makes a call miss.
	private final Resolved[] recent = new Resolved[RECENT_SIZE];

	private final LockNotObtainedPolicy defaultPolicy;

	private final PropertyResolver placeholders;

	private final BeanResolver beanResolver;

	private final boolean reactorPresent;

	private final boolean coroutinesReactorPresent;

	private final ReactiveAdapterRegistry reactiveAdapters = ReactiveAdapterRegistry.getSharedInstance();

	private final SpelExpressionParser parser = new SpelExpressionParser();

	HoldUpdateLockOperationSource(LockNotObtainedPolicy defaultPolicy, PropertyResolver placeholders,
			BeanFactory beanFactory, ClassLoader classLoader) {
		if (defaultPolicy == null || defaultPolicy == LockNotObtainedPolicy.DEFAULT) {
			throw new IllegalArgumentException("The default policy must be THROW or SKIP, was " + defaultPolicy);
		}
		this.defaultPolicy = defaultPolicy;
		this.placeholders = placeholders;
		this.beanResolver = (beanFactory != null) ? new BeanFactoryResolver(beanFactory) : null;
		this.reactorPresent = ClassUtils.isPresent("reactor.core.publisher.Flux", classLoader);
		// What Spring's proxies need to turn a suspend function into a publisher and back.
		this.coroutinesReactorPresent = this.reactorPresent
				&& ClassUtils.isPresent("kotlinx.coroutines.reactor.MonoKt", classLoader);
	}

	/**
	 * The operation for a method called on an instance of a target class.
	 * @return the operation, or {@code null} when the method is not advised
	 */
	HoldUpdateLockOperation get(Method method, Class<?> targetClass) {
		int slot = System.identityHashCode(method) & (RECENT_SIZE - 1);
		Resolved resolved = this.recent[slot];
		if (resolved == null || resolved.method() != method || resolved.targetClass() != targetClass) {
			resolved = new Resolved(method, targetClass, lookUp(method, targetClass));
			this.recent[slot] = resolved;
		}
		return resolved.operation();
	}

	private HoldUpdateLockOperation lookUp(Method method, Class<?> targetClass) {
		Map<Method, Object> perClass = this.cache.get(targetClass);
		if (perClass == null) {
			perClass = this.cache.computeIfAbsent(targetClass, (key) -> new ConcurrentHashMap<>());
		}
		Object operation = perClass.get(method);
		if (operation == null) {
			// Analysed outside computeIfAbsent: annotation lookup may load classes and
			// resolve placeholders, which must not run while a map bin is locked.
			Object analysed = analyse(method, targetClass);
			operation = perClass.putIfAbsent(method, (analysed != null) ? analysed : NONE);
			if (operation == null) {
				operation = (analysed != null) ? analysed : NONE;
			}
		}
		return (operation != NONE) ? (HoldUpdateLockOperation) operation : null;
	}

	private HoldUpdateLockOperation analyse(Method method, Class<?> targetClass) {
		if (method.getDeclaringClass() == Object.class) {
			return null;
		}
		Class<?> userClass = ClassUtils.getUserClass(targetClass);
		Method specific = AopUtils.getMostSpecificMethod(method, userClass);
		HoldUpdateLock annotation = AnnotatedElementUtils.findMergedAnnotation(specific, HoldUpdateLock.class);
		if (annotation == null && specific != method) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(method, HoldUpdateLock.class);
		}
		if (annotation == null && Modifier.isPublic(method.getModifiers()) && !ReflectionUtils.isObjectMethod(method)) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(userClass, HoldUpdateLock.class);
		}
		if (annotation == null) {
			return null;
		}
		String methodId = userClass.getName() + "#" + method.getName();
		try {
			return create(annotation, specific, userClass, methodId);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Invalid @HoldUpdateLock on " + methodId + ": " + ex.getMessage(), ex);
		}
	}

	private HoldUpdateLockOperation create(HoldUpdateLock annotation, Method method, Class<?> userClass,
			String methodId) {
		ReactiveAdapter adapter = reactiveAdapter(method);
		HoldUpdateLockOperation.Kind kind = (adapter != null) ? HoldUpdateLockOperation.Kind.REACTIVE
				: CompletionStage.class.isAssignableFrom(method.getReturnType())
						? HoldUpdateLockOperation.Kind.COMPLETION_STAGE : HoldUpdateLockOperation.Kind.PLAIN;
		String name = annotation.name().isEmpty() ? userClass.getSimpleName() + "#" + method.getName()
				: this.placeholders.resolveRequiredPlaceholders(annotation.name());
		Expression expression = parseName(name);
		String constantName = (expression instanceof LiteralExpression) ? expression.getExpressionString() : null;
		LockNotObtainedPolicy policy = (annotation.ifNotObtained() != LockNotObtainedPolicy.DEFAULT)
				? annotation.ifNotObtained() : this.defaultPolicy;
		if (policy == LockNotObtainedPolicy.SKIP && adapter != null && !adapter.supportsEmpty()) {
			// A subscriber of such a type gets a value or an error: a skipped call has no
			// value, so it can only fail, as under THROW.
			if (annotation.ifNotObtained() == LockNotObtainedPolicy.SKIP) {
				throw new IllegalArgumentException("ifNotObtained = SKIP needs a return type that can complete "
						+ "empty, but a " + method.getReturnType().getSimpleName() + " always has a value; return "
						+ "a type that may be empty (such as a Maybe or a Mono), or use THROW");
			}
			policy = LockNotObtainedPolicy.THROW;
		}
		return new HoldUpdateLockOperation(kind, adapter, completionStageHolds(kind, method, methodId), name,
				constantName, (constantName != null) ? null : expression, method, this.beanResolver,
				parseMaxWait(annotation.maxWait()), policy, methodId, skipValue(kind, method.getReturnType()));
	}

	private static CompletionStageHolds completionStageHolds(HoldUpdateLockOperation.Kind kind, Method method,
			String methodId) {
		if (kind != HoldUpdateLockOperation.Kind.COMPLETION_STAGE) {
			return null;
		}
		CompletionStageHolds holds = CompletionStageHolds.forReturnType(method.getReturnType());
		if (!holds.copiesForCaller()) {
			logger.warn("@HoldUpdateLock on " + methodId + ": its callers get the very "
					+ method.getReturnType().getSimpleName() + " it returns, since no copy of that type can be made; "
					+ "a caller who cancels or completes it ends the hold while the work may run on. Declare "
					+ "CompletionStage or CompletableFuture to hold the lock until the work itself ends");
		}
		return holds;
	}

	private Expression parseName(String name) {
		try {
			return this.parser.parseExpression(name, ParserContext.TEMPLATE_EXPRESSION);
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException("name '" + name + "' is not a valid SpEL template: " + ex.getMessage(),
					ex);
		}
	}

	private Duration parseMaxWait(String maxWait) {
		if (maxWait.isEmpty()) {
			return null;
		}
		String resolved = this.placeholders.resolveRequiredPlaceholders(maxWait).trim();
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("maxWait '" + resolved + "' is not a duration (such as 30s, 500ms or "
					+ "PT1M)", ex);
		}
		if (duration.isNegative()) {
			throw new IllegalArgumentException("maxWait must be zero or more, was " + resolved);
		}
		return duration;
	}

	/**
	 * The adapter that the method's result is held through, per subscription.
	 * @return the adapter, or {@code null} for a plain or {@code CompletionStage} method
	 */
	private ReactiveAdapter reactiveAdapter(Method method) {
		Class<?> returnType = method.getReturnType();
		if (KotlinDetector.isSuspendingFunction(method)) {
			if (!this.coroutinesReactorPresent) {
				// Spring's proxy then calls it as a plain method, which returns at its first
				// suspension: the hold would end before the work does.
				throw new IllegalArgumentException("a suspend function needs kotlinx-coroutines-reactor on the "
						+ "classpath, for Spring's proxy to run it as a publisher");
			}
			return ReactorHolds.adapterForSuspendingFunction(this.reactiveAdapters, method);
		}
		if (CompletionStage.class.isAssignableFrom(returnType)) {
			return null;
		}
		if (this.reactorPresent) {
			return ReactorHolds.adapterFor(this.reactiveAdapters, method);
		}
		if (this.reactiveAdapters.getAdapter(returnType) != null || isPublisher(returnType)) {
			// Released when the method returns, the hold would end before any subscriber
			// saw a value: refuse rather than pretend.
			throw new IllegalArgumentException("return type " + returnType.getName() + " is reactive: holding the "
					+ "lock per subscription needs Reactor (reactor-core) on the classpath");
		}
		return null;
	}

	/** By name, so that no Reactive Streams class needs to be on the classpath. */
	private static boolean isPublisher(Class<?> type) {
		return ClassUtils.getAllInterfacesForClassAsSet(type)
			.stream()
			.anyMatch((face) -> "org.reactivestreams.Publisher".equals(face.getName()));
	}

	private static Supplier<Object> skipValue(HoldUpdateLockOperation.Kind kind, Class<?> returnType) {
		if (kind == HoldUpdateLockOperation.Kind.COMPLETION_STAGE) {
			return returnType.isAssignableFrom(CompletableFuture.class) ? () -> CompletableFuture.completedFuture(null)
					: () -> null;
		}
		if (returnType == Optional.class) {
			return Optional::empty;
		}
		if (returnType.isPrimitive() && returnType != void.class) {
			Object zero = Array.get(Array.newInstance(returnType, 1), 0);
			return () -> zero;
		}
		return () -> null;
	}

	/** The operation (or {@code null}) for a method called on an instance of a class. */
	private record Resolved(Method method, Class<?> targetClass, HoldUpdateLockOperation operation) {
	}

}
