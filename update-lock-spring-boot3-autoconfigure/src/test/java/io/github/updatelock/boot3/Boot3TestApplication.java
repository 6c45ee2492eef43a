package io.github.updatelock.boot3;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.updatelock.aop.HoldUpdateLock;
import io.github.updatelock.event.UpdateLockEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * A Spring Boot 3.5 application as a user writes one: only the Boot 3 starter's
 * auto-configuration, critical sections of each kind the advice supports, and a listener of
 * the lock's events.
 */
@SpringBootApplication(proxyBeanMethods = false)
class Boot3TestApplication {

	@Bean
	CriticalWork criticalWork() {
		return new CriticalWork();
	}

	@Bean
	LockEvents lockEvents() {
		return new LockEvents();
	}

	/** The lock's events as the application receives them, through Spring's event listeners. */
	static class LockEvents {

		final List<UpdateLockEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(UpdateLockEvent event) {
			this.received.add(event);
		}

	}

	/** Critical sections that run the work they are given. */
	static class CriticalWork {

		@HoldUpdateLock("sync-work")
		void sync(Runnable work) {
			work.run();
		}

		@HoldUpdateLock("future-work")
		CompletableFuture<String> future(CompletableFuture<String> work) {
			return work;
		}

		@HoldUpdateLock("mono-work")
		Mono<String> mono(Mono<String> work) {
			return work;
		}

		@HoldUpdateLock("flux-work")
		Flux<String> flux(Flux<String> work) {
			return work;
		}

	}

}
