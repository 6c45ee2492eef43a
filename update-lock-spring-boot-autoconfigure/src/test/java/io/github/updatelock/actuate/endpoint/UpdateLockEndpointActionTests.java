package io.github.updatelock.actuate.endpoint;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.SupervisorErrorKind;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.testsupport.FakeSupervisor;
import io.github.updatelock.window.UpdateWindow;
import io.github.updatelock.window.UpdateWindowGuard;
import io.github.updatelock.window.UpdateWindowReason;
import io.github.updatelock.window.UpdateWindowSchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link UpdateLockEndpoint}'s window and Supervisor parts, called directly
 * on a real manager, a real window guard and a real client talking to a local server that
 * answers like the Supervisor.
 */
class UpdateLockEndpointActionTests {

	/** Monday 01:00 UTC: the window below opens at 02:00. */
	private static final Instant NOW = Instant.parse("2026-03-02T01:00:00Z");

	private static final UpdateWindowSchedule WEEKDAY_NIGHTS = new UpdateWindowSchedule(ZoneOffset.UTC,
			List.of(UpdateWindow.of("MON-FRI", LocalTime.of(2, 0), LocalTime.of(4, 0))));

	@TempDir
	Path directory;

	private final FakeSupervisor supervisor = FakeSupervisor.start();

	private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

	@AfterEach
	void closeAll() throws Exception {
		for (AutoCloseable closeable : this.toClose) {
			closeable.close();
		}
		this.supervisor.close();
	}

	private UpdateLockManager manager() {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.build();
		this.toClose.push(manager);
		return manager;
	}

	private UpdateWindowGuard startedGuard(UpdateLockManager manager) {
		UpdateWindowGuard guard = UpdateWindowGuard.builder(manager, WEEKDAY_NIGHTS)
			.clock(Clock.fixed(NOW, ZoneOffset.UTC))
			.maxOperatorWindow(Duration.ofHours(4))
			.build();
		this.toClose.push(guard);
		guard.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> guard.state().holdHeld());
		return guard;
	}

	private SupervisorClient client(String key) {
		return new SupervisorClient(SupervisorApiSettings.of(URI.create(this.supervisor.address()), key)
			.withRequestTimeout(Duration.ofMillis(500))
			.withPollInterval(Duration.ofMillis(100)));
	}

	private UpdateLockEndpoint endpoint(UpdateLockManager manager, UpdateWindowGuard guard, SupervisorClient client) {
		UpdatePendingMonitor monitor = (client != null) ? UpdatePendingMonitor.builder(manager, client).build() : null;
		if (monitor != null) {
			this.toClose.push(monitor);
		}
		return new UpdateLockEndpoint(manager, () -> null, guard, monitor, client);
	}

	private static List<String> holdNames(UpdateLockManager manager) {
		return manager.snapshot().holds().stream().map(ActiveHold::name).toList();
	}

	@Test
	void readShowsTheWindowStateAndTheNextTransition() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = startedGuard(manager);
		UpdateWindowDescriptor window = endpoint(manager, guard, null).updateLock().window();
		assertThat(window).isEqualTo(new UpdateWindowDescriptor(false, UpdateWindowReason.SCHEDULE, null,
				Instant.parse("2026-03-02T02:00:00Z"), Instant.parse("2026-03-02T02:00:00Z"), null, true, null, false,
				"update-window", "MON-FRI 02:00-04:00 (Z)", "Z", Duration.ofHours(4)));
	}

	@Test
	void openingAWindowReleasesTheHoldForTheGivenTimeAndClosingItTakesTheHoldBack() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = startedGuard(manager);
		UpdateLockEndpoint endpoint = endpoint(manager, guard, null);
		OperatorActionDescriptor opened = endpoint.operatorAction("window", "open", "30m");
		assertThat(opened.outcome()).isEqualTo(OperatorActionOutcome.WINDOW_OPENED);
		assertThat(opened.message())
			.isEqualTo("Update window open until 2026-03-02T01:30:00Z: hold 'update-window' released, updates may be "
					+ "applied");
		assertThat(opened.window().open()).isTrue();
		assertThat(opened.window().reason()).isEqualTo(UpdateWindowReason.OPERATOR);
		assertThat(opened.window().operatorWindowEnd()).isEqualTo(Instant.parse("2026-03-02T01:30:00Z"));
		assertThat(holdNames(manager)).isEmpty();
		OperatorActionDescriptor closed = endpoint.operatorAction("window", "close", null);
		assertThat(closed.outcome()).isEqualTo(OperatorActionOutcome.WINDOW_CLOSED);
		assertThat(closed.message()).isEqualTo("Operator window ended; the schedule decides again: closed until "
				+ "2026-03-02T02:00:00Z, hold 'update-window' is taken again");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(holdNames(manager)).containsExactly("update-window"));
		assertThat(endpoint.operatorAction("window", "close", "").outcome())
			.isEqualTo(OperatorActionOutcome.NO_OPERATOR_WINDOW);
	}

	@Test
	void openingAWindowSaysWhichOtherHoldsStillKeepUpdatesWaiting() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = startedGuard(manager);
		try (UpdateLockHold hold = manager.acquire("firmware-write")) {
			assertThat(endpoint(manager, guard, null).operatorAction("window", "open", "PT1H").message())
				.endsWith("hold 'update-window' released; 1 other hold(s) still keep updates waiting");
		}
	}

	@ParameterizedTest(name = "{0}/{1} duration={2}")
	@CsvSource(delimiter = '|', nullValues = "null", textBlock = """
			window     | open         | null   | duration is required: how long the window stays open, for example 2h, 90m or PT2H
			window     | open         | ''     | duration is required: how long the window stays open, for example 2h, 90m or PT2H
			window     | open         | 120    | duration '120' has no unit: for example 2h, 90m or PT2H
			window     | open         | banana | duration 'banana' is not a duration: for example 2h, 90m or PT2H
			window     | open         | 5h     | An operator update window must last more than zero and at most PT4H, was PT5H; for example PT2H for two hours
			window     | open         | 0s     | An operator update window must last more than zero and at most PT4H, was PT0S; for example PT2H for two hours
			window     | open         | -1h    | An operator update window must last more than zero and at most PT4H, was PT-1H; for example PT2H for two hours
			window     | close        | 1h     | duration only applies to window/open, not to window/close
			supervisor | force-update | 1h     | duration only applies to window/open, not to supervisor/force-update
			window     | shut         | null   | Unknown operation 'window/shut': use window/open (with a duration), window/close or supervisor/force-update
			windows    | open         | 1h     | Unknown operation 'windows/open': use window/open (with a duration), window/close or supervisor/force-update
			supervisor | reboot       | null   | Unknown operation 'supervisor/reboot': use window/open (with a duration), window/close or supervisor/force-update
			""")
	void badInputIsInvalidWithAMessageAndChangesNothing(String area, String action, String duration, String message) {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = startedGuard(manager);
		OperatorActionDescriptor answer = endpoint(manager, guard, client(FakeSupervisor.KEY)).operatorAction(area,
				action, duration);
		assertThat(answer.outcome()).isEqualTo(OperatorActionOutcome.INVALID);
		assertThat(answer.message()).isEqualTo(message);
		assertThat(answer.area()).isEqualTo(area);
		assertThat(answer.action()).isEqualTo(action);
		assertThat(holdNames(manager)).containsExactly("update-window");
		assertThat(this.supervisor.requests("/v1/update")).isZero();
	}

	@Test
	void windowActionsWithoutWindowsAreNotConfigured() {
		UpdateLockEndpoint endpoint = endpoint(manager(), null, null);
		assertThat(endpoint.operatorAction("window", "open", "1h").outcome())
			.isEqualTo(OperatorActionOutcome.NOT_CONFIGURED);
		OperatorActionDescriptor close = endpoint.operatorAction("window", "close", null);
		assertThat(close.outcome()).isEqualTo(OperatorActionOutcome.NOT_CONFIGURED);
		assertThat(close.message()).startsWith("No update windows are configured here (update-lock.window.ranges)");
		assertThat(endpoint.updateLock().window()).isNull();
	}

	@Test
	void forceUpdateWithoutTheSupervisorApiIsNotConfigured() {
		OperatorActionDescriptor answer = endpoint(manager(), null, null).operatorAction("supervisor", "force-update",
				null);
		assertThat(answer.outcome()).isEqualTo(OperatorActionOutcome.NOT_CONFIGURED);
		assertThat(answer.message()).contains("BALENA_SUPERVISOR_ADDRESS");
		assertThat(answer.supervisorStatus()).isNull();
	}

	@Test
	void forceUpdateThatTheSupervisorStartsAnswers204AsSent() {
		OperatorActionDescriptor answer = endpoint(manager(), null, client(FakeSupervisor.KEY))
			.operatorAction("supervisor", "force-update", null);
		assertThat(answer.outcome()).isEqualTo(OperatorActionOutcome.UPDATE_TRIGGERED);
		assertThat(answer.supervisorStatus()).isEqualTo(204);
		assertThat(answer.supervisorBody()).isEmpty();
		assertThat(answer.message()).contains("overriding every update lock, this application's included");
		assertThat(this.supervisor.requests("/v1/update")).isOne();
	}

	@Test
	void forceUpdateThatTheSupervisorIgnoresAnswers202AsSent() {
		this.supervisor.instantUpdates(false);
		OperatorActionDescriptor answer = endpoint(manager(), null, client(FakeSupervisor.KEY))
			.operatorAction("supervisor", "force-update", null);
		assertThat(answer.outcome()).isEqualTo(OperatorActionOutcome.UPDATE_IGNORED);
		assertThat(answer.supervisorStatus()).isEqualTo(202);
	}

	@Test
	void forceUpdateWithAWrongKeyPassesThe401On() {
		OperatorActionDescriptor answer = endpoint(manager(), null, client("regenerated-meanwhile"))
			.operatorAction("supervisor", "force-update", null);
		assertThat(answer.outcome()).isEqualTo(OperatorActionOutcome.UPDATE_REFUSED);
		assertThat(answer.supervisorStatus()).isEqualTo(401);
		assertThat(answer.supervisorBody()).isEqualTo("Unauthorized");
		assertThat(answer.message()).contains("the Supervisor refused the API key (HTTP 401)")
			.doesNotContain("regenerated-meanwhile");
	}

	@Test
	void forceUpdateRefusedByALockPassesThe423BodyOnAsSent() {
		String body = "{\"status\":\"failed\",\"message\":\"Updates are locked: locks found for service worker\"}";
		this.supervisor.reply("/v1/update", 423, body);
		OperatorActionDescriptor answer = endpoint(manager(), null, client(FakeSupervisor.KEY))
			.operatorAction("supervisor", "force-update", null);
		assertThat(answer.outcome()).isEqualTo(OperatorActionOutcome.UPDATE_REFUSED);
		assertThat(answer.supervisorStatus()).isEqualTo(423);
		assertThat(answer.supervisorBody()).isEqualTo(body);
		assertThat(answer.message()).endsWith("refused by an update lock (HTTP 423): Updates are locked: locks found "
				+ "for service worker");
	}

	@Test
	void forceUpdateWithoutAnAnswerIsShownNotThrown() {
		this.supervisor.stallAnswers();
		OperatorActionDescriptor answer = endpoint(manager(), null, client(FakeSupervisor.KEY))
			.operatorAction("supervisor", "force-update", null);
		assertThat(answer.outcome()).isEqualTo(OperatorActionOutcome.SUPERVISOR_UNAVAILABLE);
		assertThat(answer.supervisorStatus()).isNull();
		assertThat(answer.supervisorBody()).isNull();
		assertThat(answer.message()).isEqualTo("Supervisor API POST /v1/update: no answer within 500 ms");
	}

	@Test
	void readShowsWhatTheLastPollsSawWithoutAskingTheSupervisor() {
		this.supervisor.updatePending("2222222222222222222222222222222b");
		UpdateLockManager manager = manager();
		UpdateLockEndpoint endpoint = endpoint(manager, null, client(FakeSupervisor.KEY));
		SupervisorDescriptor idle = endpoint.updateLock().supervisor();
		assertThat(idle.address()).isEqualTo(this.supervisor.address());
		assertThat(idle.polling()).isFalse();
		assertThat(idle.lastPolledAt()).isNull();
		assertThat(this.supervisor.requests("/v1/device")).isZero();
		try (UpdateLockHold hold = manager.acquire("export")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.updateLock().supervisor().updatePending());
			SupervisorDescriptor pending = endpoint.updateLock().supervisor();
			assertThat(pending.reachable()).isTrue();
			assertThat(pending.polling()).isTrue();
			assertThat(pending.pendingSince()).isNotNull();
			assertThat(pending.targetCommit()).isEqualTo("2222222222222222222222222222222b");
			assertThat(pending.currentCommit()).isEqualTo("1111111111111111111111111111111a");
			assertThat(pending.updateStatus()).isEqualTo("downloaded");
			assertThat(pending.pendingUpdates()).isOne();
			assertThat(pending.lastErrorKind()).isNull();
		}
		this.supervisor.reply("/v1/device", 503, "{\"status\":\"failed\",\"message\":\"Supervisor starting\"}");
		try (UpdateLockHold hold = manager.acquire("export")) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> endpoint.updateLock().supervisor().lastErrorKind() == SupervisorErrorKind.REJECTED);
			assertThat(endpoint.updateLock().supervisor().reachable()).isFalse();
		}
	}

}
