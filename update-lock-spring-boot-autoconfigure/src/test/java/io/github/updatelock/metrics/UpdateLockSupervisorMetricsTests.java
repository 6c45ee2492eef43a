package io.github.updatelock.metrics;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.context.UpdateLockStartupHold;
import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.supervisor.UpdateYieldPolicy;
import io.github.updatelock.testsupport.FakeSupervisor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link UpdateLockSupervisorMetrics}, with a monitor polling a local server that
 * answers like the Supervisor.
 */
class UpdateLockSupervisorMetricsTests {

	@TempDir
	Path directory;

	private final FakeSupervisor supervisor = FakeSupervisor.start();

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private UpdateLockManager manager;

	private UpdatePendingMonitor monitor;

	@AfterEach
	void closeAll() {
		this.monitor.close();
		this.manager.close();
		this.supervisor.close();
	}

	private void bind(UpdateLockStartupHold startupHold) {
		SupervisorApiSettings settings = SupervisorApiSettings.of(URI.create(this.supervisor.address()),
				FakeSupervisor.KEY)
			.withPollInterval(Duration.ofMillis(50));
		this.monitor = UpdatePendingMonitor.builder(this.manager, new SupervisorClient(settings))
			.yieldPolicy(UpdateYieldPolicy.whenIdle("startup"))
			.holdYielder((name) -> {
				startupHold.release();
				return true;
			})
			.build();
		new UpdateLockSupervisorMetrics(this.monitor).bindTo(this.registry);
	}

	private double value(String name) {
		return this.registry.get(name).meter().measure().iterator().next().getValue();
	}

	private UpdateLockStartupHold startupHold() {
		this.manager = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.build();
		return new UpdateLockStartupHold(this.manager, "startup");
	}

	@Test
	void everyMeterIsThereAtZeroBeforeTheFirstPoll() {
		bind(startupHold());
		assertThat(value(UpdateLockSupervisorMetrics.PENDING_UPDATES)).isZero();
		assertThat(value(UpdateLockSupervisorMetrics.UPDATE_PENDING)).isZero();
		assertThat(value(UpdateLockSupervisorMetrics.REACHABLE)).isZero();
		assertThat(value(UpdateLockSupervisorMetrics.POLL_FAILURES)).isZero();
		assertThat(value(UpdateLockSupervisorMetrics.YIELDS)).isZero();
	}

	@Test
	void aPendingUpdateThatTheStartupHoldYieldsToIsCounted() {
		this.supervisor.updatePending("2222222222222222222222222222222b");
		UpdateLockStartupHold startupHold = startupHold();
		bind(startupHold);
		startupHold.take();
		await().atMost(Duration.ofSeconds(10)).until(() -> value(UpdateLockSupervisorMetrics.YIELDS) == 1);
		assertThat(value(UpdateLockSupervisorMetrics.PENDING_UPDATES)).isOne();
		assertThat(value(UpdateLockSupervisorMetrics.UPDATE_PENDING)).isOne();
		assertThat(value(UpdateLockSupervisorMetrics.REACHABLE)).isOne();
		assertThat(startupHold.state()).isEqualTo(UpdateLockStartupHold.State.RELEASED);
	}

	@Test
	void failedPollsAreCountedAndTheSupervisorShownUnreachable() {
		this.supervisor.reply("/v1/device", 503, "Supervisor starting");
		bind(startupHold());
		try (UpdateLockHold hold = this.manager.acquire("export")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> value(UpdateLockSupervisorMetrics.POLL_FAILURES) >= 2);
			assertThat(value(UpdateLockSupervisorMetrics.REACHABLE)).isZero();
		}
	}

}
