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
import io.github.updatelock.OperatorHolds;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link UpdateLockEndpoint}'s read-only {@code window} and
 * {@code supervisor} fields, called directly on a real manager, a real window guard and a
 * real client talking to a local server that answers like the Supervisor.
 */
class UpdateLockEndpointWindowAndSupervisorTests {

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
		return new UpdateLockEndpoint(manager, () -> null, new OperatorHolds(manager), guard, monitor, client, null);
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

	@Test
	void readWithoutWindowsOrSupervisorHasNeitherField() {
		UpdateLockDescriptor read = endpoint(manager(), null, null).updateLock();
		assertThat(read.window()).isNull();
		assertThat(read.supervisor()).isNull();
	}

}
