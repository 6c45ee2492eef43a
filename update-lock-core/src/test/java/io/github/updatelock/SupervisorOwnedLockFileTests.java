package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Path;

import io.github.updatelock.ChildJvm.Launch;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lock file that turns out owned by the uid the Supervisor takes for its own although the
 * process does not run as it (a user namespace that does not map the process's uid shows
 * its files as the overflow uid, 65534): the Supervisor would adopt and delete it, so it
 * must never count as protection.
 */
class SupervisorOwnedLockFileTests {

	@TempDir
	Path temporary;

	@ParameterizedTest
	@EnumSource(names = { "OVERFLOW_UID_IS_ITS_OWN", "OVERFLOW_UID_IS_ITS_OWN_WITHOUT_JNA" })
	void isRemovedAgainAndReportedAsRunningAsTheSupervisorsUid(Launch launch) throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.temporary).resolve("updates.lock");
		try (ChildJvm child = ChildJvm.holding(lockFile, true, this.temporary, launch)) {
			assertThat(child.heldState()).startsWith("UNAVAILABLE [RUNNING_AS_SUPERVISOR_UID");
			assertThat(lockFile).doesNotExist();
			child.stop();
		}
		assertThat(lockFile).doesNotExist();
	}

}
