package io.github.updatelock.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import io.github.updatelock.FlockUnavailableException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class FlockUnavailableFailureAnalyzerTests {

	private final FlockUnavailableFailureAnalyzer analyzer = new FlockUnavailableFailureAnalyzer();

	@Test
	void namesBothRootCausesTheFixAndWhatFlockFalseMeans() {
		FlockUnavailableException missing = new FlockUnavailableException(Path.of("/tmp/balena/updates.lock"),
				"FFM skipped: java.lang.IllegalCallerException: Illegal native access; JNA skipped: "
						+ "java.lang.IllegalCallerException: Illegal native access",
				"allow native access: --enable-native-access=ALL-UNNAMED",
				List.of(new IllegalCallerException("Illegal native access from: unnamed module"),
						new IllegalCallerException("Illegal native access from: module com.sun.jna")));
		FailureAnalysis analysis = this.analyzer
			.analyze(new BeanCreationException("updateLockManager", "Failed to instantiate", missing));
		assertThat(analysis.getDescription()).contains("/tmp/balena/updates.lock", "host OS updates would not wait",
				"Root cause: java.lang.IllegalCallerException: Illegal native access from: unnamed module",
				"Also: java.lang.IllegalCallerException: Illegal native access from: module com.sun.jna");
		assertThat(analysis.getAction()).contains("--enable-native-access=ALL-UNNAMED", "update-lock.flock=false",
				"app updates only, on purpose");
		assertThat(analysis.getCause()).isSameAs(missing);
	}

}
