package io.github.updatelock.aop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.testsupport.LockPeers;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.processors.PublishProcessor;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @HoldUpdateLock} on methods returning RxJava 3 types, which Spring's
 * {@code ReactiveAdapterRegistry} adapts: each subscription holds the lock, and calls the
 * method inside its hold.
 */
class ReactorHoldsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UpdateLockAutoConfiguration.class))
		.withBean(RxService.class)
		.withBean(SkipRecorder.class);

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
	void singleMethodIsCalledInsideTheHoldOncePerSubscription() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			List<UpdateLockStatus> statusAtCall = new CopyOnWriteArrayList<>();
			Single<String> single = context.getBean(RxService.class).single(() -> {
				UpdateLockAssert.assertHeld();
				statusAtCall.add(manager.snapshot().status());
				return Single.just(Files.exists(lockFile) ? "in the hold" : "unprotected");
			});
			assertThat(statusAtCall).isEmpty();
			assertThat(single.blockingGet()).isEqualTo("in the hold");
			assertThat(single.blockingGet()).isEqualTo("in the hold");
			assertThat(statusAtCall).containsExactly(UpdateLockStatus.HELD, UpdateLockStatus.HELD);
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void flowableHoldsFromSubscriptionUntilItCompletes() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			PublishProcessor<Integer> source = PublishProcessor.create();
			AtomicInteger calls = new AtomicInteger();
			Flowable<Integer> flowable = context.getBean(RxService.class).flowable(() -> {
				UpdateLockAssert.assertHeld();
				calls.incrementAndGet();
				return source;
			});
			assertThat(lockFile).doesNotExist();
			TestSubscriber<Integer> subscriber = flowable.test();
			assertThat(lockFile).exists();
			source.onNext(1);
			source.onNext(2);
			assertThat(lockFile).exists();
			source.onComplete();
			subscriber.awaitDone(5, TimeUnit.SECONDS).assertValues(1, 2).assertComplete();
			await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
			assertThat(calls).hasValue(1);
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "flowable")).isOne());
		});
	}

	@Test
	void flowableReleasesExactlyOnceWhenCancelled() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			TestSubscriber<Integer> subscriber = context.getBean(RxService.class).flowable(Flowable::never).test();
			assertThat(lockFile).exists();
			subscriber.cancel();
			await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "flowable")).isOne());
		});
	}

	@Test
	void completableReleasesWhenItFails() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			Completable completable = context.getBean(RxService.class)
				.completable(() -> Completable.error(new IllegalStateException("failed")));
			completable.test().awaitDone(5, TimeUnit.SECONDS).assertError(IllegalStateException.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(lockFile));
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "completable")).isOne());
		});
	}

	@Test
	void methodThatThrowsFailsTheSubscriptionAndReleasesItsHold() {
		Path lockFile = freeLockFile();
		withLockFile(lockFile).run((context) -> {
			List<UpdateLockEvent> events = ManagerEvents.record(context);
			Maybe<String> maybe = context.getBean(RxService.class).maybe(() -> {
				throw new IOException("thrown by the maybe method");
			});
			maybe.test().awaitDone(5, TimeUnit.SECONDS).assertError(IOException.class);
			assertThat(lockFile).doesNotExist();
			await().untilAsserted(() -> assertThat(ManagerEvents.releasesOf(events, "maybe")).isOne());
		});
	}

	@Test
	void skippedMaybeCompletesEmptyWithoutCallingTheMethod() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=0s").run((context) -> {
			AtomicInteger calls = new AtomicInteger();
			Maybe<String> maybe = context.getBean(RxService.class).maybe(() -> {
				calls.incrementAndGet();
				return Maybe.just("ran");
			});
			maybe.test().awaitDone(5, TimeUnit.SECONDS).assertNoValues().assertComplete();
			assertThat(calls).hasValue(0);
			assertThat(context.getBean(SkipRecorder.class).events).containsExactly(
					new HoldUpdateLockSkippedEvent("maybe", RxService.class.getName() + "#maybe"));
		});
	}

	@Test
	void skippedCompletableCompletesWithoutCallingTheMethod() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=0s").run((context) -> {
			AtomicInteger calls = new AtomicInteger();
			Completable completable = context.getBean(RxService.class).completable(() -> {
				calls.incrementAndGet();
				return Completable.complete();
			});
			completable.test().awaitDone(5, TimeUnit.SECONDS).assertComplete();
			assertThat(calls).hasValue(0);
		});
	}

	@Test
	void flowableFailsWithTheTypedExceptionWhenTheLockCannotBeHad() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=0s").run((context) -> {
			AtomicInteger calls = new AtomicInteger();
			Flowable<Integer> flowable = context.getBean(RxService.class).flowable(() -> {
				calls.incrementAndGet();
				return Flowable.just(1);
			});
			flowable.test().awaitDone(5, TimeUnit.SECONDS).assertError(UpdateLockNotObtainedException.class);
			assertThat(calls).hasValue(0);
		});
	}

	@Test
	void singleUnderTheDefaultSkipPolicyFailsBecauseItCannotBeEmpty() throws IOException {
		Path lockFile = supervisorLockFile();
		withLockFile(lockFile)
			.withPropertyValues("update-lock.acquire-timeout=0s", "update-lock.advice.if-not-obtained=skip")
			.run((context) -> {
				AtomicInteger calls = new AtomicInteger();
				Single<String> single = context.getBean(RxService.class).single(() -> {
					calls.incrementAndGet();
					return Single.just("ran");
				});
				single.test().awaitDone(5, TimeUnit.SECONDS).assertError(UpdateLockNotObtainedException.class);
				assertThat(calls).hasValue(0);
				assertThat(context.getBean(SkipRecorder.class).events).isEmpty();
			});
	}

	@Test
	void singleAnnotatedToSkipFailsStartup() {
		withLockFile(freeLockFile()).withBean(SkippingSingleService.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("Invalid @HoldUpdateLock on "
					+ SkippingSingleService.class.getName() + "#single: ifNotObtained = SKIP needs a return type "
					+ "that can complete empty, but a Single always has a value; return a type that may be empty "
					+ "(such as a Maybe or a Mono), or use THROW");
		});
	}

	static class RxService {

		@HoldUpdateLock("single")
		public Single<String> single(Callable<Single<String>> body) throws Exception {
			return body.call();
		}

		@HoldUpdateLock(name = "maybe", ifNotObtained = LockNotObtainedPolicy.SKIP)
		public Maybe<String> maybe(Callable<Maybe<String>> body) throws Exception {
			return body.call();
		}

		@HoldUpdateLock(name = "completable", ifNotObtained = LockNotObtainedPolicy.SKIP)
		public Completable completable(Callable<Completable> body) throws Exception {
			return body.call();
		}

		@HoldUpdateLock("flowable")
		public Flowable<Integer> flowable(Callable<Flowable<Integer>> body) throws Exception {
			return body.call();
		}

	}

	static class SkippingSingleService {

		@HoldUpdateLock(ifNotObtained = LockNotObtainedPolicy.SKIP)
		public Single<String> single() {
			return Single.just("ran");
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
