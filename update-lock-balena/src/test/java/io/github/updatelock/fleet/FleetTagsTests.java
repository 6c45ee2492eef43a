package io.github.updatelock.fleet;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockSnapshot;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.supervisor.UpdatePendingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

class FleetTagsTests {

	private static final Instant T = Instant.parse("2026-12-02T10:01:42.123Z");

	private final FleetTags tags = FleetTags.withDefaultPrefix();

	private static UpdateLockSnapshot snapshot(UpdateLockStatus status, ActiveHold... holds) {
		return new UpdateLockSnapshot(status, Path.of("/tmp/balena/updates.lock"), status == UpdateLockStatus.HELD,
				List.of(holds), null, null, null, 0, null, null, List.of());
	}

	private static ActiveHold hold(long id, String name, Instant since) {
		return new ActiveHold(id, name, since, false);
	}

	private static UpdatePendingEvent pending(String target) {
		return new UpdatePendingEvent(T.plusSeconds(600), target, "1111111", "downloaded", false, List.of());
	}

	@Test
	void aLockHeldWithoutItsFlockShowsThatOnlyAppUpdatesWait() {
		UpdateLockSnapshot snapshot = new UpdateLockSnapshot(UpdateLockStatus.HELD, Path.of("/tmp/balena/updates.lock"),
				false, List.of(hold(1, "flash", T)), T, null, null, 0, null, null,
				List.of());
		assertThat(this.tags.desired(snapshot, null)).containsEntry("update-lock.status", "HELD (app updates only)");
	}

	@Test
	void aReleasedLockHasOnlyItsStatus() {
		assertThat(this.tags.desired(snapshot(UpdateLockStatus.RELEASED), null))
			.containsExactly(entry("update-lock.status", "RELEASED"));
	}

	@ParameterizedTest
	@EnumSource(UpdateLockStatus.class)
	void theStatusIsTheManagersName(UpdateLockStatus status) {
		assertThat(this.tags.desired(snapshot(status), null)).containsEntry("update-lock.status", status.name());
	}

	@Test
	void holdsAreListedOldestFirstToTheMinuteInUtc() {
		Map<String, String> desired = this.tags.desired(snapshot(UpdateLockStatus.HELD,
				hold(1, "startup", T.minusSeconds(180)), hold(2, "firmware-flash", T)), null);
		assertThat(desired).containsExactly(entry("update-lock.status", "HELD"),
				entry("update-lock.holds", "startup since 2026-12-02T09:58Z, firmware-flash since 2026-12-02T10:01Z"));
	}

	@Test
	void aLongListEndsWithHowManyMoreWithinTheLimit() {
		List<ActiveHold> holds = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			holds.add(hold(i, "job-" + i, T.plusSeconds(60L * i)));
		}
		String value = this.tags.desired(snapshot(UpdateLockStatus.HELD, holds.toArray(ActiveHold[]::new)), null)
			.get("update-lock.holds");
		assertThat(value).hasSizeLessThanOrEqualTo(FleetTags.MAX_VALUE_LENGTH)
			.startsWith("job-0 since 2026-12-02T10:01Z, job-1 since 2026-12-02T10:02Z")
			.matches(".*, job-\\d+ since [0-9T:-]+Z \u2026 and \\d+ more");
		int shown = value.split(", ").length;
		assertThat(value).endsWith("\u2026 and " + (40 - shown) + " more");
	}

	@Test
	void aVeryLongHoldNameIsCutAndLineBreaksAreFlattened() {
		String value = this.tags.desired(snapshot(UpdateLockStatus.HELD, hold(1, "x".repeat(400), T),
				hold(2, "two\nlines", T)), null).get("update-lock.holds");
		assertThat(value).hasSizeLessThanOrEqualTo(FleetTags.MAX_VALUE_LENGTH)
			.isEqualTo("x".repeat(99) + "\u2026 since 2026-12-02T10:01Z, two lines since 2026-12-02T10:01Z");
	}

	@ParameterizedTest
	@EnumSource(value = UpdateLockStatus.class, names = { "HELD", "WAITING" })
	void aPendingUpdateIsShownWhileTheLockIsHeldOrAwaited(UpdateLockStatus status) {
		assertThat(this.tags.desired(snapshot(status), pending("4f2a9c1e8d7b6a5f")))
			.containsEntry("update-lock.pending", "release 4f2a9c1 waiting since 2026-12-02T10:11Z");
		assertThat(this.tags.desired(snapshot(status), pending(null)))
			.containsEntry("update-lock.pending", "an update waiting since 2026-12-02T10:11Z");
	}

	@ParameterizedTest
	@EnumSource(value = UpdateLockStatus.class, names = { "RELEASED", "LOST", "UNAVAILABLE" })
	void aPendingUpdateIsNotShownWhenItDoesNotWaitOnTheLock(UpdateLockStatus status) {
		assertThat(this.tags.desired(snapshot(status), pending("4f2a9c1e8d7b6a5f")))
			.doesNotContainKey("update-lock.pending");
	}

	@Test
	void longHoldsAreFlaggedWithTheirStart() {
		Map<String, String> desired = this.tags.desired(snapshot(UpdateLockStatus.HELD,
				new ActiveHold(1, "stuck-job", T.minusSeconds(7200), true), hold(2, "fresh", T)), null);
		assertThat(desired).containsEntry("update-lock.long-hold", "stuck-job since 2026-12-02T08:01Z");
		assertThat(this.tags.desired(snapshot(UpdateLockStatus.HELD, hold(2, "fresh", T)), null))
			.doesNotContainKey("update-lock.long-hold");
	}

	@Test
	void keysFollowTheConfiguredPrefix() {
		FleetTags custom = new FleetTags("acme.lock");
		assertThat(custom.keys()).containsExactly("acme.lock.status", "acme.lock.holds", "acme.lock.pending",
				"acme.lock.long-hold");
		assertThat(custom.desired(snapshot(UpdateLockStatus.RELEASED), null)).containsOnlyKeys("acme.lock.status");
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
