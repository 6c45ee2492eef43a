package io.github.updatelock;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UpdateLockPathsTests {

	private static final Map<String, String> BOTH_VARIABLES = Map.of("BALENA_APP_LOCK_PATH", "/tmp/balena/updates.lock",
			"RESIN_APP_LOCK_PATH", "/tmp/resin/resin-updates.lock");

	@Test
	void explicitPathWinsOverEnvironment() {
		assertThat(UpdateLockPaths.resolve(Path.of("/data/locks/updates.lock"), BOTH_VARIABLES))
			.isEqualTo(Path.of("/data/locks/updates.lock"));
	}

	@Test
	void balenaVariableWinsOverResinVariable() {
		assertThat(UpdateLockPaths.resolve(null, BOTH_VARIABLES)).isEqualTo(Path.of("/tmp/balena/updates.lock"));
	}

	@Test
	void resinVariableIsUsedOnOldSupervisors() {
		assertThat(UpdateLockPaths.resolve(null, Map.of("RESIN_APP_LOCK_PATH", "/tmp/resin/updates.lock")))
			.isEqualTo(Path.of("/tmp/resin/updates.lock"));
	}

	@Test
	void blankVariableIsIgnored() {
		assertThat(UpdateLockPaths.resolve(null, Map.of("BALENA_APP_LOCK_PATH", " "))).isEqualTo(UpdateLockPaths.DEFAULT_PATH);
	}

	@Test
	void defaultIsTheBalenaContainerPath() {
		assertThat(UpdateLockPaths.resolve(null, Map.of())).isEqualTo(Path.of("/tmp/balena/updates.lock"));
	}

	@Test
	void relativeExplicitPathIsMadeAbsolute() {
		assertThat(UpdateLockPaths.resolve(Path.of("locks/../updates.lock"), Map.of()))
			.isEqualTo(Path.of("updates.lock").toAbsolutePath());
	}

}
