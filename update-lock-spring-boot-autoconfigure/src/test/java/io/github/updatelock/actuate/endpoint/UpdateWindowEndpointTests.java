package io.github.updatelock.actuate.endpoint;

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
import io.github.updatelock.window.UpdateWindow;
import io.github.updatelock.window.UpdateWindowGuard;
import io.github.updatelock.window.UpdateWindowReason;
import io.github.updatelock.window.UpdateWindowSchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link UpdateWindowEndpoint}, called directly on a real manager and a real,
 * started window guard whose clock stands on a Monday at 01:00 UTC.
 */
class UpdateWindowEndpointTests {

	/** Monday 01:00 UTC: the window below opens at 02:00. */
	private static final Instant NOW = Instant.parse("2026-03-02T01:00:00Z");

	private static final UpdateWindowSchedule WEEKDAY_NIGHTS = new UpdateWindowSchedule(ZoneOffset.UTC,
			List.of(UpdateWindow.of("MON-FRI", LocalTime.of(2, 0), LocalTime.of(4, 0))));

	@TempDir
	Path directory;

	private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

	private UpdateLockManager manager;

	private UpdateWindowEndpoint endpoint;

	@BeforeEach
	void startGuard() {
		this.manager = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.build();
		this.toClose.push(this.manager);
		UpdateWindowGuard guard = UpdateWindowGuard.builder(this.manager, WEEKDAY_NIGHTS)
			.clock(Clock.fixed(NOW, ZoneOffset.UTC))
			.maxOperatorWindow(Duration.ofHours(4))
			.build();
		this.toClose.push(guard);
		guard.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> guard.state().holdHeld());
		this.endpoint = new UpdateWindowEndpoint(this.manager, guard);
	}

	@AfterEach
	void closeAll() throws Exception {
		for (AutoCloseable closeable : this.toClose) {
			closeable.close();
		}
	}

	private List<String> holdNames() {
		return this.manager.snapshot().holds().stream().map(ActiveHold::name).toList();
	}

	@Test
	void readShowsTheWindowStateAndTheNextTransition() {
		assertThat(this.endpoint.updateWindow()).isEqualTo(new UpdateWindowDescriptor(false,
				UpdateWindowReason.SCHEDULE, null, Instant.parse("2026-03-02T02:00:00Z"),
				Instant.parse("2026-03-02T02:00:00Z"), null, true, null, false, "update-window",
				"MON-FRI 02:00-04:00 (Z)", "Z", Duration.ofHours(4)));
	}

	@Test
	void openingAWindowReleasesTheHoldForTheGivenTimeAndClosingItTakesTheHoldBack() {
		UpdateWindowActionDescriptor opened = this.endpoint.changeWindow("open", "30m");
		assertThat(opened.action()).isEqualTo("open");
		assertThat(opened.outcome()).isEqualTo(UpdateWindowActionOutcome.WINDOW_OPENED);
		assertThat(opened.message())
			.isEqualTo("Update window open until 2026-03-02T01:30:00Z: hold 'update-window' released, updates may be "
					+ "applied");
		assertThat(opened.window().open()).isTrue();
		assertThat(opened.window().reason()).isEqualTo(UpdateWindowReason.OPERATOR);
		assertThat(opened.window().operatorWindowEnd()).isEqualTo(Instant.parse("2026-03-02T01:30:00Z"));
		assertThat(holdNames()).isEmpty();
		UpdateWindowActionDescriptor closed = this.endpoint.changeWindow("close", null);
		assertThat(closed.outcome()).isEqualTo(UpdateWindowActionOutcome.WINDOW_CLOSED);
		assertThat(closed.message()).isEqualTo("Operator window ended; the schedule decides again: closed until "
				+ "2026-03-02T02:00:00Z, hold 'update-window' is taken again");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(holdNames()).containsExactly("update-window"));
		assertThat(this.endpoint.changeWindow("close", "").outcome())
			.isEqualTo(UpdateWindowActionOutcome.NO_OPERATOR_WINDOW);
	}

	@Test
	void openingAWindowSaysWhichOtherHoldsStillKeepUpdatesWaiting() {
		try (UpdateLockHold hold = this.manager.acquire("firmware-write")) {
			assertThat(this.endpoint.changeWindow("open", "PT1H").message())
				.endsWith("hold 'update-window' released; 1 other hold(s) still keep updates waiting");
		}
	}

	@ParameterizedTest(name = "{0} duration={1}")
	@CsvSource(delimiter = '|', nullValues = "null", textBlock = """
			open   | null   | duration is required: how long the window stays open, for example 2h, 90m or PT2H
			open   | ''     | duration is required: how long the window stays open, for example 2h, 90m or PT2H
			open   | 120    | duration '120' has no unit: for example 2h, 90m or PT2H
			open   | banana | duration 'banana' is not a duration: for example 2h, 90m or PT2H
			open   | 5h     | An operator update window must last more than zero and at most PT4H, was PT5H; for example PT2H for two hours
			open   | 0s     | An operator update window must last more than zero and at most PT4H, was PT0S; for example PT2H for two hours
			open   | -1h    | An operator update window must last more than zero and at most PT4H, was PT-1H; for example PT2H for two hours
			close  | 1h     | duration only applies to open, not to close
			shut   | null   | Unknown action 'shut': use open (with a duration) or close
			Open   | 1h     | Unknown action 'Open': use open (with a duration) or close
			""")
	void badInputIsInvalidWithAMessageAndChangesNothing(String action, String duration, String message) {
		UpdateWindowActionDescriptor answer = this.endpoint.changeWindow(action, duration);
		assertThat(answer.outcome()).isEqualTo(UpdateWindowActionOutcome.INVALID);
		assertThat(answer.message()).isEqualTo(message);
		assertThat(answer.action()).isEqualTo(action);
		assertThat(answer.window().open()).isFalse();
		assertThat(holdNames()).containsExactly("update-window");
	}

}
