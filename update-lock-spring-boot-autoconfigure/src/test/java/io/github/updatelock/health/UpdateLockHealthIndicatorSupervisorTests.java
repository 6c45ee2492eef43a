package io.github.updatelock.health;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.testsupport.FakeSupervisor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@code supervisor} detail of {@link UpdateLockHealthIndicator}, with a monitor
 * polling a local server that answers like the Supervisor.
 */
class UpdateLockHealthIndicatorSupervisorTests {

	@TempDir
	Path directory;

	private final FakeSupervisor supervisor = FakeSupervisor.start();

	private UpdateLockManager manager;

	private UpdatePendingMonitor monitor;

	@AfterEach
	void closeAll() {
		if (this.monitor != null) {
			this.monitor.close();
		}
		if (this.manager != null) {
			this.manager.close();
		}
		this.supervisor.close();
	}

	private UpdateLockHealthIndicator indicator(String address) {
		this.manager = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.build();
		SupervisorApiSettings settings = SupervisorApiSettings.of(URI.create(address), FakeSupervisor.KEY)
			.withConnectTimeout(Duration.ofMillis(500))
			.withPollInterval(Duration.ofMillis(50));
		this.monitor = UpdatePendingMonitor.builder(this.manager, new SupervisorClient(settings)).build();
		return new UpdateLockHealthIndicator(this.manager, this.monitor);
	}

	@Test
	void beforeAnyPollTheDetailSaysNothingIsKnown() {
		Health health = indicator(this.supervisor.address()).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("supervisor",
				Map.of("reachable", false, "updatePending", false, "applying", false));
		assertThat(this.supervisor.requests("/v1/device")).isZero();
	}

	@Test
	void aPendingUpdateIsShownAndStaysUp() {
		this.supervisor.updatePending("2222222222222222222222222222222b");
		UpdateLockHealthIndicator indicator = indicator(this.supervisor.address());
		try (UpdateLockHold hold = this.manager.acquire("export")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.monitor.view().updatePending());
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("supervisor")).isEqualTo(Map.of("reachable", true, "updatePending",
					true, "pendingSince", this.monitor.view().pendingSince().toString(), "applying", false));
		}
	}

	@Test
	void anUnreachableSupervisorIsShownAndStaysUp() {
		this.supervisor.close();
		UpdateLockHealthIndicator indicator = indicator(this.supervisor.address());
		try (UpdateLockHold hold = this.manager.acquire("export")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.monitor.view().failedPolls() > 0);
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("supervisor")).isEqualTo(Map.of("reachable", false, "updatePending",
					false, "applying", false, "lastErrorKind", "UNREACHABLE"));
		}
	}

}
