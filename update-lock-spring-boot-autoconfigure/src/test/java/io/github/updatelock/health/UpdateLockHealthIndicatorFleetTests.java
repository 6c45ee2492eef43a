package io.github.updatelock.health;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.fleet.RunningFleetPublisher;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.testsupport.FakeBalenaApi;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@code fleet} detail of {@link UpdateLockHealthIndicator}, with a publisher
 * writing to a local server that answers like the balenaCloud API.
 */
class UpdateLockHealthIndicatorFleetTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private RunningFleetPublisher fleet;

	private FakeBalenaApi api;

	private UpdateLockManager manager;

	private FleetTagPublisher publisher;

	private UpdateLockHealthIndicator indicator;

	@BeforeEach
	void start() {
		this.fleet = new RunningFleetPublisher(this.directory);
		this.api = this.fleet.api();
		this.manager = this.fleet.manager();
		this.publisher = this.fleet.publisher();
		this.indicator = new UpdateLockHealthIndicator(this.manager, null, this.publisher);
	}

	@AfterEach
	void closeAll() {
		this.fleet.close();
	}

	@Test
	void withoutAPublisherThereIsNoDetail() {
		assertThat(new UpdateLockHealthIndicator(this.manager).health().getDetails()).doesNotContainKey("fleet");
	}

	@Test
	void theTagsAsLastWrittenAreShown() {
		try (UpdateLockHold hold = this.manager.acquire("firmware-flash")) {
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(fleet(this.indicator.health())).extractingByKey("tags")
					.asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("update-lock.status", "ok"));
			Health health = this.indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(fleet(health)).containsKeys("lastPublishedAt", "tags")
				.containsEntry("consecutiveFailures", 0)
				.doesNotContainKeys("lastErrorKind", "nextAttemptAt");
		}
	}

	@Test
	void aRefusedKeyIsShownButTheStatusStaysUp() {
		this.api.reply(401, "Unauthorized", null);
		try (UpdateLockHold hold = this.manager.acquire("export")) {
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(fleet(this.indicator.health())).containsEntry("lastErrorKind",
						"UNAUTHORIZED"));
			Health health = this.indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(fleet(health)).containsEntry("consecutiveFailures", 1)
				.containsKey("nextAttemptAt")
				.containsEntry("tags", Map.of())
				.doesNotContainKey("lastPublishedAt");
			assertThat(health.toString()).doesNotContain(FakeBalenaApi.KEY);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> fleet(Health health) {
		return (Map<String, Object>) health.getDetails().get("fleet");
	}

}
