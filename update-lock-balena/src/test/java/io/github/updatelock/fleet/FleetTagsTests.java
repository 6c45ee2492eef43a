package io.github.updatelock.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockProblem;
import io.github.updatelock.UpdateLockSnapshot;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockWarning;
import io.github.updatelock.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

class FleetTagsTests {

	private static final Instant T = Instant.parse("2026-12-02T10:01:42.123Z");

	private final FleetTags tags = FleetTags.withDefaultPrefix();

	private static UpdateLockSnapshot snapshot(UpdateLockStatus status, ActiveHold... holds) {
		return new UpdateLockSnapshot(status, Path.of("/tmp/balena/updates.lock"), status == UpdateLockStatus.HELD,
				List.of(holds), null, null, null, 0, null, null, List.of());
	}

	private static ActiveHold hold(long id, String name, Instant since) {
		return new ActiveHold(id, name, since, Duration.ZERO, false);
	}

	private static WaitingUpdate waiting(String target, String... holds) {
		return new WaitingUpdate(target, T.plusSeconds(600), List.of(holds));
	}

	@Test
	void aLockWithNothingToSayHasEveryTagWithItsNeutralValue() {
		assertThat(this.tags.desired(snapshot(UpdateLockStatus.RELEASED), null)).containsExactly(
				entry("update-lock.status", "ok"), entry("update-lock.pending", "none"),
				entry("update-lock.long-hold", "none"));
		assertThat(this.tags.neutral()).isEqualTo(this.tags.desired(snapshot(UpdateLockStatus.RELEASED), null));
	}

	@Test
	void aLockWithoutItsFlockSaysOnlyAppUpdatesWaitHeldOrNot() {
		UpdateLockSnapshot held = new UpdateLockSnapshot(UpdateLockStatus.HELD, Path.of("/tmp/balena/updates.lock"),
				false, List.of(hold(1, "flash", T)), T, null, null, 0, null, null, List.of());
		assertThat(this.tags.desired(held, null)).containsEntry("update-lock.status", "app updates only");
		UpdateLockSnapshot released = new UpdateLockSnapshot(UpdateLockStatus.RELEASED,
				Path.of("/tmp/balena/updates.lock"), false, List.of(), null, null, null, 0, null, null,
				List.of(new UpdateLockWarning(UpdateLockProblem.FLOCK_DISABLED, "flock switched off")));
		assertThat(this.tags.desired(released, null)).containsEntry("update-lock.status", "app updates only");
	}

	@ParameterizedTest
	@EnumSource(value = UpdateLockStatus.class, names = { "RELEASED", "HELD", "WAITING" })
	void shortHoldsAndTheLockComingAndGoingAreNotShown(UpdateLockStatus status) {
		assertThat(this.tags.desired(snapshot(status, hold(1, "sync-job", T)), null))
			.isEqualTo(this.tags.desired(snapshot(UpdateLockStatus.RELEASED), null));
	}

	@ParameterizedTest
	@EnumSource(value = UpdateLockStatus.class, names = { "LOST", "UNAVAILABLE" })
	void aLockThatDoesNotProtectIsShownByItsStatus(UpdateLockStatus status) {
		assertThat(this.tags.desired(snapshot(status), null)).containsEntry("update-lock.status", status.name());
	}

	@Test
	void aWaitingUpdateIsShownWithTheHoldsThatKeepItWaiting() {
		assertThat(this.tags.desired(snapshot(UpdateLockStatus.RELEASED),
				waiting("4f2a9c1e8d7b6a5f", "startup", "firmware-flash")))
			.containsEntry("update-lock.pending", "release 4f2a9c1 waits since 2026-12-02T10:11Z on startup, firmware-flash");
		assertThat(this.tags.desired(snapshot(UpdateLockStatus.HELD), waiting(null)))
			.containsEntry("update-lock.pending", "an update waits since 2026-12-02T10:11Z");
	}

	@Test
	void aLongListEndsWithHowManyMoreWithinTheLimit() {
		String[] holds = new String[40];
		for (int i = 0; i < 40; i++) {
			holds[i] = "job-" + i;
		}
		String value = this.tags.desired(snapshot(UpdateLockStatus.HELD), waiting("4f2a9c1", holds))
			.get("update-lock.pending");
		assertThat(value).hasSizeLessThanOrEqualTo(FleetTags.MAX_VALUE_LENGTH)
			.startsWith("release 4f2a9c1 waits since 2026-12-02T10:11Z on job-0, job-1")
			.matches(".*, job-\\d+ \u2026 and \\d+ more");
		int shown = value.split(", ").length;
		assertThat(value).endsWith("\u2026 and " + (40 - shown) + " more");
	}

	@Test
	void longHoldsAreFlaggedWithTheirStartAVeryLongNameCutAndLineBreaksFlattened() {
		Map<String, String> desired = this.tags.desired(snapshot(UpdateLockStatus.HELD,
				new ActiveHold(1, "stuck-job", T.minusSeconds(7200), Duration.ofHours(2), true), hold(2, "fresh", T),
				new ActiveHold(3, "two\nlines", T, Duration.ofHours(2), true)), null);
		assertThat(desired).containsEntry("update-lock.long-hold",
				"stuck-job since 2026-12-02T08:01Z, two lines since 2026-12-02T10:01Z");
		String cut = this.tags.desired(snapshot(UpdateLockStatus.HELD,
				new ActiveHold(1, "x".repeat(400), T, Duration.ofHours(2), true)), null).get("update-lock.long-hold");
		assertThat(cut).isEqualTo("x".repeat(99) + "\u2026 since 2026-12-02T10:01Z");
	}

	@Test
	void longHoldsAreNamedByTheirDeclaredName() {
		Map<String, String> desired = this.tags.desired(snapshot(UpdateLockStatus.HELD,
				new ActiveHold(1, "payment-42", "payment-#{#order.id}", T.minusSeconds(7200), Duration.ofHours(2),
						true)), null);
		assertThat(desired).containsEntry("update-lock.long-hold", "payment-#{#order.id} since 2026-12-02T08:01Z");
	}

	@Test
	void aFreshHoldIsNotFlaggedAfterTheWallClockStepsForwardByDays(@TempDir Path directory) {
		MutableClock wallClock = new MutableClock(T);
		try (UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.clock(wallClock)
			.watchInterval(Duration.ofMillis(20))
			.longHoldWarning(Duration.ofHours(1))
			.build(); UpdateLockHold fresh = manager.acquire("fresh")) {
			wallClock.advance(Duration.ofDays(3));
			// Many rounds of the manager's watch, each of which would flag a hold it found old.
			await().during(Duration.ofMillis(200))
				.atMost(Duration.ofSeconds(2))
				.until(() -> FleetTags.NONE
					.equals(this.tags.desired(manager.snapshot(), null).get("update-lock.long-hold")));
			assertThat(manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly(fresh.name());
		}
	}

	@Test
	void keysFollowTheConfiguredPrefixAndTheService() {
		assertThat(new FleetTags("acme.lock").keys()).containsExactly("acme.lock.status", "acme.lock.pending",
				"acme.lock.long-hold");
		assertThat(new FleetTags("acme.lock", "worker").keys()).containsExactly("acme.lock.worker.status",
				"acme.lock.worker.pending", "acme.lock.worker.long-hold");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "my service", "main.", "tab\there" })
	void aServiceNameBalenaWouldRefuseIsRejectedWithTheRule(String serviceName) {
		assertThatIllegalArgumentException().isThrownBy(() -> new FleetTags("update-lock", serviceName))
			.withMessageStartingWith("serviceName must be 1 to 100 characters without whitespace");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "update lock", "update-lock.", "io.balena", "io.balena.lock", "io.resin.x",
			"tab\there" })
	void aPrefixBalenaWouldRefuseIsRejectedWithTheRule(String prefix) {
		assertThatIllegalArgumentException().isThrownBy(() -> new FleetTags(prefix))
			.withMessageStartingWith("tagPrefix must be 1 to 100 characters without whitespace, control characters "
					+ "or a trailing dot, outside balena's reserved namespaces [io.balena., io.resin.], was '");
	}

	@Test
	void aTooLongPrefixIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FleetTags("p".repeat(101)))
			.withMessageContaining("tagPrefix must be 1 to 100 characters");
		assertThat(new FleetTags("p".repeat(100)).prefix()).hasSize(100);
	}

}
