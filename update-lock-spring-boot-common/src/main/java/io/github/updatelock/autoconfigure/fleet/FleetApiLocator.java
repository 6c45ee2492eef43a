package io.github.updatelock.autoconfigure.fleet;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.updatelock.autoconfigure.InvalidPropertyValues;
import io.github.updatelock.autoconfigure.SecretPropertyValueException;
import io.github.updatelock.fleet.BalenaApiSettings;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Finds the balenaCloud API's address, the device key and the device's uuid: each property
 * first, then its variable. The variables are read through Spring's environment, which
 * includes the process environment, so that tests and unusual setups can supply them as
 * properties too.
 */
final class FleetApiLocator {

	static final String PREFIX = "update-lock.fleet.";

	static final String API_KEY_PROPERTY = PREFIX + "api-key";

	/** The service label that makes balena inject the API address and the device key. */
	static final String LABEL = "io.balena.features.balena-api: '1'";

	/** Each variable and the property that overrides it, in the order the settings check them. */
	private static final Map<String, String> PROPERTIES = properties();

	private FleetApiLocator() {
	}

	/** The variables that are neither set nor overridden by their property, for the line that says why it is off. */
	static List<String> missingVariables(Environment environment) {
		Map<String, String> values = values(environment);
		return BalenaApiSettings.VARIABLES.stream().filter((variable) -> !values.containsKey(variable)).toList();
	}

	/** The properties that would stand in for the given variables. */
	static List<String> propertiesFor(List<String> variables) {
		return variables.stream().map(PROPERTIES::get).toList();
	}

	/**
	 * What is wrong with a variable that no property overrides; a bad property is not
	 * reported here, since it fails startup when the publisher is created.
	 */
	static Optional<String> variableProblem(Environment environment) {
		try {
			BalenaApiSettings.fromEnvironment(values(environment));
			return Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			boolean aboutAProperty = overriddenVariable(environment, ex.getMessage()) != null;
			return aboutAProperty ? Optional.empty() : Optional.of(ex.getMessage());
		}
	}

	/**
	 * The settings from the properties, each overriding its variable, with the configured
	 * timeouts.
	 * @throws InvalidConfigurationPropertyValueException naming the property that is unusable
	 * @throws SecretPropertyValueException if the key property is unusable, or a refused
	 * property holds an {@code @} (user info in the address): a secret, or maybe one, which
	 * Boot's failure analysis of an invalid value would show as written
	 * @throws IllegalArgumentException if a variable is unusable
	 */
	static BalenaApiSettings resolve(FleetProperties properties, Environment environment) {
		BalenaApiSettings found;
		try {
			found = BalenaApiSettings.fromEnvironment(values(environment))
				.orElseThrow(() -> new IllegalStateException("The condition let the publisher in without "
						+ missingVariables(environment)));
		}
		catch (IllegalArgumentException ex) {
			String variable = overriddenVariable(environment, ex.getMessage());
			if (variable == null) {
				throw ex;
			}
			String property = PROPERTIES.get(variable);
			String reason = ex.getMessage().substring(variable.length() + 1);
			String value = property(environment, property);
			if (property.equals(API_KEY_PROPERTY) || value.contains("@")) {
				throw new SecretPropertyValueException(property, reason);
			}
			throw new InvalidConfigurationPropertyValueException(property, value, reason);
		}
		BalenaApiSettings withConnectTimeout = InvalidPropertyValues.get(PREFIX + "connect-timeout",
				properties.getConnectTimeout(), () -> found.withConnectTimeout(properties.getConnectTimeout()));
		return InvalidPropertyValues.get(PREFIX + "request-timeout", properties.getRequestTimeout(),
				() -> withConnectTimeout.withRequestTimeout(properties.getRequestTimeout()));
	}

	/**
	 * The variable a settings message starts with, if its property overrides it: the message
	 * is then about the property's value.
	 */
	private static String overriddenVariable(Environment environment, String message) {
		return PROPERTIES.entrySet()
			.stream()
			.filter((entry) -> message.startsWith(entry.getKey() + " ")
					&& property(environment, entry.getValue()) != null)
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse(null);
	}

	/** The variables' values, each replaced by its property when that is set; blank ones left out. */
	private static Map<String, String> values(Environment environment) {
		Map<String, String> values = new HashMap<>();
		PROPERTIES.forEach((variable, property) -> {
			String value = property(environment, property);
			if (value == null) {
				value = environment.getProperty(variable);
			}
			if (value != null && !value.isBlank()) {
				values.put(variable, value.strip());
			}
		});
		return values;
	}

	/** A property as bound, so that relaxed names such as UPDATE_LOCK_FLEET_API_URL count too. */
	private static String property(Environment environment, String name) {
		String value = Binder.get(environment).bind(name, String.class).map(String::strip).orElse(null);
		return (value != null && !value.isEmpty()) ? value : null;
	}

	private static Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(BalenaApiSettings.API_URL_VARIABLE, PREFIX + "api-url");
		properties.put(BalenaApiSettings.API_KEY_VARIABLE, API_KEY_PROPERTY);
		properties.put(BalenaApiSettings.DEVICE_UUID_VARIABLE, PREFIX + "device-uuid");
		return properties;
	}

}
