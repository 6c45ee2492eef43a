package io.github.updatelock.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link SecretPropertyValueException} as Boot explains any refused property,
 * without the value.
 */
public class SecretPropertyValueFailureAnalyzer extends AbstractFailureAnalyzer<SecretPropertyValueException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SecretPropertyValueException cause) {
		String description = "Invalid value for configuration property '" + cause.getName()
				+ "' (not shown: it may hold a secret).\n\nReason: " + cause.getReason();
		return new FailureAnalysis(description, "Review the value of " + cause.getName() + " with the given reason.",
				cause);
	}

}
