package io.github.updatelock.autoconfigure;

import java.nio.file.Path;

import io.github.updatelock.context.UpdateLockStartupException;
import io.github.updatelock.context.UpdateLockStartupHold;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class UpdateLockStartupFailureAnalyzerTests {

	private final UpdateLockStartupFailureAnalyzer analyzer = new UpdateLockStartupFailureAnalyzer();

	private final Path lockFile = Path.of("/tmp/balena/updates.lock");

	@Test
	void explainsAStartupHoldStillWaiting() {
		FailureAnalysis analysis = this.analyzer.analyze(new IllegalStateException("Failed to start bean",
				new UpdateLockStartupException("not taken within PT30S", "startup", this.lockFile,
						UpdateLockStartupHold.State.WAITING, null)));
		assertThat(analysis.getDescription()).isEqualTo("not taken within PT30S");
		assertThat(analysis.getAction()).contains("Raise update-lock.startup.wait")
			.contains("update-lock.startup.required=false");
	}

	@Test
	void explainsAStartupHoldThatFailed() {
		FailureAnalysis analysis = this.analyzer.analyze(new UpdateLockStartupException("could not take it",
				"startup", this.lockFile, UpdateLockStartupHold.State.FAILED, new IllegalStateException("closed")));
		assertThat(analysis.getAction()).contains("update-lock.unavailable-policy=RUN_UNPROTECTED");
	}

}
