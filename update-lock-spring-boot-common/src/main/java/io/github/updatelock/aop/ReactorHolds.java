package io.github.updatelock.aop;

import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import io.github.updatelock.UpdateLockHold;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * Holds the lock for each subscription of a reactive return type and calls the method
 * inside that hold, as often as it is subscribed to. Any type with a {@link ReactiveAdapter}
 * works: the adapter turns what the method returns into a {@code Publisher}, Reactor holds
 * it, and the adapter turns the held publisher back into the method's type. Only touched
 * when Reactor is on the classpath; its methods return {@code Object} so that the
 * interceptor can be loaded without Reactor.
 */
final class ReactorHolds {

	private static final String KOTLIN_FLOW = "kotlinx.coroutines.flow.Flow";

	private ReactorHolds() {
	}

	/**
	 * The adapter that a method declared to return a reactive type is held through.
	 * @param registry the adapters Spring knows
	 * @param method the advised method
	 * @return the adapter, or {@code null} when the return type is not reactive
	 * @throws IllegalArgumentException for a {@code Publisher} that no adapter returns
	 */
	static ReactiveAdapter adapterFor(ReactiveAdapterRegistry registry, Method method) {
		Class<?> returnType = method.getReturnType();
		ReactiveAdapter adapter = registry.getAdapter(returnType);
		if (adapter == null || returnType.isAssignableFrom(adapter.getReactiveType())) {
			return adapter;
		}
		// An adapter for a supertype (Publisher's for CorePublisher) returns the supertype:
		// a Flux still fits where the declared type is one of its own supertypes.
		if (returnType.isAssignableFrom(Flux.class)) {
			return registry.getAdapter(Flux.class);
		}
		throw new IllegalArgumentException("return type " + returnType.getName() + " has no ReactiveAdapter of "
				+ "its own in Spring's ReactiveAdapterRegistry (the one for " + adapter.getReactiveType().getName()
				+ " cannot create it); declare " + adapter.getReactiveType().getSimpleName()
				+ ", or register an adapter");
	}

	/**
	 * The adapter for the publisher that Spring's proxy makes of a Kotlin {@code suspend}
	 * function: a {@code Flux} for one that returns a {@code Flow}, a {@code Mono} for any
	 * other, as Spring's transaction advice sees them.
	 */
	static ReactiveAdapter adapterForSuspendingFunction(ReactiveAdapterRegistry registry, Method method) {
		boolean flow = KOTLIN_FLOW.equals(new MethodParameter(method, -1).getParameterType().getName());
		return registry.getAdapter(flow ? Flux.class : Mono.class);
	}

	/**
	 * Defers the call of a reactive method: each subscription first takes a hold (an empty
	 * result when the call is skipped), then calls the method and subscribes to what it
	 * returns, and releases the hold on completion, error or cancellation.
	 * @param invocation the advised call, not proceeded yet
	 * @param methodId names the method in the error for a {@code null} result
	 * @param acquire takes the hold, or returns {@code null} when the call is skipped
	 * @param adapter converts between the method's return type and a {@code Publisher}
	 * @return the held result, of the method's return type
	 */
	static Object hold(MethodInvocation invocation, String methodId, Callable<UpdateLockHold> acquire,
			ReactiveAdapter adapter) {
		Publisher<?> held;
		if (adapter.isMultiValue()) {
			held = Flux.defer(() -> {
				HoldSlot slot = new HoldSlot();
				return acquisition(acquire, slot).flatMapMany((hold) -> call(invocation, methodId, adapter))
					.doFinally((signal) -> slot.close());
			});
		}
		else {
			held = Mono.defer(() -> {
				HoldSlot slot = new HoldSlot();
				return acquisition(acquire, slot).flatMap((hold) -> Mono.from(call(invocation, methodId, adapter)))
					.doFinally((signal) -> slot.close());
			});
		}
		return adapter.fromPublisher(held);
	}

	/**
	 * Calls the method for one subscription whose hold is granted, turning a synchronous
	 * failure or a {@code null} result into an error signal (so that the hold is released
	 * like on any other error).
	 */
	private static Publisher<?> call(MethodInvocation invocation, String methodId, ReactiveAdapter adapter) {
		Object result;
		try {
			// An invocation runs the rest of the advice chain once only (a second proceed()
			// goes straight to the target): each subscription proceeds a copy, as Spring's
			// @Retryable advice does for each attempt.
			MethodInvocation copy = (invocation instanceof ProxyMethodInvocation proxied) ? proxied.invocableClone()
					: invocation;
			result = HoldUpdateLockInterceptor.proceedHolding(copy);
		}
		catch (Throwable ex) {
			return Mono.error(ex);
		}
		if (result == null) {
			return Mono.error(new IllegalStateException(methodId + " returned null instead of a "
					+ invocation.getMethod().getReturnType().getSimpleName()));
		}
		return adapter.toPublisher(result);
	}

	private static Mono<UpdateLockHold> acquisition(Callable<UpdateLockHold> acquire, HoldSlot slot) {
		Mono<UpdateLockHold> acquisition = Mono.fromCallable(() -> slot.keep(acquire.call()));
		// Taking the lock may wait (with the default acquire timeout, up to seconds): never
		// on a thread that must not block, such as a Netty event loop or a parallel worker.
		return Schedulers.isInNonBlockingThread() ? acquisition.subscribeOn(Schedulers.boundedElastic())
				: acquisition;
	}

	/**
	 * The hold of one subscription. Whichever comes second, the hold or the end of the
	 * subscription (a cancellation can overtake a slow acquisition), releases it, exactly
	 * once.
	 */
	private static final class HoldSlot {

		private static final Object CLOSED = new Object();

		private final AtomicReference<Object> state = new AtomicReference<>();

		/**
		 * Keeps the hold, unless the subscription ended first.
		 * @return the hold, or {@code null} when it was released again, so that the method
		 * is never called without it
		 */
		UpdateLockHold keep(UpdateLockHold hold) {
			if (hold != null && !this.state.compareAndSet(null, hold)) {
				hold.release();
				return null;
			}
			return hold;
		}

		void close() {
			Object previous = this.state.getAndSet(CLOSED);
			if (previous instanceof UpdateLockHold hold) {
				hold.release();
			}
		}

	}

}
