package io.github.updatelock.autoconfigure.supervisor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.updatelock.autoconfigure.InvalidPropertyValues;
import io.github.updatelock.autoconfigure.SecretPropertyValueException;
import io.github.updatelock.supervisor.SupervisorApiSettings;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.PropertyResolver;

/**
 * Finds the Supervisor API's address and key: explicit properties first, then the
 * variables the Supervisor injects. The variables are read through Spring's environment,
 * which includes the process environment, so that tests and unusual setups can supply
 * them as properties too.
 */
final class SupervisorApiLocator {

	private static final String PREFIX = "update-lock.supervisor.";

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
	 * @throws InvalidConfigurationPropertyValueException naming the property that is unusable
	 * or has no usable counterpart
	 * @throws SecretPropertyValueException if the API key property is unusable, or the address
	 * property that is refused holds an {@code @}: a secret, or maybe one, which Boot's failure
	 * analysis of an invalid value would show as written
	 */
	static SupervisorApiSettings resolve(SupervisorApiProperties properties, PropertyResolver environment) {
		String address = strip(properties.getAddress());
		String apiKey = strip(properties.getApiKey());
		if (apiKey != null) {
			SupervisorApiSettings.apiKeyProblem(apiKey).ifPresent((problem) -> {
				throw new SecretPropertyValueException(API_KEY_PROPERTY, problem);
			});
		}
		String addressVariable = SupervisorApiSettings.ADDRESS_VARIABLES.get(0);
		Map<String, String> variables = new HashMap<>(variables(environment));
		if (address != null) {
			variables.put(addressVariable, address);
		}
		if (apiKey != null) {
			variables.put(SupervisorApiSettings.API_KEY_VARIABLES.get(0), apiKey);
		}
		Optional<SupervisorApiSettings> settings;
		try {
			settings = SupervisorApiSettings.fromEnvironment(variables);
		}
		catch (IllegalArgumentException ex) {
			// The settings name the variable the address was read from, here the property's value.
			if (address != null && ex.getMessage().startsWith(addressVariable + " ")) {
				throw refusedAddress(address, ex.getMessage().substring(addressVariable.length() + 1));
			}
			throw incomplete(address, ", but " + ex.getMessage());
		}
		SupervisorApiSettings found = settings.orElseThrow(() -> incomplete(address, ""));
		SupervisorApiSettings withConnectTimeout = InvalidPropertyValues.get(PREFIX + "connect-timeout",
				properties.getConnectTimeout(), () -> found.withConnectTimeout(properties.getConnectTimeout()));
		SupervisorApiSettings withRequestTimeout = InvalidPropertyValues.get(PREFIX + "request-timeout",
				properties.getRequestTimeout(),
				() -> withConnectTimeout.withRequestTimeout(properties.getRequestTimeout()));
		return InvalidPropertyValues.get(PREFIX + "poll-interval", properties.getPollInterval(),
				() -> withRequestTimeout.withPollInterval(properties.getPollInterval()));
	}

	/**
	 * The explicit half has no usable counterpart. A missing address is reported under its
	 * own key even when the key was the half configured, since the failure analysis shows the
	 * value of the key it names.
	 */
	private static RuntimeException incomplete(String address, String detail) {
		if (address != null) {
			return refusedAddress(address, "needs an API key as well: set " + API_KEY_PROPERTY + " or "
					+ SupervisorApiSettings.API_KEY_VARIABLES.get(0) + detail);
		}
		return new InvalidConfigurationPropertyValueException(ADDRESS_PROPERTY, null, "is missing while "
				+ API_KEY_PROPERTY + " is set: set " + ADDRESS_PROPERTY + " or "
				+ SupervisorApiSettings.ADDRESS_VARIABLES.get(0) + detail);
	}

	/** An address holding an {@code @} may carry a password, which Boot's failure analysis would show. */
	private static RuntimeException refusedAddress(String address, String reason) {
		if (address.contains("@")) {
			return new SecretPropertyValueException(ADDRESS_PROPERTY, reason);
		}
		return new InvalidConfigurationPropertyValueException(ADDRESS_PROPERTY, address, reason);
	}

	private static String strip(String value) {
		return (value != null) ? value.strip() : null;
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
