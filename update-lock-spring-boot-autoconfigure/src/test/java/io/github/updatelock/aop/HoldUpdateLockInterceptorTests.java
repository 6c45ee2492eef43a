package io.github.updatelock.aop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockTimeoutException;
import io.github.updatelock.UpdateLockUnavailableException;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.autoconfigure.UpdateLockManagerBuilderCustomizer;
import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldAcquiredEvent;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class HoldUpdateLockInterceptorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UpdateLockAutoConfiguration.class))
		.withUserConfiguration(ServicesConfiguration.class);

	@TempDir
	Path tempDir;

	private ApplicationContextRunner withLockFile(Path lockFile) {
		return this.contextRunner.withPropertyValues("update-lock.path=" + lockFile);
	}

	private Path freeLockFile() {
		return this.tempDir.resolve("updates.lock");
	}

	private Path supervisorLockFile() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		return lockFile;
	}

	@Test
	void plainMethodRunsWithTheLockFileAndReleasesItWhenItReturns() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			PlainService service = context.getBean(PlainService.class);
			assertThat(service.call(() -> Files.exists(lockFile))).isTrue();
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void plainMethodReleasesWhenItThrows() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			PlainService service = context.getBean(PlainService.class);
			assertThatIllegalStateException().isThrownBy(() -> service.call(() -> {
				throw new IllegalStateException("boom");
			})).withMessage("boom");
			assertThat(lockFile).doesNotExist();
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "PlainService#call")).isOne());
		});
	}

	@Test
	void concurrentCallsShareOneLockFile() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			PlainService service = context.getBean(PlainService.class);
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			CyclicBarrier bothInside = new CyclicBarrier(2);
			Callable<Integer> work = () -> service.call(() -> {
				bothInside.await(10, TimeUnit.SECONDS);
				int holds = manager.snapshot().holds().size();
				bothInside.await(10, TimeUnit.SECONDS);
				return holds;
			});
			ExecutorService executor = Executors.newFixedThreadPool(2);
			try {
				Future<Integer> first = executor.submit(work);
				Future<Integer> second = executor.submit(work);
				assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(2);
				assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2);
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(lockFile).doesNotExist();
			await().untilAsserted(
					() -> assertThat(ManagerEvents.releasesOf(events, "PlainService#call")).isEqualTo(2));
			assertThat(events).filteredOn(UpdateLockAcquiredEvent.class::isInstance).hasSize(1);
			assertThat(events).filteredOn(UpdateLockHoldAcquiredEvent.class::isInstance).hasSize(2);
		});
	}

	@Test
	void completionStageHoldsUntilTheStageCompletes() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			AsyncService service = context.getBean(AsyncService.class);
			CompletableFuture<String> work = new CompletableFuture<>();
			CompletableFuture<String> returned = service.later(work);
			assertThat(lockFile).exists();
			work.complete("done");
			assertThat(lockFile).doesNotExist();
			assertThat(returned).isCompletedWithValue("done");
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "AsyncService#later")).isOne());
		});
	}

	@Test
	void callerTimingOutItsFutureLeavesTheHoldUntilTheWorkEnds() {
		assertHoldOutlivesTheCallersFuture((callers) -> callers.orTimeout(200, TimeUnit.MILLISECONDS));
	}

	@Test
	void callerCancellingItsFutureLeavesTheHoldUntilTheWorkEnds() {
		assertHoldOutlivesTheCallersFuture((callers) -> callers.cancel(true));
	}

	/**
	 * A firmware flash runs on its own thread until the test lets it finish; its caller gives
	 * up on the future it got meanwhile.
	 */
	private void assertHoldOutlivesTheCallersFuture(Consumer<CompletableFuture<String>> giveUp) {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			CountDownLatch flashed = new CountDownLatch(1);
			AtomicBoolean flashing = new AtomicBoolean();
			ExecutorService executor = Executors.newSingleThreadExecutor();
			try {
				CompletableFuture<String> callers = context.getBean(AsyncService.class).flash(flashing, flashed,
						executor);
				await().atMost(Duration.ofSeconds(5)).untilTrue(flashing);
				giveUp.accept(callers);
				await().atMost(Duration.ofSeconds(5)).until(callers::isDone);
				assertThat(callers).isCompletedExceptionally();
				assertThat(flashing).isTrue();
				assertThat(lockFile).exists();
				assertThat(manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly("firmware-flash");
				flashed.countDown();
				await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
				assertThat(flashing).isFalse();
				assertThat(manager.snapshot().holds()).isEmpty();
			}
			finally {
				executor.shutdownNow();
			}
		});
	}

	@Test
	void callerContinuesOnlyAfterTheHoldEnded() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			CompletableFuture<String> work = new CompletableFuture<>();
			CompletableFuture<Boolean> lockFileSeenByCaller = context.getBean(AsyncService.class)
				.later(work)
				.thenApply((value) -> Files.exists(lockFile));
			work.complete("done");
			assertThat(lockFileSeenByCaller).isCompletedWithValue(false);
		});
	}

	@Test
	void callerOfADeclaredFutureSubclassGetsItsOwnFutureOfThatClass() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			FlashFuture<String> work = new FlashFuture<>();
			FlashFuture<String> callers = context.getBean(AsyncService.class).flashFuture(work);
			assertThat(callers).isNotSameAs(work);
			callers.cancel(true);
			assertThat(lockFile).exists();
			work.complete("flashed");
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void futureSubclassThatCannotBeCopiedIsReturnedItselfAndSaysSo(CapturedOutput output) {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).withBean(UncopyableService.class).run((context) -> {
			UncopyableFuture<String> work = new UncopyableFuture<>();
			assertThat(context.getBean(UncopyableService.class).uncopyable(work)).isSameAs(work);
			assertThat(output).contains("UncopyableService#uncopyable: its callers get the very UncopyableFuture it "
					+ "returns", "a caller who cancels or completes it ends the hold");
			assertThat(lockFile).exists();
			work.complete("done");
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void completionStageReleasesWhenTheStageFails() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			CompletableFuture<String> work = new CompletableFuture<>();
			CompletableFuture<String> returned = context.getBean(AsyncService.class).later(work);
			IllegalStateException failure = new IllegalStateException("failed");
			CompletableFuture.runAsync(() -> work.completeExceptionally(failure));
			await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "AsyncService#later")).isOne());
			await().atMost(Duration.ofSeconds(5)).until(returned::isDone);
			assertThat(returned.handle((value, ex) -> ex).join()).isSameAs(failure);
		});
	}

	@Test
	void completionStageReleasesWhenTheMethodThrows() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(AsyncService.class).throwsAtOnce());
			assertThat(lockFile).doesNotExist();
			await().untilAsserted(
					() -> assertThat(ManagerEvents.releasesOf(events, "AsyncService#throwsAtOnce")).isOne());
		});
	}

	@Test
	void completionStageReleasesWhenTheMethodReturnsNull() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			assertThat(context.getBean(AsyncService.class).later(null)).isNull();
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void completionStageMethodIsCalledInsideTheHold() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			List<UpdateLockStatus> statusAtCall = new CopyOnWriteArrayList<>();
			CompletableFuture<String> returned = context.getBean(AsyncService.class).from(() -> {
				UpdateLockAssert.assertHeld();
				statusAtCall.add(manager.snapshot().status());
				return CompletableFuture.completedFuture(Files.exists(lockFile) ? "in the hold" : "unprotected");
			});
			assertThat(returned).isCompletedWithValue("in the hold");
			assertThat(statusAtCall).containsExactly(UpdateLockStatus.HELD);
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void monoIsNotHeldBeforeSubscription() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			context.getBean(ReactiveService.class).mono(Mono.just("value"));
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void monoHoldsFromSubscriptionUntilItCompletes() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			Sinks.One<String> sink = Sinks.one();
			Mono<String> mono = context.getBean(ReactiveService.class).mono(sink.asMono());
			StepVerifier.create(mono)
				.then(() -> assertThat(lockFile).exists())
				.then(() -> sink.tryEmitValue("done"))
				.expectNext("done")
				.verifyComplete();
			await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "mono")).isOne());
		});
	}

	@Test
	void monoReleasesWhenItFails() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			Mono<String> mono = context.getBean(ReactiveService.class)
				.mono(Mono.error(new IllegalStateException("failed")));
			StepVerifier.create(mono).verifyErrorMessage("failed");
			await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "mono")).isOne());
		});
	}

	@Test
	void monoMethodIsCalledInsideTheHoldOfTheSubscription() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			List<UpdateLockStatus> statusAtCall = new CopyOnWriteArrayList<>();
			Mono<String> mono = context.getBean(ReactiveService.class).monoFrom(() -> {
				UpdateLockAssert.assertHeld();
				statusAtCall.add(manager.snapshot().status());
				return Mono.just(Files.exists(lockFile) ? "in the hold" : "unprotected");
			});
			assertThat(statusAtCall).isEmpty();
			StepVerifier.create(mono).expectNext("in the hold").verifyComplete();
			assertThat(statusAtCall).containsExactly(UpdateLockStatus.HELD);
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void fluxMethodIsCalledInsideTheHoldOfTheSubscription() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			List<UpdateLockStatus> statusAtCall = new CopyOnWriteArrayList<>();
			Flux<String> flux = context.getBean(ReactiveService.class).fluxFrom(() -> {
				UpdateLockAssert.assertHeld();
				statusAtCall.add(manager.snapshot().status());
				return Flux.just(Files.exists(lockFile) ? "in the hold" : "unprotected", "more");
			});
			assertThat(statusAtCall).isEmpty();
			StepVerifier.create(flux).expectNext("in the hold", "more").verifyComplete();
			assertThat(statusAtCall).containsExactly(UpdateLockStatus.HELD);
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void reactiveMethodIsCalledOncePerSubscription() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			AtomicInteger calls = new AtomicInteger();
			Mono<Integer> mono = context.getBean(ReactiveService.class)
				.monoFrom(() -> Mono.just(calls.incrementAndGet()));
			assertThat(calls).hasValue(0);
			StepVerifier.create(mono).expectNext(1).verifyComplete();
			StepVerifier.create(mono).expectNext(2).verifyComplete();
			assertThat(calls).hasValue(2);
		});
	}

	@Test
	void reactiveMethodThatThrowsReleasesItsHoldAndSignalsTheError() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			ReactiveService service = context.getBean(ReactiveService.class);
			Mono<String> mono = service.monoFrom(() -> {
				throw new IllegalStateException("thrown by the mono method");
			});
			Flux<String> flux = service.fluxFrom(() -> {
				throw new IOException("thrown by the flux method");
			});
			StepVerifier.create(mono).verifyErrorMessage("thrown by the mono method");
			StepVerifier.create(flux).verifyErrorMessage("thrown by the flux method");
			assertThat(lockFile).doesNotExist();
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "monoFrom")).isOne());
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "fluxFrom")).isOne());
		});
	}

	@Test
	void reactiveMethodThatReturnsNullReleasesItsHoldAndSignalsAnError() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			ReactiveService service = context.getBean(ReactiveService.class);
			StepVerifier.create(service.<String>monoFrom(() -> null))
				.verifyErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(IllegalStateException.class)
					.hasMessage(ReactiveService.class.getName() + "#monoFrom returned null instead of a Mono"));
			StepVerifier.create(service.<String>fluxFrom(() -> null))
				.verifyErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(IllegalStateException.class)
					.hasMessage(ReactiveService.class.getName() + "#fluxFrom returned null instead of a Flux"));
			assertThat(lockFile).doesNotExist();
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "monoFrom")).isOne());
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "fluxFrom")).isOne());
		});
	}

	@Test
	void fluxReleasesExactlyOnceWhenCancelled() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			Flux<Long> flux = context.getBean(ReactiveService.class).flux(Flux.never());
			Disposable subscription = flux.subscribe();
			assertThat(lockFile).exists();
			subscription.dispose();
			await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "flux")).isOne());
		});
	}

	@Test
	void fluxHoldsUntilItCompletes() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			Sinks.Many<Integer> sink = Sinks.many().unicast().onBackpressureBuffer();
			Flux<Integer> flux = context.getBean(ReactiveService.class).flux(sink.asFlux());
			StepVerifier.create(flux)
				.then(() -> sink.tryEmitNext(1))
				.expectNext(1)
				.then(() -> assertThat(lockFile).exists())
				.then(sink::tryEmitComplete)
				.verifyComplete();
			await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
		});
	}

	@Test
	void eachSubscriptionTakesItsOwnHold() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			Flux<Long> flux = context.getBean(ReactiveService.class).flux(Flux.never());
			Disposable first = flux.subscribe();
			Disposable second = flux.subscribe();
			assertThat(manager.snapshot().holds()).hasSize(2);
			first.dispose();
			assertThat(manager.snapshot().holds()).hasSize(1);
			assertThat(lockFile).exists();
			second.dispose();
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void declaredPublisherIsHeldPerSubscriptionLikeAFlux() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			Publisher<String> publisher = context.getBean(ReactiveService.class).publisher(Flux.never());
			assertThat(lockFile).doesNotExist();
			Disposable subscription = Flux.from(publisher).subscribe();
			assertThat(lockFile).exists();
			subscription.dispose();
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void cancellingWhileTheAcquisitionWaitsLeavesNoHoldBehind() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile).withPropertyValues("update-lock.max-backoff=50ms").run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			Disposable subscription = context.getBean(ReactiveService.class)
				.flux(Flux.never())
				.subscribeOn(Schedulers.boundedElastic())
				.subscribe();
			await().atMost(Duration.ofSeconds(5)).until(() -> manager.snapshot().blocker() != null);
			subscription.dispose();
			Files.delete(lockFile);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
				.until(() -> manager.snapshot().holds().isEmpty() && !Files.exists(lockFile));
			await().untilAsserted(
					() -> assertThat(events.stream().filter(UpdateLockHoldAcquiredEvent.class::isInstance).count())
						.isEqualTo(ManagerEvents.releasesOf(events, "flux")));
		});
	}

	@Test
	void reactiveAcquisitionLeavesNonBlockingThreads() {
		Path lockFile = freeLockFile();
		Set<String> clockReaders = ConcurrentHashMap.newKeySet();
		Clock recordingClock = new Clock() {

			@Override
			public Instant instant() {
				clockReaders.add(Thread.currentThread().getName());
				return Instant.now();
			}

			@Override
			public ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(ZoneId zone) {
				throw new UnsupportedOperationException();
			}

		};
		withLockFile(lockFile)
			.withBean(UpdateLockManagerBuilderCustomizer.class, () -> (builder) -> builder.clock(recordingClock))
			.run((context) -> {
			Mono<String> mono = context.getBean(ReactiveService.class)
				.mono(Mono.just("value"))
				.subscribeOn(Schedulers.parallel());
			StepVerifier.create(mono).expectNext("value").verifyComplete();
			// Taking the lock file reads the manager's clock on the acquiring thread.
			assertThat(clockReaders).anyMatch((thread) -> thread.startsWith("boundedElastic"))
				.noneMatch((thread) -> thread.startsWith("parallel"));
		});
	}

	@Test
	void reactiveMethodSubscribedOnANonBlockingThreadIsCalledOnABoundedElasticOne() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			Mono<String> mono = context.getBean(ReactiveService.class)
				.monoFrom(() -> Mono.just(Thread.currentThread().getName()))
				.subscribeOn(Schedulers.parallel());
			StepVerifier.create(mono)
				.assertNext((thread) -> assertThat(thread).startsWith("boundedElastic"))
				.verifyComplete();
		});
	}

	@Test
	void throwsWhenTheSupervisorHoldsTheLockForTheWholeWait() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=200ms").run((context) -> {
			AtomicBoolean called = new AtomicBoolean();
			assertThatExceptionOfType(UpdateLockNotObtainedException.class)
				.isThrownBy(() -> context.getBean(PlainService.class).call(() -> called.getAndSet(true)))
				.satisfies((ex) -> {
					assertThat(ex.getHoldName()).isEqualTo("PlainService#call");
					assertThat(ex.getMethod()).isEqualTo(PlainService.class.getName() + "#call");
					assertThat(ex.getCause()).isInstanceOfSatisfying(UpdateLockTimeoutException.class,
							(timeout) -> assertThat(timeout.getBlocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR));
				});
			assertThat(called).isFalse();
		});
	}

	@Test
	void maxWaitOverridesTheAcquireTimeout() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=30s").run((context) -> {
			long started = System.nanoTime();
			assertThatExceptionOfType(UpdateLockNotObtainedException.class)
				.isThrownBy(() -> context.getBean(PolicyService.class).tryOnce());
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		});
	}

	@Test
	void skipsAndPublishesAnEventWhenTheSupervisorHoldsTheLock() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=100ms").run((context) -> {
			PolicyService service = context.getBean(PolicyService.class);
			assertThat(service.scheduledJob()).isNull();
			assertThat(service.callCount()).isZero();
			assertThat(context.getBean(SkipRecorder.class).events).containsExactly(
					new HoldUpdateLockSkippedEvent("nightly-sync", PolicyService.class.getName() + "#scheduledJob"));
			assertThat(Files.getAttribute(lockFile, "unix:uid")).isEqualTo(65534);
		});
	}

	@Test
	void skippedCallsReturnNothingOfTheirType() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=0s").run((context) -> {
			PolicyService service = context.getBean(PolicyService.class);
			assertThat(service.count()).isZero();
			assertThat(service.optional()).isEmpty();
			assertThat(service.future()).isCompletedWithValue(null);
			StepVerifier.create(service.mono()).verifyComplete();
			StepVerifier.create(service.flux()).verifyComplete();
			assertThat(service.callCount()).isZero();
			assertThat(context.getBean(SkipRecorder.class).events).hasSize(5);
		});
	}

	@Test
	void configuredDefaultPolicyAppliesWhereTheAnnotationLeavesIt() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile)
			.withPropertyValues("update-lock.acquire-timeout=0s", "update-lock.advice.if-not-obtained=skip")
			.run((context) -> {
				AtomicBoolean called = new AtomicBoolean();
				assertThat(context.getBean(PlainService.class).call(() -> called.getAndSet(true))).isNull();
				assertThat(called).isFalse();
				assertThat(context.getBean(SkipRecorder.class).events).hasSize(1);
				assertThatExceptionOfType(UpdateLockNotObtainedException.class)
					.isThrownBy(() -> context.getBean(PolicyService.class).alwaysThrows());
			});
	}

	@Test
	void reactiveCallsFailWithTheTypedExceptionWhenTheLockCannotBeHad() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=0s").run((context) -> {
			AtomicInteger subscriptions = new AtomicInteger();
			Mono<String> source = Mono.fromCallable(() -> {
				subscriptions.incrementAndGet();
				return "value";
			});
			StepVerifier.create(context.getBean(ReactiveService.class).mono(source))
				.verifyError(UpdateLockNotObtainedException.class);
			assertThat(subscriptions).hasValue(0);
		});
	}

	@Test
	void asyncCallsFailWithTheTypedExceptionWhenTheLockCannotBeHad() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=0s").run((context) -> {
			assertThatExceptionOfType(UpdateLockNotObtainedException.class)
				.isThrownBy(() -> context.getBean(AsyncService.class).later(new CompletableFuture<>()));
		});
	}

	@Test
	void throwsWhenTheLockIsUnavailableUnderTheFailPolicy() {
		Path lockFile = this.tempDir.resolve("missing").resolve("updates.lock");
		withLockFile(lockFile).withPropertyValues("update-lock.unavailable-policy=fail").run((context) -> {
			assertThatExceptionOfType(UpdateLockNotObtainedException.class)
				.isThrownBy(() -> context.getBean(PlainService.class).call(() -> "never"))
				.withCauseInstanceOf(UpdateLockUnavailableException.class);
		});
	}

	@Test
	void skipsWhenTheLockIsUnavailableUnderTheFailPolicyAndSkip() {
		Path lockFile = this.tempDir.resolve("missing").resolve("updates.lock");
		withLockFile(lockFile).withPropertyValues("update-lock.unavailable-policy=fail").run((context) -> {
			assertThat(context.getBean(PolicyService.class).scheduledJob()).isNull();
			assertThat(context.getBean(SkipRecorder.class).events).hasSize(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ServicesConfiguration {

		@Bean
		PlainService plainService() {
			return new PlainService();
		}

		@Bean
		AsyncService asyncService() {
			return new AsyncService();
		}

		@Bean
		ReactiveService reactiveService() {
			return new ReactiveService();
		}

		@Bean
		PolicyService policyService() {
			return new PolicyService();
		}

		@Bean
		SkipRecorder skipRecorder() {
			return new SkipRecorder();
		}

	}

	static class PlainService {

		@HoldUpdateLock
		public <T> T call(Callable<T> inside) throws Exception {
			return inside.call();
		}

	}

	static class AsyncService {

		@HoldUpdateLock
		public CompletableFuture<String> later(CompletableFuture<String> work) {
			return work;
		}

		@HoldUpdateLock
		public <T> CompletableFuture<T> from(Callable<CompletableFuture<T>> body) throws Exception {
			return body.call();
		}

		@HoldUpdateLock
		public CompletionStage<String> throwsAtOnce() {
			throw new IllegalStateException("before any stage exists");
		}

		@HoldUpdateLock("firmware-flash")
		public CompletableFuture<String> flash(AtomicBoolean flashing, CountDownLatch flashed, Executor executor) {
			return CompletableFuture.supplyAsync(() -> {
				flashing.set(true);
				try {
					flashed.await();
					return "flashed";
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
				finally {
					flashing.set(false);
				}
			}, executor);
		}

		@HoldUpdateLock
		public FlashFuture<String> flashFuture(FlashFuture<String> work) {
			return work;
		}

	}

	static class UncopyableService {

		@HoldUpdateLock
		public UncopyableFuture<String> uncopyable(UncopyableFuture<String> work) {
			return work;
		}

	}

	/** A future of its own class, which makes its dependants of that class too. */
	static class FlashFuture<T> extends CompletableFuture<T> {

		@Override
		public <U> CompletableFuture<U> newIncompleteFuture() {
			return new FlashFuture<>();
		}

	}

	/** A future of its own class whose dependants are plain futures. */
	static class UncopyableFuture<T> extends CompletableFuture<T> {

	}

	static class ReactiveService {

		@HoldUpdateLock("mono")
		public Mono<String> mono(Mono<String> source) {
			return source;
		}

		@HoldUpdateLock("flux")
		public <T> Flux<T> flux(Flux<T> source) {
			return source;
		}

		@HoldUpdateLock("monoFrom")
		public <T> Mono<T> monoFrom(Callable<Mono<T>> body) throws Exception {
			return body.call();
		}

		@HoldUpdateLock("fluxFrom")
		public <T> Flux<T> fluxFrom(Callable<Flux<T>> body) throws Exception {
			return body.call();
		}

		@HoldUpdateLock("publisher")
		public Publisher<String> publisher(Flux<String> source) {
			return source;
		}

	}

	static class PolicyService {

		private final AtomicInteger calls = new AtomicInteger();

		// Read through a method: the fields of a class-based proxy are not the target's.
		public int callCount() {
			return this.calls.get();
		}

		@HoldUpdateLock(name = "nightly-sync", ifNotObtained = LockNotObtainedPolicy.SKIP)
		public String scheduledJob() {
			this.calls.incrementAndGet();
			return "ran";
		}

		@HoldUpdateLock(maxWait = "0")
		public void tryOnce() {
			this.calls.incrementAndGet();
		}

		@HoldUpdateLock(ifNotObtained = LockNotObtainedPolicy.THROW)
		public void alwaysThrows() {
			this.calls.incrementAndGet();
		}

		@HoldUpdateLock(ifNotObtained = LockNotObtainedPolicy.SKIP)
		public int count() {
			return this.calls.incrementAndGet();
		}

		@HoldUpdateLock(ifNotObtained = LockNotObtainedPolicy.SKIP)
		public Optional<String> optional() {
			this.calls.incrementAndGet();
			return Optional.of("ran");
		}

		@HoldUpdateLock(ifNotObtained = LockNotObtainedPolicy.SKIP)
		public CompletableFuture<String> future() {
			this.calls.incrementAndGet();
			return CompletableFuture.completedFuture("ran");
		}

		// Never called when skipped: subscribing to what they return would fail.
		@HoldUpdateLock(ifNotObtained = LockNotObtainedPolicy.SKIP)
		public Mono<String> mono() {
			this.calls.incrementAndGet();
			return Mono.error(new IllegalStateException("subscribed although skipped"));
		}

		@HoldUpdateLock(ifNotObtained = LockNotObtainedPolicy.SKIP)
		public Flux<String> flux() {
			this.calls.incrementAndGet();
			return Flux.error(new IllegalStateException("subscribed although skipped"));
		}

	}

	static class SkipRecorder {

		final List<HoldUpdateLockSkippedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(HoldUpdateLockSkippedEvent event) {
			this.events.add(event);
		}

	}

}
