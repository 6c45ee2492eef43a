package io.github.updatelock.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.event.UpdateLockLostEvent;
import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.SupervisorView;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.testsupport.CapturingLogger;
import io.github.updatelock.testsupport.FakeBalenaApi;
import io.github.updatelock.testsupport.FakeSupervisor;
import io.github.updatelock.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

class FleetTagPublisherTests {

	private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

	private static final String STATUS = "update-lock.status";

	private static final String PENDING = "update-lock.pending";

	private static final String LONG_HOLD = "update-lock.long-hold";

	private static final Map<String, String> NOTHING_TO_SAY = Map.of(STATUS, "ok", PENDING, "none", LONG_HOLD, "none");

	private static final Duration INTERVAL = FleetTagPublisher.DEFAULT_MIN_INTERVAL;

	@TempDir
	Path directory;

	private final MutableClock clock = new MutableClock(START);

	private final FakeBalenaApi api = FakeBalenaApi.start(this.clock);

	/** Runs the publisher's steps on the test clock; the managers keep their own schedulers for the watch. */
	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler(this.clock);

	private final CapturingLogger logger = new CapturingLogger();

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

	private FleetTagPublisher publisher;

	/** The managers' events, heard by a listener added after the publisher's own. */
	private final List<UpdateLockEvent> heard = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.api.close();
	}

	@AfterEach
	void theKeyIsNeverLogged() {
		for (CapturingLogger.Line line : this.logger.lines()) {
			assertThat(line.message()).doesNotContain(FakeBalenaApi.KEY);
			if (line.thrown() != null) {
				assertThat(line.thrown().toString()).doesNotContain(FakeBalenaApi.KEY);
			}
		}
	}

	private UpdateLockManager manager(Clock managerClock) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.clock(managerClock)
			.build();
		this.closeables.add(manager);
		return manager;
	}

	private UpdateLockManager manager() {
		return manager(this.clock);
	}

	private FleetTagPublisher publisher(UpdateLockManager manager) {
		return publisher(manager, FakeBalenaApiSettings.of(this.api), UnaryOperator.identity());
	}

	private FleetTagPublisher publisher(UpdateLockManager manager, BalenaApiSettings settings,
			UnaryOperator<FleetTagPublisher.Builder> customizer) {
		return start(manager, FleetTagPublisher.builder(manager, settings), customizer);
	}

	/** Builds on the test clock and scheduler, and closes it before the managers, as an application shuts down. */
	private FleetTagPublisher start(UpdateLockManager manager, FleetTagPublisher.Builder builder,
			UnaryOperator<FleetTagPublisher.Builder> customizer) {
		builder.scheduler(this.scheduler)
			.clock(this.clock)
			// The publisher's waits pass with the test clock, unless a test steps a wall clock of its own.
			.monotonicClock(this.clock::elapsedNanos)
			// Waits as the backoff says, unless a test asks for jitter.
			.jitter(() -> 0)
			.logger(this.logger);
		FleetTagPublisher built = customizer.apply(builder).build();
		this.closeables.add(0, built);
		this.publisher = built;
		manager.addListener(this.heard::add);
		return built;
	}

	/**
	 * Waits until the publisher has heard of an event: it hears the manager's events on the
	 * manager's event thread, in order and before the listener added after it. A change it
	 * has not heard of yet would plan its step only after the test let the time pass.
	 */
	private void awaitHeard(Predicate<UpdateLockEvent> event) {
		await().pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(1))
			.until(() -> this.heard.stream().anyMatch(event));
	}

	/** Releases a hold and waits until the publisher has heard of it. */
	private void release(UpdateLockManager manager, UpdateLockHold hold) {
		hold.release();
		awaitHeard((event) -> event.path().equals(manager.path())
				&& event instanceof UpdateLockHoldReleasedEvent released && released.hold().id() == hold.id());
	}

	/**
	 * Deletes the lock file as an operator's override does, and waits until the manager has
	 * seen it and the publisher has heard of it.
	 */
	private void overrideAndAwaitLost(UpdateLockManager manager) {
		try {
			Files.delete(manager.path());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		await().until(() -> manager.snapshot().status() == UpdateLockStatus.LOST);
		awaitHeard((event) -> event.path().equals(manager.path()) && event instanceof UpdateLockLostEvent);
	}

	/** Runs the due steps and waits for the answers of their requests, until nothing is due now. */
	private void settle() {
		do {
			this.scheduler.runDue();
			await().pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(5))
				.until(() -> !this.publisher.requestInFlight());
		}
		while (this.scheduler.hasDue());
	}

	/** Lets {@code duration} pass on the test clock, running every step when it is due. */
	private void runFor(Duration duration) {
		Instant end = this.clock.instant().plus(duration);
		settle();
		while (this.scheduler.advanceToNext(end)) {
			settle();
		}
		this.clock.set(end);
		settle();
	}

	private List<FakeBalenaApi.Recorded> writesOf(String key) {
		return this.api.recorded().stream().filter((request) -> key.equals(request.tagKey())).toList();
	}

	@Test
	void atStartEveryTagIsWrittenOnceInOneGo() {
		UpdateLockManager manager = manager();
		FleetTagPublisher publisher = publisher(manager);
		settle();
		assertThat(this.api.tags()).isEqualTo(NOTHING_TO_SAY);
		FleetPublisherState state = publisher.state();
		assertThat(state.enabled()).isTrue();
		assertThat(state.deviceId()).isEqualTo(FakeBalenaApi.DEVICE_ID);
		assertThat(state.tags()).isEqualTo(this.api.tags());
		assertThat(state.lastPublishedAt()).isEqualTo(START);
		assertThat(state.writes()).isEqualTo(1);
		assertThat(state.lastErrorKind()).isNull();
		assertThat(state.failures()).isZero();
	}

	@Test
	void tagsLeftByACrashedRunAreOverwrittenAtStart() {
		this.api.tag(STATUS, "LOST");
		this.api.tag(PENDING, "release 4f2a9c1 waits since 2026-12-01T08:00Z on firmware-flash");
		this.api.tag("other-tag", "kept");
		publisher(manager());
		settle();
		assertThat(this.api.tags()).containsEntry("other-tag", "kept").containsAllEntriesOf(NOTHING_TO_SAY);
	}

	@Test
	void aRefusedKeyBacksOffAtTheLongestWaitAndIsNeverShown() {
		String wrongKey = "wr0ngK3yThatMustNeverShow";
		FleetTagPublisher publisher = publisher(manager(),
				FakeBalenaApiSettings.of(this.api.uri(), wrongKey, FakeBalenaApi.DEVICE_UUID), UnaryOperator.identity());
		settle();
		FleetPublisherState state = publisher.state();
		assertThat(state.lastErrorKind()).isEqualTo(BalenaErrorKind.UNAUTHORIZED);
		assertThat(state.lastErrorAt()).isEqualTo(START);
		assertThat(state.nextAttemptAt()).isEqualTo(START.plus(FleetTagPublisher.MAX_BACKOFF));
		assertThat(state.deviceId()).isNull();
		runFor(FleetTagPublisher.MAX_BACKOFF.minusSeconds(1));
		assertThat(this.api.recorded()).hasSize(1);
		runFor(Duration.ofSeconds(1));
		assertThat(this.api.recorded()).hasSize(2);
		assertThat(publisher.state().consecutiveFailures()).isEqualTo(2);
		// Each attempt is logged: they are further apart than the error log interval.
		assertThat(this.logger.messages(Level.WARNING)).hasSize(2)
			.allSatisfy((line) -> assertThat(line).contains("HTTP 401").doesNotContain(wrongKey));
		assertThat(publisher.state().lastError()).doesNotContain(wrongKey);
	}

	@Test
	void wallClockStepsBackByDaysStretchNeitherTheMinimumIntervalNorTheBackoff() {
		MutableClock wallClock = new MutableClock(START);
		UpdateLockManager manager = manager();
		FleetTagPublisher publisher = publisher(manager, FakeBalenaApiSettings.of(this.api),
				(builder) -> builder.clock(wallClock));
		settle();
		assertThat(this.api.tags()).isEqualTo(NOTHING_TO_SAY);
		UpdateLockHold hold = manager.acquire("firmware-flash");
		wallClock.set(START.minus(Duration.ofDays(3)));
		overrideAndAwaitLost(manager);
		runFor(INTERVAL);
		assertThat(this.api.tags()).containsEntry(STATUS, "LOST");
		this.api.reply(500, "{\"error\":\"down\"}", null);
		release(manager, hold);
		runFor(INTERVAL);
		assertThat(publisher.state().consecutiveFailures()).isEqualTo(1);
		this.api.restore();
		wallClock.set(START.minus(Duration.ofDays(6)));
		runFor(FleetTagPublisher.INITIAL_BACKOFF);
		assertThat(this.api.tags()).isEqualTo(NOTHING_TO_SAY);
		assertThat(publisher.state().consecutiveFailures()).isZero();
	}

	@Test
	void anUnknownDeviceBacksOffAtTheLongestWait() {
		FleetTagPublisher publisher = publisher(manager(),
				FakeBalenaApiSettings.of(this.api.uri(), FakeBalenaApi.KEY, "abcdef0123456"), UnaryOperator.identity());
		settle();
		assertThat(publisher.state().lastErrorKind()).isEqualTo(BalenaErrorKind.DEVICE_NOT_FOUND);
		assertThat(publisher.state().nextAttemptAt()).isEqualTo(START.plus(FleetTagPublisher.MAX_BACKOFF));
		assertThat(this.api.tags()).isEmpty();
	}

	@Test
	void rateLimitingWaitsAsRetryAfterSays() {
		this.api.reply(429, "Too Many Requests", "120");
		FleetTagPublisher publisher = publisher(manager());
		settle();
		assertThat(publisher.state().lastErrorKind()).isEqualTo(BalenaErrorKind.RATE_LIMITED);
		assertThat(publisher.state().nextAttemptAt()).isEqualTo(START.plusSeconds(120));
		int requests = this.api.recorded().size();
		runFor(Duration.ofSeconds(119));
		assertThat(this.api.recorded()).hasSize(requests);
		this.api.restore();
		runFor(Duration.ofSeconds(1));
		assertThat(this.api.recorded().get(requests).at()).isEqualTo(START.plusSeconds(120));
		assertThat(this.api.tags()).isEqualTo(NOTHING_TO_SAY);
		assertThat(publisher.state().lastErrorKind()).isNull();
		assertThat(this.logger.messages(Level.INFO)).anyMatch((line) -> line.contains("answers again after 1 failed"));
	}

	@Test
	void everyWaitAfterAFailureIsLengthenedByTheJitterWithinItsBound() {
		List<Double> fractions = new ArrayList<>(List.of(0.2, 0.9));
		this.api.reply(500, "{\"error\":\"down\"}", null);
		FleetTagPublisher publisher = publisher(manager(), FakeBalenaApiSettings.of(this.api),
				(builder) -> builder.jitter(() -> fractions.remove(0)));
		settle();
		assertThat(publisher.state().nextAttemptAt())
			.isEqualTo(START.plus(FleetTagPublisher.INITIAL_BACKOFF.multipliedBy(12).dividedBy(10)));
		this.api.reply(429, "Too Many Requests", "100");
		runFor(Duration.between(START, publisher.state().nextAttemptAt()));
		// A fraction beyond the bound counts as the bound: 100 s and a quarter.
		assertThat(publisher.state().lastErrorKind()).isEqualTo(BalenaErrorKind.RATE_LIMITED);
		assertThat(publisher.state().nextAttemptAt()).isEqualTo(this.clock.instant().plusSeconds(125));
	}

	@Test
	void aSlowAnswerTimesOutAndBacksOff() {
		this.api.stallAnswers();
		FleetTagPublisher publisher = publisher(manager());
		settle();
		assertThat(publisher.state().lastErrorKind()).isEqualTo(BalenaErrorKind.TIMEOUT);
		assertThat(publisher.state().nextAttemptAt()).isEqualTo(START.plus(FleetTagPublisher.INITIAL_BACKOFF));
		this.api.releaseStalled();
		runFor(FleetTagPublisher.INITIAL_BACKOFF);
		assertThat(publisher.state().deviceId()).isEqualTo(FakeBalenaApi.DEVICE_ID);
		assertThat(this.api.tags()).isEqualTo(NOTHING_TO_SAY);
	}

	@Test
	void garbageIsAnInvalidAnswerAndBacksOff() {
		this.api.reply(200, "<html>captive portal</html>", null);
		FleetTagPublisher publisher = publisher(manager());
		settle();
		assertThat(publisher.state().lastErrorKind()).isEqualTo(BalenaErrorKind.INVALID_ANSWER);
		assertThat(publisher.state().nextAttemptAt()).isEqualTo(START.plus(FleetTagPublisher.INITIAL_BACKOFF));
	}

	@Test
	void aNetworkDownForADayCostsABoundedNumberOfAttempts() {
		FleetTagPublisher publisher = publisher(manager(), FakeBalenaApiSettings
			.of(FakeBalenaApiSettings.closedPort(), FakeBalenaApi.KEY, FakeBalenaApi.DEVICE_UUID),
				(builder) -> builder.errorLogInterval(Duration.ofHours(1)));
		runFor(Duration.ofHours(23));
		long beforeLastHour = publisher.state().failures();
		runFor(Duration.ofHours(1));
		FleetPublisherState state = publisher.state();
		assertThat(state.lastErrorKind()).isEqualTo(BalenaErrorKind.UNREACHABLE);
		// 30 s, 1, 2, 4, 8 min, then every 15 min: 6 attempts in the first 15.5 min, 4 an hour after.
		assertThat(state.failures()).isBetween(95L, 105L);
		assertThat(state.failures() - beforeLastHour).isEqualTo(4);
		assertThat(this.logger.messages(Level.WARNING)).hasSizeBetween(24, 25);
	}

	@Test
	void theManagersOwnSchedulerPublishesWithoutHelp() {
		UpdateLockManager manager = manager(Clock.systemUTC());
		FleetTagPublisher publisher = FleetTagPublisher.builder(manager, FakeBalenaApiSettings.of(this.api))
			.minInterval(Duration.ofMillis(200))
			.logger(this.logger)
			.build();
		this.closeables.add(0, publisher);
		await().until(() -> this.api.tags().equals(NOTHING_TO_SAY));
	}

	@Test
	void aPendingUpdateIsListedWithTheHoldsThatKeepItWaitingUntilItNoLongerWaits() {
		UpdateLockManager manager = manager();
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			UpdatePendingMonitor monitor = monitorOfAWaitingUpdate(manager, supervisor);
			publisher(manager, FakeBalenaApiSettings.of(this.api), (builder) -> builder.pendingMonitor(monitor));
			settle();
			UpdateLockHold hold = listWaitingUpdate(manager, monitor, "firmware-flash");
			assertThat(this.api.tags()).containsEntry(PENDING,
					"release 4f2a9c1 waits since 2026-12-02T10:00Z on firmware-flash");
			supervisor.upToDate();
			awaitView(monitor, (view) -> !view.updatePending());
			runFor(INTERVAL);
			assertThat(this.api.tags()).isEqualTo(NOTHING_TO_SAY);
			hold.release();
		}
	}

	@Test
	void aPendingUpdateListsHoldsByTheirDeclaredNameNeverByTheValuesOfOneCall() {
		UpdateLockManager manager = manager();
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			UpdatePendingMonitor monitor = monitorOfAWaitingUpdate(manager, supervisor);
			publisher(manager, FakeBalenaApiSettings.of(this.api), (builder) -> builder.pendingMonitor(monitor));
			settle();
			UpdateLockHold first = manager.acquire("payment-42", "payment-#{#order.id}");
			UpdateLockHold second = manager.acquire("payment-43", "payment-#{#order.id}");
			awaitView(monitor, SupervisorView::updatePending);
			runFor(INTERVAL);
			assertThat(this.api.tags()).containsEntry(PENDING,
					"release 4f2a9c1 waits since 2026-12-02T10:00Z on payment-#{#order.id}");
			second.release();
			first.release();
		}
	}

	@Test
	void aPendingUpdateStaysListedWhileItStillWaitsAcrossHolds() {
		UpdateLockManager manager = manager();
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			UpdatePendingMonitor monitor = monitorOfAWaitingUpdate(manager, supervisor);
			FleetTagPublisher publisher = publisher(manager, FakeBalenaApiSettings.of(this.api),
					(builder) -> builder.pendingMonitor(monitor));
			String pending = publisher.tags().pendingKey();
			settle();
			for (int cycle = 0; cycle < 3; cycle++) {
				UpdateLockHold hold = manager.acquire("sync-job");
				awaitView(monitor, SupervisorView::updatePending);
				runFor(INTERVAL);
				assertThat(this.api.tags().get(pending)).as("cycle %d, held", cycle).startsWith("release 4f2a9c1");
				hold.release();
				runFor(INTERVAL);
				assertThat(this.api.tags().get(pending)).as("cycle %d, released", cycle).startsWith("release 4f2a9c1");
			}
		}
	}

	@Test
	void aPeriodicJobWithNoUpdateWaitingWritesNoTags() {
		UpdateLockManager manager = manager();
		publisher(manager);
		settle();
		int atStart = this.api.recorded().size();
		for (int run = 0; run < 40; run++) {
			UpdateLockHold hold = manager.acquire("sync-job");
			runFor(Duration.ofSeconds(5));
			hold.release();
			runFor(Duration.ofSeconds(10));
		}
		assertThat(this.api.recorded()).hasSize(atStart);
	}

	@Test
	void closeWithAHoldStillActiveCancelsTheRequestAndDoesNotWaitOnAStalledApi() {
		UpdateLockManager manager = manager();
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			UpdatePendingMonitor monitor = monitorOfAWaitingUpdate(manager, supervisor);
			FleetTagPublisher publisher = publisher(manager, FakeBalenaApiSettings.of(this.api)
				.withRequestTimeout(Duration.ofSeconds(10)), (builder) -> builder.pendingMonitor(monitor));
			settle();
			listWaitingUpdate(manager, monitor, "operator");
			this.api.stallAnswers();
			supervisor.upToDate();
			awaitView(monitor, (view) -> !view.updatePending());
			this.clock.advance(INTERVAL);
			this.scheduler.runDue();
			assertThat(publisher.requestInFlight()).isTrue();
			assertTimeoutPreemptively(Duration.ofMillis(500), publisher::close);
			assertThat(publisher.requestInFlight()).isFalse();
		}
	}

	@Test
	void throughTheSupervisorTwoServicesKeepTheirOwnTags() {
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			SupervisorClient client = supervisorClient(supervisor);
			UpdateLockManager main = manager();
			UpdateLockManager worker = UpdateLockManager.builder()
				.lockPath(this.directory.resolve("worker").resolve("updates.lock"))
				.environment(Map.of())
				.shutdownHook(false)
				.clock(this.clock)
				.build();
			this.closeables.add(worker);
			publisher(main, client, "main");
			FleetTagPublisher workerPublisher = publisher(worker, client, "worker");
			settle();
			assertThat(supervisor.deviceTags()).containsOnlyKeys("update-lock.main.status", "update-lock.main.pending",
					"update-lock.main.long-hold", "update-lock.worker.status", "update-lock.worker.pending",
					"update-lock.worker.long-hold");
			workerPublisher.close();
			assertThat(supervisor.deviceTags()).containsEntry("update-lock.main.status", "ok").hasSize(6);
			assertThat(this.logger.messages(Level.INFO)).anyMatch((line) -> line.startsWith("Supervisor 17.8.0 at "));
		}
	}

	@Test
	void throughTheSupervisorAPeriodicJobWithNoUpdateWaitingWritesNoTags() {
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			UpdateLockManager manager = manager();
			publisher(manager, supervisorClient(supervisor), "main");
			settle();
			assertThat(supervisor.tagWrites()).isEqualTo(1);
			for (int run = 0; run < 40; run++) {
				UpdateLockHold hold = manager.acquire("sync-job");
				runFor(Duration.ofSeconds(5));
				hold.release();
				runFor(Duration.ofSeconds(10));
			}
			assertThat(supervisor.tagWrites()).isEqualTo(1);
			assertThat(supervisor.totalRequests()).isEqualTo(2);
		}
	}

	@Test
	void throughTheSupervisorAnUpdateThatWaitsOnAPeriodicJobCostsOneWrite() {
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			supervisor.updatePending("4f2a9c1e8d7b6a5f4f2a9c1e8d7b6a5f");
			UpdateLockManager manager = manager();
			UpdatePendingMonitor monitor = monitor(manager, supervisor);
			publisher(manager, supervisorClient(supervisor), "main", (builder) -> builder.pendingMonitor(monitor));
			settle();
			for (int run = 0; run < 20; run++) {
				UpdateLockHold hold = manager.acquire("sync-job");
				if (run == 0) {
					awaitView(monitor, SupervisorView::updatePending);
				}
				runFor(Duration.ofSeconds(5));
				hold.release();
				runFor(Duration.ofSeconds(10));
			}
			assertThat(supervisor.deviceTags()).containsEntry("update-lock.main.pending",
					"release 4f2a9c1 waits since 2026-12-02T10:00Z on sync-job");
			assertThat(supervisor.tagWrites()).as("at start, then once when the update was found").isEqualTo(2);
		}
	}

	@Test
	void anOlderSupervisorHandsTheTagsToTheBalenaCloudFallback() {
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			supervisor.version("17.7.2");
			FleetTagPublisher publisher = publisher(manager(), supervisorClient(supervisor), "main",
					(builder) -> builder.fallback(FakeBalenaApiSettings.of(this.api)));
			settle();
			assertThat(supervisor.tagWrites()).isZero();
			assertThat(this.api.tags()).containsEntry("update-lock.main.status", "ok");
			assertThat(publisher.state().deviceId()).isEqualTo(FakeBalenaApi.DEVICE_ID);
		}
	}

	@Test
	void anOlderSupervisorWithoutTheFallbackWritesNothingAndSaysWhy() {
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			supervisor.version("16.4.1");
			FleetTagPublisher publisher = publisher(manager(), supervisorClient(supervisor), "main");
			settle();
			assertThat(supervisor.tagWrites()).isZero();
			assertThat(this.api.recorded()).isEmpty();
			assertThat(publisher.state().lastError()).contains("Supervisor 16.4.1", "predates device tags (17.8.0)",
					"io.balena.features.balena-api");
			assertThat(publisher.state().nextAttemptAt()).isEqualTo(START.plus(FleetTagPublisher.INITIAL_BACKOFF));
		}
	}

	private SupervisorClient supervisorClient(FakeSupervisor supervisor) {
		return new SupervisorClient(SupervisorApiSettings.of(supervisor.uri(), FakeSupervisor.KEY));
	}

	private FleetTagPublisher publisher(UpdateLockManager manager, SupervisorClient client, String serviceName) {
		return publisher(manager, client, serviceName, UnaryOperator.identity());
	}

	private FleetTagPublisher publisher(UpdateLockManager manager, SupervisorClient client, String serviceName,
			UnaryOperator<FleetTagPublisher.Builder> customizer) {
		return start(manager, FleetTagPublisher.builder(manager, client).serviceName(serviceName), customizer);
	}

	/** Runs the monitor's polls, moving the test clock on when none is due, until its view shows what is asked. */
	private void awaitView(UpdatePendingMonitor monitor, Predicate<SupervisorView> expected) {
		await().until(() -> {
			if (!this.scheduler.hasDue()) {
				this.scheduler.advanceToNext(this.clock.instant().plus(SupervisorApiSettings.DEFAULT_POLL_INTERVAL));
			}
			this.scheduler.runDue();
			return monitor.view().reachable() && expected.test(monitor.view());
		});
	}

	/** A monitor of a Supervisor that has an update waiting. */
	private UpdatePendingMonitor monitorOfAWaitingUpdate(UpdateLockManager manager, FakeSupervisor supervisor) {
		supervisor.updatePending("4f2a9c1e8d7b6a5f4f2a9c1e8d7b6a5f");
		return monitor(manager, supervisor);
	}

	/** Takes a hold, on which the monitor then finds the update waiting, and lets the publisher write the tag. */
	private UpdateLockHold listWaitingUpdate(UpdateLockManager manager, UpdatePendingMonitor monitor, String name) {
		UpdateLockHold hold = manager.acquire(name);
		awaitView(monitor, SupervisorView::updatePending);
		runFor(INTERVAL);
		assertThat(this.publisher.state().tags().get(this.publisher.tags().pendingKey())).startsWith("release 4f2a9c1");
		return hold;
	}

	private UpdatePendingMonitor monitor(UpdateLockManager manager, FakeSupervisor supervisor) {
		SupervisorClient supervisorClient = new SupervisorClient(
				SupervisorApiSettings.of(supervisor.uri(), FakeSupervisor.KEY));
		UpdatePendingMonitor monitor = UpdatePendingMonitor.builder(manager, supervisorClient)
			.scheduler(this.scheduler)
			.clock(this.clock)
			.build();
		this.closeables.add(0, monitor);
		return monitor;
	}

	@Test
	void closeClearsWhatThisProcessSaidAndWaitsForItOnceNoHoldIsActive() {
		UpdateLockManager manager = manager();
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			UpdatePendingMonitor monitor = monitorOfAWaitingUpdate(manager, supervisor);
			FleetTagPublisher publisher = publisher(manager, FakeBalenaApiSettings.of(this.api),
					(builder) -> builder.pendingMonitor(monitor));
			settle();
			UpdateLockHold hold = listWaitingUpdate(manager, monitor, "firmware-flash");
			hold.release();
			publisher.close();
			assertThat(this.api.tags()).isEqualTo(NOTHING_TO_SAY);
			assertThat(publisher.state().tags()).isEqualTo(NOTHING_TO_SAY);
		}
	}

	@Test
	void closeWithNothingToClearWritesNothing() {
		FleetTagPublisher publisher = publisher(manager());
		settle();
		int requests = this.api.recorded().size();
		publisher.close();
		assertThat(this.api.recorded()).hasSize(requests);
	}

	@Test
	void closeLeavesTheTagsWhenAskedTo() {
		UpdateLockManager manager = manager();
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			UpdatePendingMonitor monitor = monitorOfAWaitingUpdate(manager, supervisor);
			FleetTagPublisher publisher = publisher(manager, FakeBalenaApiSettings.of(this.api),
					(builder) -> builder.pendingMonitor(monitor).clearTagsOnClose(false));
			settle();
			UpdateLockHold hold = listWaitingUpdate(manager, monitor, "firmware-flash");
			hold.release();
			publisher.close();
			assertThat(this.api.tags().get(PENDING)).startsWith("release 4f2a9c1");
		}
	}

	@Test
	void settingsAreCheckedByTheBuilder() {
		FleetTagPublisher.Builder builder = FleetTagPublisher.builder(manager(), FakeBalenaApiSettings.of(this.api));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.minInterval(Duration.ZERO))
			.withMessage("minInterval must be more than zero, was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.tagPrefix("io.balena.lock"))
			.withMessageStartingWith("tagPrefix must be");
	}

}
