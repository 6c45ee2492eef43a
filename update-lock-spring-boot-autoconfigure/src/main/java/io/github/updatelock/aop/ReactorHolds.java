package io.github.updatelock.aop;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import io.github.updatelock.UpdateLockHold;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import reactor.core.CorePublisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.aop.ProxyMethodInvocation;

/**
 * Holds the lock for each subscription of a {@code Mono} or {@code Flux} method and calls
 * the method inside that hold, as often as it is subscribed to. Only touched when Reactor
 * is on the classpath; its methods return {@code Object} so that the interceptor can be
 * loaded without Reactor.
 */
final class ReactorHolds {

	private ReactorHolds() {
	}

	/**
	 * The kind for a declared return type that Reactor can stand for.
	 * @return {@code MONO}, {@code FLUX}, or {@code null} for any other type
	 */
	static HoldUpdateLockOperation.Kind kindOf(Class<?> returnType) {
		if (returnType == Mono.class) {
			return HoldUpdateLockOperation.Kind.MONO;
		}
		if (returnType == Flux.class || returnType == Publisher.class || returnType == CorePublisher.class) {
			return HoldUpdateLockOperation.Kind.FLUX;
		}
		return null;
	}

	static Object empty(HoldUpdateLockOperation.Kind kind) {
		return (kind == HoldUpdateLockOperation.Kind.MONO) ? Mono.empty() : Flux.empty();
	}

	/**
	 * Defers the call of a {@code Mono} method: each subscription first takes a hold (an
	 * empty result when the call is skipped), then calls the method and subscribes to what
	 * it returns, and releases the hold on completion, error or cancellation.
	 * @param invocation the advised call, not proceeded yet
	 * @param methodId names the method in the error for a {@code null} result
	 * @param acquire takes the hold, or returns {@code null} when the call is skipped
	 */
	static Object mono(MethodInvocation invocation, String methodId, Callable<UpdateLockHold> acquire) {
		return Mono.defer(() -> {
			HoldSlot slot = new HoldSlot();
			return acquisition(acquire, slot).flatMap((hold) -> (Mono<?>) call(invocation, methodId))
				.doFinally((signal) -> slot.close());
		});
	}

	/**
	 * Defers the call of a {@code Flux} method (or one declared to return another
	 * {@code Publisher}) the same way as {@link #mono(MethodInvocation, String, Callable)}.
	 */
	static Object flux(MethodInvocation invocation, String methodId, Callable<UpdateLockHold> acquire) {
		return Flux.defer(() -> {
			HoldSlot slot = new HoldSlot();
			return acquisition(acquire, slot).flatMapMany((hold) -> call(invocation, methodId))
				.doFinally((signal) -> slot.close());
		});
	}

	/**
	 * Calls the method for one subscription whose hold is granted, turning a synchronous
	 * failure or a {@code null} result into an error signal (so that the hold is released
	 * like on any other error).
	 */
	private static Publisher<?> call(MethodInvocation invocation, String methodId) {
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
		return (Publisher<?>) result;
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
