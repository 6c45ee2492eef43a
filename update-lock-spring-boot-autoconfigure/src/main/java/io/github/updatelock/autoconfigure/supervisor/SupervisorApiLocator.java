package io.github.updatelock.autoconfigure.supervisor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.updatelock.autoconfigure.InvalidUpdateLockPropertyException;
import io.github.updatelock.supervisor.SupervisorApiSettings;

import org.springframework.core.env.PropertyResolver;

/**
 * Finds the Supervisor API's address and key: explicit properties first, then the
 * variables the Supervisor injects. The variables are read through Spring's environment,
 * which includes the process environment, so that tests and unusual setups can supply
 * them as properties too.
 */
final class SupervisorApiLocator {

	static final String ADDRESS_PROPERTY = "update-lock.supervisor.address";

	static final String API_KEY_PROPERTY = "update-lock.supervisor.api-key";

	private SupervisorApiLocator() {
	}

	/**
	 * Whether an address or key is configured as a property: the application then means to
	 * use the API, and anything missing or unusable is a configuration error.
	 */
	static boolean isExplicit(PropertyResolver environment) {
		return hasText(environment.getProperty(ADDRESS_PROPERTY)) || hasText(environment.getProperty(API_KEY_PROPERTY));
	}

	/**
	 * The settings from the variables alone.
	 * @throws IllegalArgumentException if a variable is present but unusable, naming it
	 */
	static Optional<SupervisorApiSettings> fromVariables(PropertyResolver environment) {
		return SupervisorApiSettings.fromEnvironment(variables(environment));
	}

	/** The variable names that are not set, for the message that says why the feature is off. */
	static List<String> missingVariables(PropertyResolver environment) {
		Map<String, String> variables = variables(environment);
		return Stream.of(SupervisorApiSettings.ADDRESS_VARIABLES, SupervisorApiSettings.API_KEY_VARIABLES)
			.filter((names) -> names.stream().noneMatch(variables::containsKey))
			.map((names) -> names.get(0))
			.toList();
	}

	/**
	 * The settings from the properties, each overriding its variable, with the configured
	 * timeouts and poll interval.
	 * @throws InvalidUpdateLockPropertyException if the explicit half has no usable counterpart
	 */
	static SupervisorApiSettings resolve(SupervisorApiProperties properties, PropertyResolver environment) {
		Map<String, String> variables = new HashMap<>(variables(environment));
		if (properties.getAddress() != null) {
			variables.put(SupervisorApiSettings.ADDRESS_VARIABLES.get(0), properties.getAddress());
		}
		if (properties.getApiKey() != null) {
			variables.put(SupervisorApiSettings.API_KEY_VARIABLES.get(0), properties.getApiKey());
		}
		Optional<SupervisorApiSettings> settings;
		try {
			settings = SupervisorApiSettings.fromEnvironment(variables);
		}
		catch (IllegalArgumentException ex) {
			// The explicit values passed their setters' checks, so the unusable one is a variable.
			throw incomplete(properties, ", but " + ex.getMessage());
		}
		return properties.applyTo(settings.orElseThrow(() -> incomplete(properties, "")));
	}

	private static InvalidUpdateLockPropertyException incomplete(SupervisorApiProperties properties, String detail) {
		if (properties.getAddress() != null) {
			return new InvalidUpdateLockPropertyException(ADDRESS_PROPERTY, properties.getAddress(),
					"needs an API key as well: set " + API_KEY_PROPERTY + " or "
							+ SupervisorApiSettings.API_KEY_VARIABLES.get(0) + detail);
		}
		return new InvalidUpdateLockPropertyException(API_KEY_PROPERTY, null, "needs an address as well: set "
				+ ADDRESS_PROPERTY + " or " + SupervisorApiSettings.ADDRESS_VARIABLES.get(0) + detail);
	}

	private static Map<String, String> variables(PropertyResolver environment) {
		Map<String, String> variables = new HashMap<>();
		Stream.concat(SupervisorApiSettings.ADDRESS_VARIABLES.stream(),
				SupervisorApiSettings.API_KEY_VARIABLES.stream())
			.forEach((name) -> {
				String value = environment.getProperty(name);
				if (hasText(value)) {
					variables.put(name, value);
				}
			});
		return variables;
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
