package io.github.updatelock.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Explains an {@link InvalidUpdateLockPropertyException} at startup: which key, the value
 * as written (unless the exception withholds it, as for a secret) and where it was
 * written, and what to change.
 * <p>
 * Ordered ahead of Spring Boot's own analyzers, whose generic bind failure analysis would
 * otherwise claim the failure first and say less.
 */
public class InvalidUpdateLockPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidUpdateLockPropertyException>
		implements Ordered {

	private final Environment environment;

	/**
	 * Creates the analyzer; Spring Boot passes the application's environment.
	 * @param environment where to look up the value and origin of the property, or
	 * {@code null}
	 */
	public InvalidUpdateLockPropertyFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidUpdateLockPropertyException cause) {
		StringBuilder description = new StringBuilder();
		description.append("Invalid update lock configuration: ").append(cause.getMessage()).append('.');
		ConfigurationProperty property = findProperty(cause.getProperty());
		if (property != null) {
			description.append(String.format("%n%n    Property: %s", cause.getProperty()));
			if (cause.getValue() != null) {
				description.append(String.format("%n    Value: \"%s\"", property.getValue()));
			}
			if (property.getOrigin() != null) {
				description.append(String.format("%n    Origin: %s", property.getOrigin()));
			}
		}
		String action = "Fix " + cause.getProperty() + " in your configuration: it " + cause.getRequirement() + "."
				+ ((cause.getExample() != null) ? " A valid example: " + cause.getExample()
						: " Leave it unset to use the default.");
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private ConfigurationProperty findProperty(String name) {
		if (this.environment == null) {
			return null;
		}
		ConfigurationPropertyName key = ConfigurationPropertyName.of(name);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty property = source.getConfigurationProperty(key);
			if (property != null) {
				return property;
			}
		}
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
