package io.github.updatelock.internal;

import java.time.Instant;
import java.util.Map;

import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.internal.ExistingLockFile.Outcome;
import io.github.updatelock.internal.ExistingLockFile.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who is reported as blocking when entries keep appearing and vanishing (or cannot be
 * removed): what was seen, and the Supervisor only for a file owned by its uid.
 */
class ExistingLockFileTests {

	private final LockMarker marker = LockMarker.of(LocalInstance.current(Map.of()), true, Instant.now());

	@Test
	void anEntryThatVanishedAfterItsMarkerWasReadWasAnotherInstances() {
		assertThat(Outcome.vanished(this.marker).blocker()).isEqualTo(UpdateLockBlocker.LIVE_INSTANCE);
	}

	@Test
	void anEntryThatVanishedUnseenIsNotTakenForTheSupervisors() {
		assertThat(Outcome.of(Verdict.GONE).blocker()).isEqualTo(UpdateLockBlocker.FOREIGN);
	}

	@Test
	void aStaleFileThatCannotBeRemovedBlocksLikeAForeignOne() {
		Outcome undeletable = new Outcome(Verdict.UNDELETABLE, this.marker, "Operation not permitted");
		assertThat(undeletable.worthRetrying()).isFalse();
		assertThat(undeletable.blocker()).isEqualTo(UpdateLockBlocker.FOREIGN);
	}

	@Test
	void onlyAFileOwnedByTheSupervisorsUidIsTheSupervisors() {
		assertThat(Outcome.of(Verdict.SUPERVISOR).blocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR);
		assertThat(Outcome.of(Verdict.FOREIGN).blocker()).isEqualTo(UpdateLockBlocker.FOREIGN);
		assertThat(new Outcome(Verdict.RECLAIMED, this.marker, null).worthRetrying()).isTrue();
	}

}
