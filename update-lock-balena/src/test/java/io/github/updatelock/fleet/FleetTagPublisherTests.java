package io.github.updatelock.fleet;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldAcquiredEvent;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.SupervisorClient;
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
import static org.awaitility.Awaitility.await;

class FleetTagPublisherTests {

	private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

	private static final String STATUS = "update-lock.status";

	private static final String HOLDS = "update-lock.holds";

	private static final String PENDING = "update-lock.pending";

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

	/** The manager's events, heard by a listener added after the publisher's own. */
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
		FleetTagPublisher.Builder builder = FleetTagPublisher.builder(manager, settings)
			.scheduler(this.scheduler)
			.clock(this.clock)
			// Waits as the backoff says, unless a test asks for jitter.
			.jitter(() -> 0)
			.logger(this.logger);
		FleetTagPublisher built = customizer.apply(builder).build();
		// Closed before the managers, as an application shuts down.
		this.closeables.add(0, built);
		this.publisher = built;
		manager.addListener(this.heard::add);
		return built;
	}

	/**
	 * Takes a hold and waits until the publisher has heard of it: it hears of the lock on the
	 * manager's event thread, before the listener registered after it.
	 */
	private UpdateLockHold acquire(UpdateLockManager manager, String name) {
		UpdateLockHold hold = manager.acquire(name);
		await().pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(1))
			.until(() -> this.heard.stream()
				.anyMatch((event) -> event instanceof UpdateLockHoldAcquiredEvent acquired
						&& acquired.hold().id() == hold.id()));
		return hold;
	}

	/** Releases a hold and waits until the publisher has heard of it, and of the file's release it caused. */
	private void release(UpdateLockManager manager, UpdateLockHold hold) {
		hold.release();
		boolean fileReleased = manager.snapshot().holds().isEmpty();
		await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
			List<UpdateLockEvent> events = List.copyOf(this.heard);
			for (int i = 0; i < events.size(); i++) {
				if (events.get(i) instanceof UpdateLockHoldReleasedEvent released && released.hold().id() == hold.id()) {
					return !fileReleased || events.subList(i, events.size())
						.stream()
						.anyMatch(UpdateLockReleasedEvent.class::isInstance);
				}
			}
			return false;
		});
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
	void aHoldShowsUpAsTagsAndDisappearsAfterRelease() {
		UpdateLockManager manager = manager();
		FleetTagPublisher publisher = publisher(manager);
		settle();
		assertThat(this.api.tags()).containsExactly(entry(STATUS, "RELEASED"));
		assertThat(publisher.state().deviceId()).isEqualTo(FakeBalenaApi.DEVICE_ID);
		UpdateLockHold hold = acquire(manager, "firmware-flash");
		runFor(INTERVAL);
		assertThat(this.api.tags()).containsExactly(entry(HOLDS, "firmware-flash since 2026-12-02T10:00Z"),
				entry(STATUS, "HELD"));
		release(manager, hold);
		runFor(INTERVAL);
		assertThat(this.api.tags()).containsExactly(entry(STATUS, "RELEASED"));
		FleetPublisherState state = publisher.state();
		assertThat(state.enabled()).isTrue();
		assertThat(state.tags()).isEqualTo(this.api.tags());
		assertThat(state.lastPublishedAt()).isEqualTo(START.plus(INTERVAL.multipliedBy(2)));
		assertThat(state.lastErrorKind()).isNull();
		assertThat(state.consecutiveFailures()).isZero();
		assertThat(state.failures()).isZero();
	}

	@Test
	void tagsLeftByACrashedRunAreOverwrittenOrRemovedAtStart() {
		this.api.tag(STATUS, "HELD");
		this.api.tag(HOLDS, "firmware-flash since 2026-12-01T08:00Z");
		this.api.tag("other-tag", "kept");
		publisher(manager());
		settle();
		assertThat(this.api.tags()).containsExactly(entry("other-tag", "kept"), entry(STATUS, "RELEASED"));
	}

	@Test
	void manyChangesInOneIntervalCostOneWritePerTagAndEndWithTheLatestState() {
		UpdateLockManager manager = manager();
		publisher(manager);
		settle();
		for (int i = 0; i < 10; i++) {
			release(manager, acquire(manager, "job-" + i));
		}
		UpdateLockHold last = acquire(manager, "last");
		runFor(INTERVAL);
		assertThat(this.api.tags()).containsExactly(entry(HOLDS, "last since 2026-12-02T10:00Z"), entry(STATUS, "HELD"));
		release(manager, last);
		this.clock.advance(Duration.ofSeconds(10));
		release(manager, acquire(manager, "again"));
		runFor(INTERVAL);
		assertThat(this.api.tags()).containsExactly(entry(STATUS, "RELEASED"));
		// At start, then once per interval: three writes of each, at least an interval apart.
		for (String key : List.of(STATUS, HOLDS)) {
			List<FakeBalenaApi.Recorded> writes = writesOf(key);
			assertThat(writes).hasSize(3);
			for (int i = 1; i < writes.size(); i++) {
				assertThat(Duration.between(writes.get(i - 1).at(), writes.get(i).at())).isGreaterThanOrEqualTo(INTERVAL);
			}
		}
	}

	@Test
	void holdsWhileAStepIsPlannedPlanNothingMoreAndTheStepShowsTheLatestState() {
		UpdateLockManager manager = manager();
		publisher(manager);
		settle();
		UpdateLockHold first = acquire(manager, "first");
		settle();
		Instant planned = this.scheduler.nextDue();
		assertThat(planned).as("the status was written at start: the next write waits").isAfter(this.clock.instant());
		for (int i = 0; i < 100; i++) {
			release(manager, acquire(manager, "job-" + i));
		}
		release(manager, first);
		assertThat(this.scheduler.nextDue()).as("still the step planned before the holds").isEqualTo(planned);
		runFor(INTERVAL);
		assertThat(this.api.tags()).containsExactly(entry(STATUS, "RELEASED"));
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
		UpdateLockManager manager = manager();
		FleetTagPublisher publisher = publisher(manager);
		settle();
		this.api.reply(429, "Too Many Requests", "120");
		acquire(manager, "firmware-flash");
		runFor(INTERVAL);
		Instant limited = START.plus(INTERVAL);
		assertThat(publisher.state().lastErrorKind()).isEqualTo(BalenaErrorKind.RATE_LIMITED);
		assertThat(publisher.state().nextAttemptAt()).isEqualTo(limited.plusSeconds(120));
		int requests = this.api.recorded().size();
		runFor(Duration.ofSeconds(119));
		assertThat(this.api.recorded()).hasSize(requests);
		this.api.restore();
		runFor(Duration.ofSeconds(1));
		assertThat(this.api.recorded().get(requests).at()).isEqualTo(limited.plusSeconds(120));
		assertThat(this.api.tags()).containsEntry(STATUS, "HELD");
		assertThat(publisher.state().lastErrorKind()).isNull();
		assertThat(this.logger.messages(Level.INFO)).anyMatch((line) -> line.contains("answers again after 1 failed"));
	}

	@Test
	void everyWaitAfterAFailureIsLengthenedByTheJitterWithinItsBound() {
		List<Double> fractions = new ArrayList<>(List.of(0.2, 0.9));
		UpdateLockManager manager = manager();
		FleetTagPublisher publisher = publisher(manager, FakeBalenaApiSettings.of(this.api),
				(builder) -> builder.jitter(() -> fractions.remove(0)));
		settle();
		this.api.reply(500, "{\"error\":\"down\"}", null);
		acquire(manager, "firmware-flash");
		runFor(INTERVAL);
		Instant failed = this.clock.instant();
		assertThat(publisher.state().nextAttemptAt())
			.isEqualTo(failed.plus(FleetTagPublisher.INITIAL_BACKOFF.multipliedBy(12).dividedBy(10)));
		this.api.reply(429, "Too Many Requests", "100");
		runFor(Duration.between(failed, publisher.state().nextAttemptAt()));
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
		assertThat(this.api.tags()).containsEntry(STATUS, "RELEASED");
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
	void aHoldNeverWaitsForTheNetwork() {
		UpdateLockManager manager = manager();
		FleetTagPublisher publisher = publisher(manager, FakeBalenaApiSettings.of(this.api)
			.withRequestTimeout(Duration.ofSeconds(10)), UnaryOperator.identity());
		settle();
		this.api.stallAnswers();
		this.clock.advance(INTERVAL);
		UpdateLockHold first = manager.acquire("first");
		// The publisher hears of the hold on the manager's event thread, and plans its step then.
		await().until(this.scheduler::hasDue);
		this.scheduler.runDue();
		await().until(() -> this.api.recorded().size() == 6);
		UpdateLockHold second = manager.acquire("second");
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		second.release();
		first.release();
		assertThat(publisher.requestInFlight()).isTrue();
		this.api.releaseStalled();
		runFor(INTERVAL);
		assertThat(this.api.tags()).containsExactly(entry(STATUS, "RELEASED"));
	}

	@Test
	void theManagersOwnSchedulerPublishesWithoutHelp() {
		UpdateLockManager manager = manager(Clock.systemUTC());
		FleetTagPublisher publisher = FleetTagPublisher.builder(manager, FakeBalenaApiSettings.of(this.api))
			.minInterval(Duration.ofMillis(200))
			.logger(this.logger)
			.build();
		this.closeables.add(0, publisher);
		UpdateLockHold hold = manager.acquire("firmware-flash");
		await().until(() -> "HELD".equals(this.api.tags().get(STATUS)) && this.api.tags().containsKey(HOLDS));
		hold.release();
		await().until(() -> this.api.tags().equals(Map.of(STATUS, "RELEASED")));
	}

	@Test
	void aPendingUpdateShowsWhileItWaitsOnTheLock() {
		UpdateLockManager manager = manager();
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			supervisor.updatePending("4f2a9c1e8d7b6a5f4f2a9c1e8d7b6a5f");
			SupervisorClient supervisorClient = new SupervisorClient(
					SupervisorApiSettings.of(supervisor.uri(), FakeSupervisor.KEY));
			UpdatePendingMonitor monitor = UpdatePendingMonitor.builder(manager, supervisorClient)
				.scheduler(this.scheduler)
				.clock(this.clock)
				.build();
			this.closeables.add(0, monitor);
			publisher(manager, FakeBalenaApiSettings.of(this.api), (builder) -> builder.pendingMonitor(monitor));
			settle();
			UpdateLockHold hold = acquire(manager, "firmware-flash");
			await().until(() -> {
				this.scheduler.runDue();
				return monitor.view().pendingUpdates() == 1;
			});
			runFor(INTERVAL);
			assertThat(this.api.tags()).containsEntry(PENDING, "release 4f2a9c1 waiting since 2026-12-02T10:00Z");
			release(manager, hold);
			runFor(INTERVAL);
			assertThat(this.api.tags()).containsExactly(entry(STATUS, "RELEASED"));
		}
	}

	@Test
	void closeRemovesTheTags() {
		UpdateLockManager manager = manager();
		FleetTagPublisher publisher = publisher(manager);
		settle();
		acquire(manager, "firmware-flash");
		runFor(INTERVAL);
		assertThat(this.api.tags()).containsKeys(STATUS, HOLDS);
		publisher.close();
		assertThat(this.api.tags()).isEmpty();
		assertThat(publisher.state().tags()).isEmpty();
	}

	@Test
	void closeGivesUpOnAnApiThatDoesNotAnswerWithinTheRequestTimeout() {
		UpdateLockManager manager = manager();
		FleetTagPublisher publisher = publisher(manager);
		settle();
		this.api.stallAnswers();
		publisher.close();
		assertThat(this.api.tags()).containsExactly(entry(STATUS, "RELEASED"));
		assertThat(this.logger.messages(Level.WARNING))
			.anyMatch((line) -> line.startsWith("Could not remove the update lock's device tags [" + STATUS + "] on close"));
	}

	@Test
	void closeLeavesTheTagsWhenAskedTo() {
		FleetTagPublisher publisher = publisher(manager(), FakeBalenaApiSettings.of(this.api),
				(builder) -> builder.removeTagsOnClose(false));
		settle();
		publisher.close();
		assertThat(this.api.tags()).containsExactly(entry(STATUS, "RELEASED"));
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
