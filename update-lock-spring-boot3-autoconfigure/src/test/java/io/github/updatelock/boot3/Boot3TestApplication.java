package io.github.updatelock.boot3;

import java.util.concurrent.CompletableFuture;

import io.github.updatelock.aop.HoldUpdateLock;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot 3.5 application as a user writes one: only the Boot 3 starter's
 * auto-configuration, and critical sections of each kind the advice supports.
 */
@SpringBootApplication(proxyBeanMethods = false)
class Boot3TestApplication {

	@Bean
	CriticalWork criticalWork() {
		return new CriticalWork();
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
