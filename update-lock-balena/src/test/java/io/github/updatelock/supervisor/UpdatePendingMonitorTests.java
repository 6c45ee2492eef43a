package io.github.updatelock.supervisor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockListener;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.testsupport.CapturingLogger;
import io.github.updatelock.testsupport.FakeSupervisor;
import io.github.updatelock.testsupport.MutableClock;
import io.github.updatelock.testsupport.OwnThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class UpdatePendingMonitorTests {

	private static final String STATE = "/v2/applications/state";

	private static final String DEVICE = "/v1/device";

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	@TempDir
	Path directory;

	private final FakeSupervisor supervisor = FakeSupervisor.start();

	/** Runs the monitor's polls and answers; the managers keep their own schedulers for the watch. */
	private final ManualPollScheduler scheduler = new ManualPollScheduler();

	private final MutableClock clock = new MutableClock(START);

	private final CapturingLogger logger = new CapturingLogger();

	private final List<UpdatePendingEvent> events = new CopyOnWriteArrayList<>();

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

	private UpdatePendingMonitor monitor;

	@AfterEach
	void closeAll() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.supervisor.close();
	}

	private UpdateLockManager manager() {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.initialBackoff(Duration.ofMillis(10))
			.maxBackoff(Duration.ofMillis(50))
			.build();
		this.closeables.add(manager);
		return manager;
	}

	private UpdatePendingMonitor monitor(UpdateLockManager manager) {
		return monitor(manager, UnaryOperator.identity());
	}

	private UpdatePendingMonitor monitor(UpdateLockManager manager,
			UnaryOperator<UpdatePendingMonitor.Builder> customizer) {
		return monitor(manager, new SupervisorClient(FakeSupervisorSettings.of(this.supervisor)), customizer);
	}

	private UpdatePendingMonitor monitor(UpdateLockManager manager, SupervisorClient client,
			UnaryOperator<UpdatePendingMonitor.Builder> customizer) {
		UpdatePendingMonitor.Builder builder = UpdatePendingMonitor.builder(manager, client)
			.scheduler(this.scheduler)
			.clock(this.clock)
			// Time passes as the test clock moves, unless a test steps a wall clock of its own.
			.monotonicClock(this.clock::elapsedNanos)
			.logger(this.logger)
			.listener(this.events::add);
		UpdatePendingMonitor monitor = customizer.apply(builder).build();
		// Closed before the managers: the monitor stops listening first, as an application shuts down.
		this.closeables.add(0, monitor);
		this.monitor = monitor;
		return monitor;
	}

	/**
	 * Takes a hold and waits until the monitor, which hears of the lock on the manager's
	 * event thread, polls.
	 */
	private UpdateLockHold acquire(UpdateLockManager manager, String name) {
		UpdateLockHold hold = manager.acquire(name);
		await().until(() -> this.monitor.view().polling());
		return hold;
	}

	/**
	 * Releases a hold and waits until the monitor has heard of it: it hears the manager's
	 * events in order, before a listener added after it, so it has also heard of the
	 * acquisition, which would otherwise start the polling again after a poll ended it.
	 */
	private void release(UpdateLockManager manager, UpdateLockHold hold) {
		AtomicBoolean heard = new AtomicBoolean();
		UpdateLockListener listener = (event) -> {
			if (event instanceof UpdateLockHoldReleasedEvent released && released.hold().id() == hold.id()) {
				heard.set(true);
			}
		};
		manager.addListener(listener);
		hold.release();
		await().untilTrue(heard);
		manager.removeListener(listener);
	}

	/**
	 * Runs the planned poll, if any, then the handling of its answer once it arrived. A poll
	 * that finds the lock neither held nor awaited ends the polling without a request.
	 */
	private void poll() {
		if (this.scheduler.plannedCount() == 0) {
			return;
		}
		this.scheduler.runNext();
		await().until(() -> this.scheduler.plannedCount() > 0 || !this.monitor.view().polling());
		if (this.scheduler.plannedCount() > 0) {
			this.scheduler.runNext();
		}
	}

	/** What the Supervisor shows while a downloaded release waits on a lock. */
	private void updateWaiting(String target, String current) {
		this.supervisor.application(target, "downloaded");
		this.supervisor.device(current, true, true, true);
	}

	private void upToDate(String commit) {
		this.supervisor.application(commit, "done");
		this.supervisor.device(commit, false, false, false);
	}

	@Test
	void noRequestIsMadeWhileTheLockIsReleased() {
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager);
		poll();
		poll();
		assertThat(this.scheduler.plannedCount()).isZero();
		assertThat(this.supervisor.totalRequests()).isZero();
		assertThat(monitor.view()).isEqualTo(SupervisorView.NOT_POLLED);
	}

	@Test
	void pollsWhileHeldAtTheConfiguredIntervalAndStopsWithoutARequestOnceReleased() {
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager);
		UpdateLockHold hold = acquire(manager, "work");
		assertThat(this.scheduler.plannedCount()).isOne();
		assertThat(this.scheduler.nextDelay()).isZero();
		poll();
		assertThat(this.scheduler.nextDelay()).isEqualTo(FakeSupervisorSettings.of(this.supervisor).pollInterval());
		poll();
		assertThat(this.supervisor.requests(STATE)).isEqualTo(2);
		assertThat(this.supervisor.requests(DEVICE)).isEqualTo(2);
		assertThat(monitor.view().polling()).isTrue();
		assertThat(monitor.view().reachable()).isTrue();
		assertThat(monitor.view().lastPolledAt()).isEqualTo(START);
		hold.release();
		poll();
		poll();
		assertThat(this.supervisor.totalRequests()).isEqualTo(4);
		assertThat(this.scheduler.plannedCount()).isZero();
		assertThat(monitor.view().polling()).isFalse();
		try (UpdateLockHold again = acquire(manager, "again")) {
			assertThat(this.scheduler.plannedCount()).isOne();
		}
	}

	@Test
	void lockAlreadyHeldWhenTheMonitorStartsIsPolled() {
		UpdateLockManager manager = manager();
		try (UpdateLockHold hold = manager.acquire("startup")) {
			monitor(manager);
			poll();
			assertThat(this.supervisor.requests(DEVICE)).isOne();
		}
	}

	@Test
	void pollsWhileWaitingForTheLock() {
		UpdateLockManager other = manager();
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager);
		UpdateLockHold otherHold = other.acquire("previous container");
		CompletableFuture<UpdateLockHold> waiting = CompletableFuture
			.supplyAsync(() -> manager.acquire("mine", Duration.ofSeconds(30)), OwnThread.EXECUTOR);
		await().until(() -> this.scheduler.plannedCount() == 1);
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.WAITING);
		poll();
		assertThat(this.supervisor.requests(STATE)).isOne();
		assertThat(monitor.view().polling()).isTrue();
		otherHold.release();
		release(manager, waiting.join());
		poll();
		assertThat(this.supervisor.requests(STATE)).isOne();
		assertThat(this.scheduler.plannedCount()).isZero();
	}

	@Test
	void pendingReleaseIsAnnouncedOnceAndANewerReleaseAgain() {
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager);
		acquire(manager, "startup");
		acquire(manager, "payment");
		updateWaiting("b2c4e6a8", "a1b3c5d7");
		poll();
		this.clock.advance(Duration.ofMinutes(1));
		poll();
		poll();
		assertThat(this.events).singleElement().isEqualTo(new UpdatePendingEvent(START, "b2c4e6a8", "a1b3c5d7",
				"downloaded", true, List.of("startup", "payment")));
		SupervisorView view = monitor.view();
		assertThat(view.updatePending()).isTrue();
		assertThat(view.pendingSince()).isEqualTo(START);
		assertThat(view.targetCommit()).isEqualTo("b2c4e6a8");
		assertThat(view.currentCommit()).isEqualTo("a1b3c5d7");
		assertThat(view.updateStatus()).isEqualTo("downloaded");
		assertThat(view.pendingUpdates()).isOne();
		updateWaiting("c3d5f7b9", "a1b3c5d7");
		poll();
		assertThat(this.events).extracting(UpdatePendingEvent::targetCommit).containsExactly("b2c4e6a8", "c3d5f7b9");
		assertThat(monitor.view().pendingSince()).isEqualTo(START);
		assertThat(this.logger.messages(Level.INFO))
			.anyMatch((line) -> line.startsWith("An update to release c3d5f7b9 is pending and waits on update lock ")
					&& line.endsWith("(active holds: startup, payment)"));
	}

	@Test
	void sameReleaseIsNotAnnouncedAgainWhenTheFlagsFlap() {
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager);
		acquire(manager, "work");
		this.supervisor.application("b2c4e6a8", "downloading");
		this.supervisor.device("a1b3c5d7", true, false, false);
		poll();
		this.supervisor.device("a1b3c5d7", false, false, false);
		poll();
		assertThat(monitor.view().updatePending()).isFalse();
		assertThat(monitor.view().pendingSince()).isNull();
		this.supervisor.device("a1b3c5d7", false, false, true);
		poll();
		assertThat(this.events).hasSize(1);
		assertThat(monitor.view().updatePending()).isTrue();
	}

	@Test
	void pendingUpdateWithoutAVisibleReleaseIsAnnouncedOncePerPendingStretch() {
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager);
		acquire(manager, "work");
		this.supervisor.noApplications();
		this.supervisor.device(null, true, false, false);
		poll();
		poll();
		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.targetCommit()).isNull();
			assertThat(event.currentCommit()).isNull();
			assertThat(event.updateFailed()).isFalse();
		});
		this.supervisor.device(null, false, false, false);
		poll();
		this.supervisor.device(null, false, false, true);
		poll();
		assertThat(this.events).hasSize(2);
		assertThat(monitor.view().pendingUpdates()).isEqualTo(2);
	}

	@Test
	void releaseAlreadyRunningIsNotPendingAndApplyingIsShown() {
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager);
		acquire(manager, "work");
		upToDate("a1b3c5d7");
		poll();
		assertThat(monitor.view().updatePending()).isFalse();
		assertThat(monitor.view().applying()).isFalse();
		this.supervisor.application("b2c4e6a8", "applying changes");
		poll();
		assertThat(monitor.view().applying()).isTrue();
		assertThat(monitor.view().updateStatus()).isEqualTo("applying changes");
		assertThat(this.events).isEmpty();
	}

	@Test
	void failuresAreShownAndLoggedAtMostOncePerIntervalThenRecoveryOnce() {
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager,
				(builder) -> builder.errorLogInterval(Duration.ofMinutes(10)));
		acquire(manager, "work");
		this.supervisor.reply(STATE, 503, "{\"status\":\"failed\",\"message\":\"Unexpected error\"}");
		for (int poll = 0; poll < 5; poll++) {
			poll();
			this.clock.advance(Duration.ofMinutes(1));
		}
		SupervisorView view = monitor.view();
		assertThat(view.reachable()).isFalse();
		assertThat(view.lastErrorKind()).isEqualTo(SupervisorErrorKind.REJECTED);
		assertThat(view.lastError())
			.isEqualTo("Supervisor API GET /v2/applications/state: unexpected answer HTTP 503: Unexpected error");
		assertThat(view.lastErrorAt()).isEqualTo(START.plus(Duration.ofMinutes(4)));
		assertThat(view.failedPolls()).isEqualTo(5);
		assertThat(this.logger.messages(Level.WARNING)).singleElement()
			.asString()
			.startsWith("Supervisor API GET /v2/applications/state: unexpected answer HTTP 503");
		this.clock.advance(Duration.ofMinutes(5));
		poll();
		assertThat(this.logger.messages(Level.WARNING)).hasSize(2)
			.last()
			.asString()
			.endsWith("(4 more failed polls since " + START + " were not logged)");
		this.supervisor.restore(STATE);
		poll();
		poll();
		assertThat(monitor.view().reachable()).isTrue();
		assertThat(monitor.view().lastErrorKind()).isEqualTo(SupervisorErrorKind.REJECTED);
		assertThat(monitor.view().failedPolls()).isEqualTo(6);
		assertThat(this.logger.messages(Level.INFO)).filteredOn((line) -> line.contains("answers again"))
			.containsExactly("Supervisor API at " + this.supervisor.address() + " answers again after 6 failed polls");
		this.supervisor.reply(DEVICE, 401, "Unauthorized");
		poll();
		assertThat(this.logger.messages(Level.WARNING)).hasSize(3).last().asString().contains("HTTP 401");
		assertThat(this.logger.messages(Level.WARNING)).noneMatch((line) -> line.contains(FakeSupervisor.KEY));
	}

	@Test
	void unreachableSupervisorNeverThrowsIntoTheApplication() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager, new SupervisorClient(
				SupervisorApiSettings.of(URI.create("http://127.0.0.1:" + closedPort), FakeSupervisor.KEY)),
				UnaryOperator.identity());
		try (UpdateLockHold hold = acquire(manager, "work")) {
			poll();
			poll();
			assertThat(monitor.view().reachable()).isFalse();
			assertThat(monitor.view().lastErrorKind()).isEqualTo(SupervisorErrorKind.UNREACHABLE);
			assertThat(this.logger.messages(Level.WARNING)).singleElement()
				.asString()
				.contains("cannot reach the Supervisor at http://127.0.0.1:" + closedPort);
		}
	}

	@Test
	void failingListenerDoesNotKeepOthersOrLaterPollsFromRunning() {
		UpdateLockManager manager = manager();
		List<UpdatePendingEvent> seen = new CopyOnWriteArrayList<>();
		UpdatePendingMonitor monitor = monitor(manager, (builder) -> builder.listener((event) -> {
			throw new IllegalStateException("listener bug");
		}).listener(seen::add));
		acquire(manager, "work");
		updateWaiting("b2c4e6a8", "a1b3c5d7");
		poll();
		updateWaiting("c3d5f7b9", "a1b3c5d7");
		poll();
		assertThat(seen).hasSize(2);
		assertThat(this.supervisor.requests(STATE)).isEqualTo(2);
		assertThat(this.logger.messages(Level.WARNING)).hasSize(2)
			.allMatch((line) -> line.startsWith("Pending update listener"));
		assertThat(monitor.view().pendingUpdates()).isEqualTo(2);
	}

	@Test
	void closeStopsPollingAndListening() {
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager);
		UpdateLockHold hold = acquire(manager, "work");
		monitor.close();
		monitor.close();
		assertThat(this.scheduler.plannedCount()).isZero();
		hold.release();
		// Its listener is gone: a hold after close plans nothing, once the events are delivered.
		AtomicBoolean delivered = new AtomicBoolean();
		manager.addListener((event) -> delivered.set(true));
		manager.acquire("again");
		await().untilTrue(delivered);
		assertThat(this.scheduler.plannedCount()).isZero();
		poll();
		assertThat(this.supervisor.totalRequests()).isZero();
	}

	@Test
	void pollsOnTheManagersSchedulerThreadWhileHeldAndStopsWhenReleased() {
		UpdateLockManager manager = manager();
		List<String> threads = new CopyOnWriteArrayList<>();
		updateWaiting("b2c4e6a8", "a1b3c5d7");
		UpdatePendingMonitor monitor = UpdatePendingMonitor
			.builder(manager,
					new SupervisorClient(FakeSupervisorSettings.of(this.supervisor).withPollInterval(Duration.ofMillis(50))))
			.logger(this.logger)
			.listener((event) -> threads.add(Thread.currentThread().getName()))
			.build();
		this.closeables.add(0, monitor);
		try (UpdateLockHold hold = manager.acquire("work")) {
			await().until(() -> this.supervisor.requests(DEVICE) >= 2);
			assertThat(monitor.view().polling()).isTrue();
		}
		await().until(() -> !monitor.view().polling());
		assertThat(threads).containsExactly("update-lock");
		monitor.close();
		assertThat(monitor.view().polling()).isFalse();
	}

	@Test
	void pollDoesNotWaitOnTheSchedulerForTheAnswer() {
		UpdateLockManager manager = manager();
		UpdatePendingMonitor monitor = monitor(manager);
		acquire(manager, "work");
		this.supervisor.stallAnswers();
		this.scheduler.runNext();
		assertThat(this.scheduler.plannedCount()).isZero();
		assertThat(monitor.view().failedPolls()).isZero();
		assertThat(monitor.view().lastPolledAt()).isNull();
		this.supervisor.releaseStalled();
		await().until(() -> this.scheduler.plannedCount() > 0);
		this.scheduler.runNext();
		assertThat(monitor.view().reachable()).isTrue();
		assertThat(monitor.view().lastPolledAt()).isEqualTo(START);
		assertThat(this.scheduler.nextDelay()).isEqualTo(FakeSupervisorSettings.of(this.supervisor).pollInterval());
	}

	@Test
	void whenIdleYieldsTheNamedHoldsOnlyOnceNoOtherHoldIsActive() {
		UpdateLockManager manager = manager();
		YieldableHolds yieldable = new YieldableHolds();
		UpdatePendingMonitor monitor = monitor(manager, (builder) -> builder
			.yieldPolicy(UpdateYieldPolicy.whenIdle("startup", "update-window"))
			.holdYielder(yieldable));
		UpdateLockHold startup = yieldable.track(acquire(manager, "startup"));
		UpdateLockHold payment = acquire(manager, "payment");
		updateWaiting("b2c4e6a8", "a1b3c5d7");
		poll();
		assertThat(startup.isReleased()).isFalse();
		assertThat(monitor.view().lastYieldAt()).isNull();
		payment.release();
		this.clock.advance(Duration.ofSeconds(30));
		poll();
		assertThat(startup.isReleased()).isTrue();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.RELEASED);
		assertThat(this.directory.resolve("updates.lock")).doesNotExist();
		assertThat(monitor.view().lastYieldAt()).isEqualTo(START.plus(Duration.ofSeconds(30)));
		assertThat(monitor.view().yields()).isOne();
		assertThat(this.logger.messages(Level.INFO))
			.contains("Yielded hold(s) [startup] to the pending update: no other hold was active");
		int requests = this.supervisor.totalRequests();
		poll();
		assertThat(this.supervisor.totalRequests()).isEqualTo(requests);
	}

	@Test
	void maxDeferralYieldsWhileCriticalSectionsKeepTheirHolds() {
		UpdateLockManager manager = manager();
		YieldableHolds yieldable = new YieldableHolds();
		monitor(manager, (builder) -> builder
			.yieldPolicy(UpdateYieldPolicy.whenIdle("update-window").withMaxDeferral(Duration.ofMinutes(10)))
			.holdYielder(yieldable));
		UpdateLockHold window = yieldable.track(acquire(manager, "update-window"));
		UpdateLockHold payment = acquire(manager, "payment");
		updateWaiting("b2c4e6a8", "a1b3c5d7");
		poll();
		this.clock.advance(Duration.ofMinutes(9));
		poll();
		assertThat(window.isReleased()).isFalse();
		this.clock.advance(Duration.ofMinutes(1));
		poll();
		assertThat(window.isReleased()).isTrue();
		assertThat(payment.isReleased()).isFalse();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(this.directory.resolve("updates.lock")).exists();
		assertThat(this.logger.messages(Level.INFO))
			.contains("Yielded hold(s) [update-window] to the pending update after PT10M; it proceeds when [payment] end");
		payment.release();
		assertThat(this.directory.resolve("updates.lock")).doesNotExist();
	}

	@Test
	void aWallClockStepOfDaysDoesNotMakeTheUpdateOverdue() {
		MutableClock wallClock = new MutableClock(START);
		UpdateLockManager manager = manager();
		YieldableHolds yieldable = new YieldableHolds();
		monitor(manager, (builder) -> builder.clock(wallClock)
			.yieldPolicy(UpdateYieldPolicy.whenIdle("update-window").withMaxDeferral(Duration.ofMinutes(10)))
			.holdYielder(yieldable));
		UpdateLockHold window = yieldable.track(acquire(manager, "update-window"));
		acquire(manager, "payment");
		updateWaiting("b2c4e6a8", "a1b3c5d7");
		poll();
		wallClock.advance(Duration.ofDays(3));
		this.clock.advance(Duration.ofMinutes(1));
		poll();
		assertThat(window.isReleased()).isFalse();
		this.clock.advance(Duration.ofMinutes(9));
		poll();
		assertThat(window.isReleased()).isTrue();
	}

	@Test
	void aWallClockStepBackDoesNotSilenceFailuresForDays() {
		MutableClock wallClock = new MutableClock(START);
		UpdateLockManager manager = manager();
		monitor(manager, (builder) -> builder.clock(wallClock).errorLogInterval(Duration.ofMinutes(10)));
		acquire(manager, "work");
		this.supervisor.reply(STATE, 503, "{\"status\":\"failed\",\"message\":\"Unexpected error\"}");
		poll();
		assertThat(this.logger.messages(Level.WARNING)).hasSize(1);
		wallClock.set(START.minus(Duration.ofDays(3)));
		this.clock.advance(Duration.ofMinutes(11));
		poll();
		assertThat(this.logger.messages(Level.WARNING)).hasSize(2);
	}

	@Test
	void neverPolicyLeavesHoldsAlone() {
		UpdateLockManager manager = manager();
		YieldableHolds yieldable = new YieldableHolds();
		monitor(manager, (builder) -> builder.holdYielder(yieldable));
		UpdateLockHold startup = yieldable.track(acquire(manager, "startup"));
		updateWaiting("b2c4e6a8", "a1b3c5d7");
		poll();
		this.clock.advance(Duration.ofDays(1));
		poll();
		assertThat(startup.isReleased()).isFalse();
		assertThat(this.events).hasSize(1);
	}

	@Test
	void noYieldWithoutAPendingUpdate() {
		UpdateLockManager manager = manager();
		YieldableHolds yieldable = new YieldableHolds();
		monitor(manager, (builder) -> builder.yieldPolicy(UpdateYieldPolicy.whenIdle("startup"))
			.holdYielder(yieldable));
		UpdateLockHold startup = yieldable.track(acquire(manager, "startup"));
		upToDate("a1b3c5d7");
		poll();
		assertThat(startup.isReleased()).isFalse();
	}

	@Test
	void failingYielderIsLoggedAndPollingGoesOn() {
		UpdateLockManager manager = manager();
		monitor(manager, (builder) -> builder.yieldPolicy(UpdateYieldPolicy.whenIdle("startup"))
			.holdYielder((name) -> {
				throw new IllegalStateException("cannot release " + name);
			}));
		acquire(manager, "startup");
		updateWaiting("b2c4e6a8", "a1b3c5d7");
		poll();
		poll();
		assertThat(this.supervisor.requests(STATE)).isEqualTo(2);
		assertThat(this.logger.messages(Level.WARNING)).hasSize(2)
			.allMatch((line) -> line.equals("Could not yield hold 'startup' to the pending update"));
	}

	@Test
	void yieldingPolicyNeedsAYielder() {
		UpdateLockManager manager = manager();
		assertThatIllegalStateException()
			.isThrownBy(() -> UpdatePendingMonitor.builder(manager, new SupervisorClient(FakeSupervisorSettings.of(this.supervisor)))
				.yieldPolicy(UpdateYieldPolicy.whenIdle("startup"))
				.build())
			.withMessage("holdYielder is required when the yield policy is WHEN_IDLE");
	}

}
