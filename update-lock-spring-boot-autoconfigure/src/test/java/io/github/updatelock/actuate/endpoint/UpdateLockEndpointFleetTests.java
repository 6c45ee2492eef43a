package io.github.updatelock.actuate.endpoint;

import java.nio.file.Path;
import java.time.Duration;

import io.github.updatelock.OperatorHolds;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.fleet.RunningFleetPublisher;
import io.github.updatelock.fleet.BalenaErrorKind;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.testsupport.FakeBalenaApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@code fleet} view of {@link UpdateLockEndpoint}, with a publisher writing to a
 * local server that answers like the balenaCloud API.
 */
class UpdateLockEndpointFleetTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private RunningFleetPublisher fleet;

	private FakeBalenaApi api;

	private UpdateLockManager manager;

	private FleetTagPublisher publisher;

	private UpdateLockEndpoint endpoint;

	@BeforeEach
	void start() {
		this.fleet = new RunningFleetPublisher(this.directory);
		this.api = this.fleet.api();
		this.manager = this.fleet.manager();
		this.publisher = this.fleet.publisher();
		this.endpoint = new UpdateLockEndpoint(this.manager, () -> null, new OperatorHolds(this.manager), null, null,
				null, this.publisher);
	}

	@AfterEach
	void closeAll() {
		this.fleet.close();
	}

	@Test
	void withoutAPublisherTheViewIsNull() {
		assertThat(new UpdateLockEndpoint(this.manager).updateLock().fleet()).isNull();
	}

	@Test
	void theTagsAsLastWrittenAreShown() {
		try (UpdateLockHold hold = this.manager.acquire("firmware-flash")) {
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(this.endpoint.updateLock().fleet().tags())
					.hasEntrySatisfying("update-lock.long-hold",
							(value) -> assertThat(value).startsWith("firmware-flash since ")));
			FleetDescriptor fleet = this.endpoint.updateLock().fleet();
			assertThat(fleet.enabled()).isTrue();
			assertThat(fleet.deviceId()).isEqualTo(FakeBalenaApi.DEVICE_ID);
			assertThat(fleet.lastPublishedAt()).isNotNull();
			assertThat(fleet.lastErrorKind()).isNull();
			assertThat(fleet.consecutiveFailures()).isZero();
			assertThat(fleet.nextAttemptAt()).isNull();
			assertThat(fleet.writes()).isPositive();
			assertThat(fleet.tags()).isEqualTo(this.api.tags());
		}
	}

	@Test
	void aFailureIsShownWithoutTheKey() {
		try (UpdateLockHold hold = this.manager.acquire("export")) {
			await().atMost(WAIT)
				.until(() -> String.valueOf(this.endpoint.updateLock().fleet().tags().get("update-lock.long-hold"))
					.startsWith("export"));
			this.api.reply(429, "Too Many Requests", "120");
		}
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.endpoint.updateLock().fleet().lastErrorKind())
				.isEqualTo(BalenaErrorKind.RATE_LIMITED));
		FleetDescriptor fleet = this.endpoint.updateLock().fleet();
		assertThat(fleet.consecutiveFailures()).isOne();
		assertThat(fleet.failures()).isOne();
		assertThat(fleet.lastErrorAt()).isNotNull();
		assertThat(fleet.nextAttemptAt()).isAfter(fleet.lastErrorAt().plusSeconds(100));
		// Still the tags as last written: the release is not in balenaCloud yet.
		assertThat(fleet.tags().get("update-lock.long-hold")).startsWith("export since ");
		assertThat(fleet.toString()).doesNotContain(FakeBalenaApi.KEY);
	}

}
