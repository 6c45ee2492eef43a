package io.github.updatelock.supervisor;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SupervisorReadingTests {

	private static SupervisorApplication app(String name, String commit, String updateStatus) {
		return new SupervisorApplication(name, 1L, commit, updateStatus, Map.of("main", "Running"));
	}

	private static SupervisorDeviceState device(String commit, boolean pending, boolean failed) {
		return new SupervisorDeviceState(commit, "Idle", null, pending, false, failed, "17.0.1");
	}

	@Test
	void downloadedReleaseOtherThanTheRunningOneIsPending() {
		SupervisorReading reading = new SupervisorReading(List.of(app("myapp", "new", "downloaded")),
				device("old", false, false));
		assertThat(reading.updatePending()).isTrue();
		assertThat(reading.pendingRelease()).isEqualTo("new");
		assertThat(reading.targetCommit()).isEqualTo("new");
		assertThat(reading.currentCommit()).isEqualTo("old");
		assertThat(reading.updateStatus()).isEqualTo("downloaded");
		assertThat(reading.applying()).isFalse();
	}

	@Test
	void downloadedReleaseWithoutAKnownRunningOneIsPending() {
		assertThat(new SupervisorReading(List.of(app("myapp", "new", "downloaded")), device(null, false, false))
			.updatePending()).isTrue();
	}

	@Test
	void runningReleaseIsNotPending() {
		SupervisorReading reading = new SupervisorReading(List.of(app("myapp", "same", "downloaded")),
				device("same", false, false));
		assertThat(reading.updatePending()).isFalse();
		assertThat(reading.pendingRelease()).isNull();
		assertThat(new SupervisorReading(List.of(app("myapp", "same", "done")), device("same", false, false))
			.updatePending()).isFalse();
	}

	@Test
	void downloadingAloneIsNotPendingButTheDeviceFlagsAre() {
		List<SupervisorApplication> downloading = List.of(app("myapp", "new", "downloading"));
		assertThat(new SupervisorReading(downloading, device("old", false, false)).updatePending()).isFalse();
		assertThat(new SupervisorReading(downloading, device("old", true, false)).updatePending()).isTrue();
		assertThat(new SupervisorReading(downloading, device("old", false, true)).updatePending()).isTrue();
		assertThat(new SupervisorReading(List.of(), device(null, true, false)).pendingRelease()).isNull();
	}

	@Test
	void applyingChangesIsApplying() {
		SupervisorReading reading = new SupervisorReading(List.of(app("myapp", "new", "applying changes")),
				device("old", true, false));
		assertThat(reading.applying()).isTrue();
		assertThat(reading.updateStatus()).isEqualTo("applying changes");
	}

	@Test
	void theMovingApplicationIsTheTarget() {
		SupervisorReading reading = new SupervisorReading(
				List.of(app("block", "same", "done"), app("myapp", "new", "downloaded")), device("same", false, false));
		assertThat(reading.targetCommit()).isEqualTo("new");
		assertThat(new SupervisorReading(List.of(app("first", "a", "done"), app("second", "b", "done")),
				device("a", false, false))
			.targetCommit()).isEqualTo("a");
		assertThat(new SupervisorReading(List.of(), device("a", false, false)).targetCommit()).isNull();
	}

}
