package io.github.updatelock.supervisor;

import java.time.Duration;

import io.github.updatelock.testsupport.FakeSupervisor;

/**
 * Client settings for a {@link FakeSupervisor}. Short timeouts: every test talks to
 * loopback and must stay fast even when it times out.
 */
final class FakeSupervisorSettings {

	private FakeSupervisorSettings() {
	}

	static SupervisorApiSettings of(FakeSupervisor supervisor) {
		return SupervisorApiSettings.of(supervisor.uri(), FakeSupervisor.KEY)
			.withConnectTimeout(Duration.ofSeconds(1))
			.withRequestTimeout(Duration.ofSeconds(2));
	}

}
