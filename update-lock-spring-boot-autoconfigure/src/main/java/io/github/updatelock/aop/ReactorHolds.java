package io.github.updatelock.aop;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import io.github.updatelock.UpdateLockHold;
import org.reactivestreams.Publisher;
import reactor.core.CorePublisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Holds the lock for each subscription of a {@code Mono} or {@code Flux}. Only touched when
 * Reactor is on the classpath; its methods take and return {@code Object} so that the
 * interceptor can be loaded without Reactor.
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
	 * Wraps the method's {@code Mono}: each subscription first takes a hold (an empty
	 * result when the call is skipped), then subscribes to the source, and releases the
	 * hold on completion, error or cancellation.
	 */
	static Object mono(Object result, Callable<UpdateLockHold> acquire) {
		Mono<?> source = (Mono<?>) result;
		return Mono.defer(() -> {
			HoldSlot slot = new HoldSlot();
			return acquisition(acquire, slot).flatMap((hold) -> source).doFinally((signal) -> slot.close());
		});
	}

	/**
	 * Wraps the method's {@code Flux} (or other declared {@code Publisher}) the same way as
	 * {@link #mono(Object, Callable)}.
	 */
	static Object flux(Object result, Callable<UpdateLockHold> acquire) {
		Flux<?> source = Flux.from((Publisher<?>) result);
		return Flux.defer(() -> {
			HoldSlot slot = new HoldSlot();
			return acquisition(acquire, slot).flatMapMany((hold) -> source).doFinally((signal) -> slot.close());
		});
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

		UpdateLockHold keep(UpdateLockHold hold) {
			if (hold != null && !this.state.compareAndSet(null, hold)) {
				hold.release();
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
