package io.github.updatelock.aop;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Runs a method while holding the balenaOS update lock, so that no app or host OS update
 * stops the application in the middle of it.
 * <p>
 * On a method, or on a type for all its public methods (the method's own annotation
 * wins); also usable as a meta-annotation. The hold lasts:
 * <ul>
 * <li>for a plain method, until it returns or throws (so, with the default advice order,
 * until after a {@code @Transactional} commit or rollback);</li>
 * <li>for a method returning a {@code CompletionStage} (such as {@code CompletableFuture}),
 * until the stage the method returned completes, normally or not, or the method throws.
 * The caller gets a copy of that stage, which completes the same way once the hold has
 * ended: cancelling the copy or timing it out ({@code orTimeout}) ends only the caller's
 * wait, not the hold, since it does not stop the work. A declared subclass of
 * {@code CompletableFuture} gets a copy of its own class when it makes its dependants so
 * ({@code newIncompleteFuture()}); any other declared type gets the method's own stage,
 * with a warning at startup, and whoever cancels it ends the hold;</li>
 * <li>for a method returning a reactive type that Spring's
 * {@link org.springframework.core.ReactiveAdapterRegistry ReactiveAdapterRegistry} adapts
 * (Reactor's {@code Mono}, {@code Flux} and {@code Publisher}, RxJava 3, SmallRye Mutiny,
 * a Kotlin {@code Flow}, or any registered adapter; Reactor must be on the classpath), from
 * each subscription until it completes, fails or is cancelled: there a cancel stops the
 * work, so it ends the hold. The method is not called
 * when the proxy is: each subscription takes its hold and then calls the method, so that
 * work the method does before it returns its publisher runs inside the hold too.
 * Subscribing twice calls the method twice, as with Spring's reactive transactions. When
 * the subscribing thread must not block (a Netty event loop, a parallel worker), the hold
 * is taken and the method called on a bounded-elastic thread;</li>
 * <li>for a Kotlin {@code suspend} function (with {@code kotlinx-coroutines-reactor}, as
 * Spring's proxies need), from the call until the function returns or throws, across its
 * suspensions: Spring's proxy runs it as a publisher, held like the above. Cancelling the
 * calling coroutine cancels that subscription: the hold ends at once, and the function is
 * cancelled at its next suspension point, so what it still runs after that (a
 * {@code finally} block, {@code withContext(NonCancellable)}) runs without the hold.</li>
 * </ul>
 * Each hold is released exactly once, from whatever thread ends the work.
 * <p>
 * Like all Spring proxy-based advice, it applies only to calls through the bean's proxy:
 * a call from the same object ({@code this.method()}), a {@code final} or {@code private}
 * method, or an object not managed by Spring runs without the lock.
 * {@link UpdateLockAssert#assertHeld()} proves in a test that the advice applies.
 *
 * @see LockNotObtainedPolicy
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HoldUpdateLock {

	/**
	 * Alias for {@link #name()}.
	 * @return the hold name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * The hold's name, shown in snapshots, logs and events. Defaults to
	 * {@code SimpleClassName#method}. Property placeholders ({@code ${app.job}}) are
	 * resolved once; SpEL templates ({@code firmware-#{#device.id}}) are evaluated per call
	 * and see the arguments by name, as {@code #p0}/{@code #a0}, and beans as
	 * {@code @beanName}.
	 * @return the hold name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * How long to wait while someone else holds the lock, as a duration ({@code 30s},
	 * {@code 500ms}, {@code PT1M}, a bare number being milliseconds; {@code 0} tries once)
	 * or a property placeholder. Defaults to the manager's acquire timeout
	 * ({@code update-lock.acquire-timeout}).
	 * @return the longest wait, or an empty string for the default
	 */
	String maxWait() default "";

	/**
	 * What to do when the hold cannot be had. Defaults to
	 * {@code update-lock.advice.if-not-obtained}, itself {@link LockNotObtainedPolicy#THROW}
	 * unless configured.
	 * @return the policy
	 */
	LockNotObtainedPolicy ifNotObtained() default LockNotObtainedPolicy.DEFAULT;

}
