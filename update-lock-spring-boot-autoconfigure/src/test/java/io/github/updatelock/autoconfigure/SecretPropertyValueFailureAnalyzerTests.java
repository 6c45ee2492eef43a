package io.github.updatelock.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class SecretPropertyValueFailureAnalyzerTests {

	private final SecretPropertyValueFailureAnalyzer analyzer = new SecretPropertyValueFailureAnalyzer();

	@Test
	void namesThePropertyAndTheReasonFromDeepInsideABeanFailure() {
		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("supervisorClient",
				"Failed to instantiate", new SecretPropertyValueException("update-lock.supervisor.api-key",
						"must be one or more visible ASCII characters (0x21-0x7e); character 3 is U+0020")));
		assertThat(analysis.getDescription()).isEqualTo("Invalid value for configuration property "
				+ "'update-lock.supervisor.api-key' (not shown: it may hold a secret).\n\nReason: must be one or more "
				+ "visible ASCII characters (0x21-0x7e); character 3 is U+0020");
		assertThat(analysis.getAction()).contains("update-lock.supervisor.api-key");
	}

}
