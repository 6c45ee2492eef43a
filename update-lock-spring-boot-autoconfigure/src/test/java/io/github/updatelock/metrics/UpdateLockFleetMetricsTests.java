package io.github.updatelock.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.fleet.RunningFleetPublisher;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.testsupport.FakeBalenaApi;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link UpdateLockFleetMetrics}, with a publisher writing to a local server that
 * answers like the balenaCloud API.
 */
class UpdateLockFleetMetricsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private RunningFleetPublisher fleet;

	private FakeBalenaApi api;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private UpdateLockManager manager;

	private FleetTagPublisher publisher;

	@BeforeEach
	void start() {
		this.fleet = new RunningFleetPublisher(this.directory);
		this.api = this.fleet.api();
		this.manager = this.fleet.manager();
		this.publisher = this.fleet.publisher();
		new UpdateLockFleetMetrics(this.publisher).bindTo(this.registry);
	}

	@AfterEach
	void closeAll() {
		this.fleet.close();
	}

	private double value(String name) {
		return this.registry.get(name).meter().measure().iterator().next().getValue();
	}

	@Test
	void writesAreCounted() {
		try (UpdateLockHold hold = this.manager.acquire("firmware-flash")) {
			await().atMost(WAIT)
				.until(() -> String.valueOf(this.api.tags().get("update-lock.long-hold")).startsWith("firmware-flash"));
		}
		// Settled: the end of the long hold is written, so no write is on its way.
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.publisher.state().tags())
				.isEqualTo(Map.of("update-lock.status", "ok", "update-lock.pending", "none", "update-lock.long-hold",
						"none"))
				.isEqualTo(this.api.tags()));
		assertThat(value(UpdateLockFleetMetrics.WRITES)).isEqualTo(this.publisher.state().writes())
			.isGreaterThanOrEqualTo(3);
		assertThat(value(UpdateLockFleetMetrics.FAILURES)).isZero();
		assertThat(value(UpdateLockFleetMetrics.CONSECUTIVE_FAILURES)).isZero();
	}

	@Test
	void failuresAreCountedAndTheGaugeFallsBackAfterASuccess() {
		await().atMost(WAIT).until(() -> "ok".equals(this.publisher.state().tags().get("update-lock.status")));
		this.api.reply(429, "Too Many Requests", "1");
		try (UpdateLockHold hold = this.manager.acquire("export")) {
			await().atMost(WAIT).until(() -> value(UpdateLockFleetMetrics.CONSECUTIVE_FAILURES) >= 1);
			assertThat(value(UpdateLockFleetMetrics.FAILURES)).isGreaterThanOrEqualTo(1);
			this.api.restore();
			await().atMost(WAIT).until(() -> value(UpdateLockFleetMetrics.CONSECUTIVE_FAILURES) == 0);
		}
		assertThat(value(UpdateLockFleetMetrics.FAILURES)).isEqualTo(this.publisher.state().failures());
	}

}
