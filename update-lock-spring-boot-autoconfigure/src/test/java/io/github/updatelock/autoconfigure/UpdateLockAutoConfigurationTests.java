package io.github.updatelock.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.NoLibcBinding;
import io.github.updatelock.UnavailableLockPolicy;
import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockPaths;
import io.github.updatelock.UpdateLockProblem;
import io.github.updatelock.UpdateLockProtection;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockTimeoutException;
import io.github.updatelock.UpdateLockUnavailableException;
import io.github.updatelock.UpdateLockWarning;
import io.github.updatelock.aop.HoldUpdateLock;
import io.github.updatelock.aop.HoldUpdateLockAdvisor;
import io.github.updatelock.context.UpdateLockLifecycle;
import io.github.updatelock.context.UpdateLockStartupException;
import io.github.updatelock.context.UpdateLockStartupHold;
import io.github.updatelock.event.StaleUpdateLockReclaimedEvent;
import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockDeniedEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldAcquiredEvent;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.event.UpdateLockLostEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.event.UpdateLockWaitingEvent;
import io.github.updatelock.testsupport.LockPeers;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class UpdateLockAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UpdateLockAutoConfiguration.class));

	@TempDir
	Path tempDir;

	private ApplicationContextRunner withLockFile(Path lockFile) {
		return this.contextRunner.withPropertyValues("update-lock.path=" + lockFile);
	}

	@Test
	void registersTheManagerStartupHoldLifecycleAndAdvisor() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(UpdateLockManager.class);
			assertThat(context).hasSingleBean(UpdateLockStartupHold.class);
			assertThat(context).hasSingleBean(UpdateLockLifecycle.class);
			assertThat(context).hasSingleBean(HoldUpdateLockAdvisor.class);
			assertThat(context.getBean(UpdateLockStartupHold.class).state())
				.isEqualTo(UpdateLockStartupHold.State.DISABLED);
		});
	}

	@Test
	void managerResolvesThePathLikeTheCoreWhenNoneIsConfigured() {
		this.contextRunner.run((context) -> assertThat(context.getBean(UpdateLockManager.class).path())
			.isEqualTo(UpdateLockPaths.resolve(null, System.getenv())));
	}

	@Test
	void managerUsesTheConfiguredPath() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile).run((context) -> {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			assertThat(manager.path()).isEqualTo(lockFile);
			try (UpdateLockHold hold = manager.acquire("test")) {
				assertThat(lockFile).exists();
			}
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void backsOffWhenTheApplicationDefinesAManager() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		this.contextRunner.withBean(UpdateLockManager.class,
				() -> UpdateLockManager.builder().lockPath(lockFile).shutdownHook(false).build())
			.run((context) -> {
				assertThat(context).hasSingleBean(UpdateLockManager.class);
				assertThat(context.getBean(UpdateLockManager.class).path()).isEqualTo(lockFile);
				context.getBean(UpdateLockStartupHold.class).take();
				assertThat(lockFile).exists();
			});
	}

	@Test
	void closesTheManagerWithTheContext() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		AtomicBoolean released = new AtomicBoolean();
		withLockFile(lockFile).withPropertyValues("update-lock.shutdown.wait=0s").run((context) -> {
			UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("never released by its owner");
			context.close();
			released.set(hold.isReleased());
		});
		assertThat(released).isTrue();
		assertThat(lockFile).doesNotExist();
	}

	@Test
	void enabledFalseSwitchesEverythingOff() {
		this.contextRunner.withPropertyValues("update-lock.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(UpdateLockManager.class);
			assertThat(context).doesNotHaveBean(UpdateLockStartupHold.class);
			assertThat(context).doesNotHaveBean(UpdateLockLifecycle.class);
			assertThat(context).doesNotHaveBean(HoldUpdateLockAdvisor.class);
		});
	}

	@Test
	void flockIsHeldByDefaultSoThatTheHostOsProbeSeesIt() {
		LockPeers.requireHostOsProbe();
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile).run((context) -> {
			try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("test")) {
				assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).isTrue();
			}
		});
	}

	@Test
	void flockFalseLeavesTheFileWithoutFlock() {
		LockPeers.requireHostOsProbe();
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile).withPropertyValues("update-lock.flock=false").run((context) -> {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			try (UpdateLockHold hold = manager.acquire("test")) {
				assertThat(lockFile).exists();
				assertThat(manager.snapshot().flockHeld()).isFalse();
				assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).isFalse();
			}
		});
	}

	@Test
	void startupFailsOnADeviceWhereTheWantedFlockCannotBeHeldAndTheAnalysisSaysWhyAndWhatToDo() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile).withBean(UpdateLockManagerBuilderCustomizer.class, () -> NoLibcBinding::apply)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().isSameAs(NoLibcBinding.DENIED);
				FailureAnalysis analysis = new FlockUnavailableFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains(lockFile.toString(), "IllegalCallerException");
				assertThat(analysis.getAction()).contains("--enable-native-access=ALL-UNNAMED", "update-lock.flock=false");
			});
		assertThat(lockFile).doesNotExist();
	}

	@Test
	void offADeviceTheApplicationStartsWithoutTheFlockAndSaysSo() {
		Path lockFile = this.tempDir.resolve("no-balena-here").resolve("updates.lock");
		withLockFile(lockFile).withBean(UpdateLockManagerBuilderCustomizer.class, () -> NoLibcBinding::apply)
			.run((context) -> assertThat(context.getBean(UpdateLockManager.class).snapshot().warnings())
				.extracting(UpdateLockWarning::problem)
				.contains(UpdateLockProblem.FLOCK_UNAVAILABLE));
	}

	@Test
	void flockFalseStartsOnADeviceWithoutABindingAndProtectsAppUpdatesOnly() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile).withPropertyValues("update-lock.flock=false")
			.withBean(UpdateLockManagerBuilderCustomizer.class, () -> NoLibcBinding::apply)
			.run((context) -> {
				UpdateLockManager manager = context.getBean(UpdateLockManager.class);
				try (UpdateLockHold hold = manager.acquire("test")) {
					assertThat(manager.snapshot().protection()).isEqualTo(UpdateLockProtection.APP_UPDATES_ONLY);
					assertThat(manager.snapshot().warnings()).extracting(UpdateLockWarning::message)
						.singleElement(InstanceOfAssertFactories.STRING)
						.contains("app updates only, on purpose");
				}
			});
	}

	@Test
	void acquireTimeoutBoundsTheWaitBehindTheSupervisor() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=300ms").run((context) -> {
			long started = System.nanoTime();
			assertThatExceptionOfType(UpdateLockTimeoutException.class)
				.isThrownBy(() -> context.getBean(UpdateLockManager.class).acquire("test"))
				.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR));
			// The core's default is 10 s: well past this bound.
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300),
					Duration.ofSeconds(5));
		});
	}

	@Test
	void backoffAndWatchIntervalReachTheManager() {
		withLockFile(this.tempDir.resolve("updates.lock"))
			.withPropertyValues("update-lock.initial-backoff=10ms", "update-lock.max-backoff=300ms",
					"update-lock.watch-interval=150ms", "update-lock.long-hold-warning=45m")
			.run((context) -> {
				UpdateLockManager manager = context.getBean(UpdateLockManager.class);
				// No public getters on the manager: these are plain wiring checks.
				assertThat(ReflectionTestUtils.getField(manager, "initialBackoff")).isEqualTo(Duration.ofMillis(10));
				assertThat(ReflectionTestUtils.getField(manager, "maxBackoff")).isEqualTo(Duration.ofMillis(300));
				assertThat(ReflectionTestUtils.getField(manager, "watchInterval")).isEqualTo(Duration.ofMillis(150));
				assertThat(ReflectionTestUtils.getField(manager, "longHoldWarning")).isEqualTo(Duration.ofMinutes(45));
			});
	}

	@Test
	void runsUnprotectedByDefaultWhereTheLockCannotProtect() {
		Path lockFile = this.tempDir.resolve("missing").resolve("updates.lock");
		withLockFile(lockFile).run((context) -> {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			try (UpdateLockHold hold = manager.acquire("test")) {
				assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
			}
		});
	}

	@Test
	void unavailablePolicyFailRefusesHoldsWhereTheLockCannotProtect() {
		Path lockFile = this.tempDir.resolve("missing").resolve("updates.lock");
		withLockFile(lockFile).withPropertyValues("update-lock.unavailable-policy=fail")
			.run((context) -> assertThatExceptionOfType(UpdateLockUnavailableException.class)
				.isThrownBy(() -> context.getBean(UpdateLockManager.class).acquire("test")));
	}

	@Test
	void customizersSeeTheBuilderAfterTheProperties() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();
		withLockFile(lockFile)
			.withBean(UpdateLockManagerBuilderCustomizer.class,
					() -> (builder) -> builder.unavailablePolicy(UnavailableLockPolicy.FAIL).listener(events::add))
			.withPropertyValues("update-lock.unavailable-policy=run-unprotected")
			.run((context) -> {
				UpdateLockManager manager = context.getBean(UpdateLockManager.class);
				manager.acquire("test").release();
				await().untilAsserted(
						() -> assertThat(events).hasAtLeastOneElementOfType(UpdateLockAcquiredEvent.class));
				assertThat(ReflectionTestUtils.getField(manager, "unavailablePolicy"))
					.isEqualTo(UnavailableLockPolicy.FAIL);
			});
	}

	@Test
	void holdOnStartupTakesTheStartupHoldBeforeTheContextIsReady() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile).withPropertyValues("update-lock.hold-on-startup=true").run((context) -> {
			assertThat(context.getBean(UpdateLockStartupHold.class).state())
				.isEqualTo(UpdateLockStartupHold.State.HELD);
			assertThat(lockFile).exists();
			assertThat(context.getBean(UpdateLockManager.class).snapshot().holds()).singleElement()
				.satisfies((hold) -> assertThat(hold.name()).isEqualTo("startup"));
		});
		assertThat(lockFile).doesNotExist();
	}

	@Test
	void startupNameNamesTheStartupHold() {
		withLockFile(this.tempDir.resolve("updates.lock"))
			.withPropertyValues("update-lock.hold-on-startup=true", "update-lock.startup.name=firmware-guard")
			.run((context) -> {
				assertThat(context.getBean(UpdateLockStartupHold.class).name()).isEqualTo("firmware-guard");
				assertThat(context.getBean(UpdateLockManager.class).snapshot().holds()).singleElement()
					.satisfies((hold) -> assertThat(hold.name()).isEqualTo("firmware-guard"));
			});
	}

	@Test
	void startsWhileTheSupervisorHoldsItsLockAndTakesTheStartupHoldOnceItLetsGo() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		withLockFile(lockFile).withPropertyValues("update-lock.hold-on-startup=true", "update-lock.max-backoff=200ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				UpdateLockStartupHold startupHold = context.getBean(UpdateLockStartupHold.class);
				UpdateLockManager manager = context.getBean(UpdateLockManager.class);
				assertThat(startupHold.state()).isEqualTo(UpdateLockStartupHold.State.WAITING);
				assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.WAITING);
				assertThat(manager.snapshot().blocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR);
				Files.delete(lockFile);
				await().atMost(Duration.ofSeconds(5))
					.until(startupHold::state, UpdateLockStartupHold.State.HELD::equals);
				assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
				assertThat(Files.getAttribute(lockFile, "unix:uid")).isNotEqualTo(65534);
			});
		assertThat(lockFile).doesNotExist();
	}

	@Test
	void startupWaitBlocksStartupUntilTheStartupHoldIsHeld() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		// The Supervisor lets go as soon as the startup hold starts waiting; the next try
		// comes a whole second later, long after a startup that did not wait would be done.
		withLockFile(lockFile)
			.withPropertyValues("update-lock.hold-on-startup=true", "update-lock.startup.wait=10s",
					"update-lock.initial-backoff=1s", "update-lock.max-backoff=1s")
			.withBean(UpdateLockManagerBuilderCustomizer.class, () -> (builder) -> builder.listener((event) -> {
				if (event instanceof UpdateLockWaitingEvent) {
					deleteQuietly(lockFile);
				}
			}))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(UpdateLockStartupHold.class).state())
					.isEqualTo(UpdateLockStartupHold.State.HELD);
			});
	}

	@Test
	void startupRequiredFailsStartupWhenTheHoldIsNotTakenInTime() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		withLockFile(lockFile)
			.withPropertyValues("update-lock.hold-on-startup=true", "update-lock.startup.wait=200ms",
					"update-lock.startup.required=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(UpdateLockStartupException.class)
					.hasMessage("The startup hold 'startup' on " + lockFile
							+ " was not taken within PT0.2S: the lock was held by SUPERVISOR");
			});
		// Nothing kept trying after the failed start: the Supervisor's file is untouched.
		assertThat(Files.getAttribute(lockFile, "unix:uid")).isEqualTo(65534);
	}

	@Test
	void startupRequiredFailsStartupWhenTheLockCannotProtect() {
		Path lockFile = this.tempDir.resolve("missing").resolve("updates.lock");
		withLockFile(lockFile)
			.withPropertyValues("update-lock.hold-on-startup=true", "update-lock.startup.required=true",
					"update-lock.unavailable-policy=fail")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(UpdateLockUnavailableException.class);
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(UpdateLockStartupException.class)
					.hasMessageStartingWith("Could not take the startup hold 'startup' on " + lockFile + ": Lock "
							+ "directory " + lockFile.getParent() + " does not exist");
			});
	}

	@Test
	void shutdownWaitsForRunningHoldsBeforeClosingTheManager() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile).withPropertyValues("update-lock.shutdown.wait=30s").run((context) -> {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			CountDownLatch finishWork = new CountDownLatch(1);
			AtomicBoolean releasedByOwner = new AtomicBoolean();
			Thread worker = new Thread(() -> {
				UpdateLockHold hold = manager.acquire("critical work");
				awaitQuietly(finishWork);
				releasedByOwner.set(!hold.isReleased());
				hold.release();
			});
			worker.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(lockFile));
			AtomicBoolean closed = new AtomicBoolean();
			Thread closer = new Thread(() -> {
				context.close();
				closed.set(true);
			});
			closer.start();
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(2))
				.until(() -> !closed.get() && Files.exists(lockFile));
			finishWork.countDown();
			await().atMost(Duration.ofSeconds(5)).untilTrue(closed);
			assertThat(releasedByOwner).isTrue();
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void shutdownWaitIsBounded() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile).withPropertyValues("update-lock.shutdown.wait=200ms").run((context) -> {
			UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work that never ends");
			long started = System.nanoTime();
			context.close();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(200),
					Duration.ofSeconds(5));
			assertThat(hold.isReleased()).isTrue();
			assertThat(lockFile).doesNotExist();
		});
	}

	@Test
	void publishesLockEventsButNotHoldEventsAsApplicationEvents() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile).withUserConfiguration(EventRecorderConfiguration.class).run((context) -> {
			List<UpdateLockEvent> events = context.getBean(EventRecorder.class).events;
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			UpdateLockHold outer = manager.acquire("outer");
			manager.acquire("inner").release();
			outer.release();
			await().untilAsserted(() -> assertThat(events).hasExactlyElementsOfTypes(UpdateLockAcquiredEvent.class,
					UpdateLockReleasedEvent.class));
			assertThat(events).noneMatch((event) -> event instanceof UpdateLockHoldAcquiredEvent
					|| event instanceof UpdateLockHoldReleasedEvent);
		});
	}

	@Test
	void publishesWaitingAndDeniedWhileTheSupervisorHoldsTheLock() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.tempDir).resolve("updates.lock");
		LockPeers.takeSupervisorLock(lockFile);
		withLockFile(lockFile).withUserConfiguration(EventRecorderConfiguration.class).run((context) -> {
			assertThatExceptionOfType(UpdateLockTimeoutException.class)
				.isThrownBy(() -> context.getBean(UpdateLockManager.class).acquire("test", Duration.ofMillis(200)));
			await().untilAsserted(() -> assertThat(context.getBean(EventRecorder.class).events)
				.hasExactlyElementsOfTypes(UpdateLockWaitingEvent.class, UpdateLockDeniedEvent.class));
		});
	}

	@Test
	void publishesLostWhenTheLockFileIsTakenAway() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile).withPropertyValues("update-lock.watch-interval=50ms")
			.withUserConfiguration(EventRecorderConfiguration.class)
			.run((context) -> {
				List<UpdateLockEvent> events = context.getBean(EventRecorder.class).events;
				try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("test")) {
					Files.delete(lockFile);
					await().atMost(Duration.ofSeconds(5))
						.until(() -> events.stream().anyMatch(UpdateLockLostEvent.class::isInstance));
				}
			});
	}

	@Test
	void publishesStaleReclaimedWhenALockFileOfADeadInstanceIsFound() throws IOException {
		Path lockFile = this.tempDir.resolve("updates.lock");
		// What an instance killed with SIGKILL leaves: its marker, and no flock any more.
		Files.writeString(lockFile, """
				io.github.updatelock marker v1
				instance=5b0c6a4e-dead-4d7e-9c1a-000000000000
				hostname=old-container
				boot-id=unknown
				pid=1
				process-start=0
				flock=true
				created=2026-01-01T00:00:00Z
				""");
		withLockFile(lockFile).withPropertyValues("update-lock.hold-on-startup=true")
			.withUserConfiguration(EventRecorderConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean(UpdateLockStartupHold.class).state())
					.isEqualTo(UpdateLockStartupHold.State.HELD);
				await().untilAsserted(() -> assertThat(context.getBean(EventRecorder.class).events).first()
					.isInstanceOf(StaleUpdateLockReclaimedEvent.class));
			});
	}

	@Test
	void worksWithoutReactorActuatorAndMicrometer() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		withLockFile(lockFile)
			.withClassLoader(new FilteredClassLoader("reactor.", "org.springframework.boot.actuate.",
					"org.springframework.boot.health.", "io.micrometer."))
			.withPropertyValues("update-lock.hold-on-startup=true")
			.withBean(GuardedJob.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(UpdateLockStartupHold.class).state())
					.isEqualTo(UpdateLockStartupHold.State.HELD);
				assertThat(context.getBean(GuardedJob.class).run()).isEqualTo("GuardedJob#run");
			});
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	// Public: the proxy class is defined in the filtered class loader, outside this package.
	public static class GuardedJob {

		private final UpdateLockManager manager;

		public GuardedJob(UpdateLockManager manager) {
			this.manager = manager;
		}

		/** The newest hold, which is this call's own. */
		@HoldUpdateLock
		public String run() {
			List<ActiveHold> holds = this.manager.snapshot().holds();
			return holds.get(holds.size() - 1).name();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EventRecorderConfiguration {

		@Bean
		EventRecorder eventRecorder() {
			return new EventRecorder();
		}

	}

	static class EventRecorder {

		final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(UpdateLockEvent event) {
			this.events.add(event);
		}

	}

}
