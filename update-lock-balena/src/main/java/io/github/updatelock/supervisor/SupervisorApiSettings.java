package io.github.updatelock.supervisor;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.updatelock.DurationRules;
import io.github.updatelock.balena.internal.ApiAddresses;
import io.github.updatelock.balena.internal.ApiKeys;

/**
 * Where the Supervisor API is, the key that opens it, and how patiently to talk to it.
 * <p>
 * The key is a secret that lets its holder stop, restart and purge the application:
 * {@link #toString()} never shows it, and neither does any message of this package.
 *
 * @param address the API base address, e.g. {@code http://127.0.0.1:48484}
 * @param apiKey the API key, sent as {@code Authorization: Bearer}
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for a whole answer
 * @param pollInterval how often the {@link UpdatePendingMonitor} asks while the lock is held or awaited
 */
public record SupervisorApiSettings(URI address, String apiKey, Duration connectTimeout, Duration requestTimeout,
		Duration pollInterval) {

	/** The variables holding the API address, in the order they are trusted ({@code RESIN_} before Supervisor 7.22). */
	public static final List<String> ADDRESS_VARIABLES = List.of("BALENA_SUPERVISOR_ADDRESS",
			"RESIN_SUPERVISOR_ADDRESS");

	/** The variables holding the API key, in the order they are trusted. */
	public static final List<String> API_KEY_VARIABLES = List.of("BALENA_SUPERVISOR_API_KEY",
			"RESIN_SUPERVISOR_API_KEY");

	/** The default connect timeout: the Supervisor is on the same device, so a slow connect means trouble. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

	/** The default request timeout. */
	public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

	/** The default poll interval. */
	public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);

	/**
	 * Checks the settings.
	 * @param address the API base address, e.g. {@code http://127.0.0.1:48484}
	 * @param apiKey the API key, sent as {@code Authorization: Bearer}
	 * @param connectTimeout how long to wait for a connection
	 * @param requestTimeout how long to wait for a whole answer
	 * @param pollInterval how often the {@link UpdatePendingMonitor} asks while the lock is held or awaited
	 */
	public SupervisorApiSettings {
		address = ApiAddresses.check(address, "address");
		apiKey = ApiKeys.check(apiKey, "apiKey");
		connectTimeout = checkPositive(connectTimeout, "connectTimeout");
		requestTimeout = checkPositive(requestTimeout, "requestTimeout");
		pollInterval = checkPositive(pollInterval, "pollInterval");
	}

	/**
	 * Settings with the default timeouts and poll interval.
	 * @param address the API base address
	 * @param apiKey the API key
	 * @return new settings
	 * @throws IllegalArgumentException if the address is not an absolute {@code http} or
	 * {@code https} URI or the key is not one or more visible ASCII characters (see
	 * {@link #apiKeyProblem(String)})
	 */
	public static SupervisorApiSettings of(URI address, String apiKey) {
		return new SupervisorApiSettings(address, apiKey, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
				DEFAULT_POLL_INTERVAL);
	}

	/**
	 * Settings from the variables the Supervisor injects into a service that carries the
	 * label {@code io.balena.features.supervisor-api: '1'}: {@code BALENA_SUPERVISOR_ADDRESS}
	 * and {@code BALENA_SUPERVISOR_API_KEY}, else their {@code RESIN_} names.
	 * @param environment the process environment
	 * @return the settings with default timeouts, or empty when the address or the key is
	 * missing (the feature is then off)
	 * @throws IllegalArgumentException if a variable is present but unusable; the message
	 * names the variable, never the key
	 */
	public static Optional<SupervisorApiSettings> fromEnvironment(Map<String, String> environment) {
		Objects.requireNonNull(environment, "environment");
		String addressVariable = firstPresent(environment, ADDRESS_VARIABLES);
		String keyVariable = firstPresent(environment, API_KEY_VARIABLES);
		if (addressVariable == null || keyVariable == null) {
			return Optional.empty();
		}
		URI address = ApiAddresses.parse(environment.get(addressVariable).trim(), addressVariable);
		String apiKey = ApiKeys.check(environment.get(keyVariable).trim(), keyVariable);
		return Optional.of(of(address, apiKey));
	}

	/**
	 * Why a key cannot be sent, told without showing any of it: the key travels in an HTTP
	 * header, and the JDK's own refusal of a header value quotes the value. The Supervisor's
	 * keys are hex.
	 * @param apiKey the key
	 * @return empty if the key is one or more visible ASCII characters ({@code 0x21}-{@code 0x7e}),
	 * else what it must be and why it is not, such as "must be one or more visible ASCII
	 * characters (0x21-0x7e); character 5 is U+00E9", to follow the name of where the key
	 * came from
	 */
	public static Optional<String> apiKeyProblem(String apiKey) {
		return ApiKeys.problem(apiKey);
	}

	/**
	 * A copy with another connect timeout.
	 * @param connectTimeout more than zero
	 * @return new settings
	 */
	public SupervisorApiSettings withConnectTimeout(Duration connectTimeout) {
		return new SupervisorApiSettings(this.address, this.apiKey, connectTimeout, this.requestTimeout,
				this.pollInterval);
	}

	/**
	 * A copy with another request timeout.
	 * @param requestTimeout more than zero
	 * @return new settings
	 */
	public SupervisorApiSettings withRequestTimeout(Duration requestTimeout) {
		return new SupervisorApiSettings(this.address, this.apiKey, this.connectTimeout, requestTimeout,
				this.pollInterval);
	}

	/**
	 * A copy with another poll interval.
	 * @param pollInterval more than zero
	 * @return new settings
	 */
	public SupervisorApiSettings withPollInterval(Duration pollInterval) {
		return new SupervisorApiSettings(this.address, this.apiKey, this.connectTimeout, this.requestTimeout,
				pollInterval);
	}

	/**
	 * The settings without the key, which is shown as {@code ****}.
	 */
	@Override
	public String toString() {
		return "SupervisorApiSettings[address=" + this.address + ", apiKey=****, connectTimeout="
				+ this.connectTimeout + ", requestTimeout=" + this.requestTimeout + ", pollInterval="
				+ this.pollInterval + "]";
	}

	private static String firstPresent(Map<String, String> environment, List<String> variables) {
		for (String variable : variables) {
			String value = environment.get(variable);
			if (value != null && !value.isBlank()) {
				return variable;
			}
		}
		return null;
	}

	private static Duration checkPositive(Duration value, String name) {
		return DurationRules.requirePositive(value, name);
	}

}
