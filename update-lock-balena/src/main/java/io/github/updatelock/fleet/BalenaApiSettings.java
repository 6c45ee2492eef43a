package io.github.updatelock.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.github.updatelock.DurationRules;
import io.github.updatelock.balena.internal.ApiAddresses;
import io.github.updatelock.balena.internal.ApiKeys;

/**
 * Where the balenaCloud API is, the device key that opens it, which device this is, and how
 * patiently to talk to the API.
 * <p>
 * The device key lets its holder act as the device in balenaCloud: {@link #toString()}
 * never shows it, and neither does any message of this package.
 *
 * @param apiUrl the API base address, e.g. {@code https://api.balena-cloud.com}
 * @param apiKey the device key, sent as {@code Authorization: Bearer}
 * @param deviceUuid the device's uuid, lower-case hex
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for a whole answer
 */
public record BalenaApiSettings(URI apiUrl, String apiKey, String deviceUuid, Duration connectTimeout,
		Duration requestTimeout) {

	/** The variable holding the API address. */
	public static final String API_URL_VARIABLE = "BALENA_API_URL";

	/** The variable holding the device key. */
	public static final String API_KEY_VARIABLE = "BALENA_API_KEY";

	/** The variable holding the device's uuid, set in every balena container. */
	public static final String DEVICE_UUID_VARIABLE = "BALENA_DEVICE_UUID";

	/** The variables {@link #fromEnvironment(Map)} needs, in the order they are checked. */
	public static final List<String> VARIABLES = List.of(API_URL_VARIABLE, API_KEY_VARIABLE, DEVICE_UUID_VARIABLE);

	/** The default connect timeout. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

	/** The default request timeout. */
	public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

	/** balena's uuids are 32 or 62 hex digits; the short form of 7 is what the dashboard shows. */
	private static final Pattern DEVICE_UUID = Pattern.compile("[0-9a-fA-F]{7,62}");

	/**
	 * Checks the settings.
	 * @param apiUrl the API base address, e.g. {@code https://api.balena-cloud.com}
	 * @param apiKey the device key, sent as {@code Authorization: Bearer}
	 * @param deviceUuid the device's uuid, 7 to 62 hex digits (kept in lower case)
	 * @param connectTimeout how long to wait for a connection
	 * @param requestTimeout how long to wait for a whole answer
	 */
	public BalenaApiSettings {
		apiUrl = ApiAddresses.check(apiUrl, "apiUrl");
		apiKey = ApiKeys.check(apiKey, "apiKey");
		deviceUuid = checkDeviceUuid(deviceUuid, "deviceUuid");
		connectTimeout = DurationRules.requirePositive(connectTimeout, "connectTimeout");
		requestTimeout = DurationRules.requirePositive(requestTimeout, "requestTimeout");
	}

	/**
	 * Settings with the default timeouts.
	 * @param apiUrl the API base address
	 * @param apiKey the device key
	 * @param deviceUuid the device's uuid
	 * @return new settings
	 * @throws IllegalArgumentException if the address is not an absolute {@code http} or
	 * {@code https} URI, the key is not one or more visible ASCII characters, or the uuid is
	 * not 7 to 62 hex digits
	 */
	public static BalenaApiSettings of(URI apiUrl, String apiKey, String deviceUuid) {
		return new BalenaApiSettings(apiUrl, apiKey, deviceUuid, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
	}

	/**
	 * Settings from the variables balena injects into a service that carries the label
	 * {@code io.balena.features.balena-api: '1'} ({@code BALENA_API_URL},
	 * {@code BALENA_API_KEY}), and {@code BALENA_DEVICE_UUID}, which every service has.
	 * @param environment the process environment
	 * @return the settings with default timeouts, or empty when a variable is missing or
	 * blank (see {@link #missingVariable(Map)} for which)
	 * @throws IllegalArgumentException if a variable is present but unusable; the message
	 * names the variable and what it accepts, never the key
	 */
	public static Optional<BalenaApiSettings> fromEnvironment(Map<String, String> environment) {
		if (missingVariable(environment).isPresent()) {
			return Optional.empty();
		}
		URI apiUrl = ApiAddresses.parse(environment.get(API_URL_VARIABLE).trim(), API_URL_VARIABLE);
		String apiKey = ApiKeys.check(environment.get(API_KEY_VARIABLE).trim(), API_KEY_VARIABLE);
		String deviceUuid = checkDeviceUuid(environment.get(DEVICE_UUID_VARIABLE).trim(), DEVICE_UUID_VARIABLE);
		return Optional.of(of(apiUrl, apiKey, deviceUuid));
	}

	/**
	 * The first of the {@link #VARIABLES} that is missing or blank, so that whoever turns
	 * the feature off can say why in one line.
	 * @param environment the process environment
	 * @return the variable's name, or empty when all are there
	 */
	public static Optional<String> missingVariable(Map<String, String> environment) {
		Objects.requireNonNull(environment, "environment");
		return VARIABLES.stream().filter((variable) -> {
			String value = environment.get(variable);
			return value == null || value.isBlank();
		}).findFirst();
	}

	/**
	 * A copy with another connect timeout.
	 * @param connectTimeout more than zero
	 * @return new settings
	 */
	public BalenaApiSettings withConnectTimeout(Duration connectTimeout) {
		return new BalenaApiSettings(this.apiUrl, this.apiKey, this.deviceUuid, connectTimeout, this.requestTimeout);
	}

	/**
	 * A copy with another request timeout.
	 * @param requestTimeout more than zero
	 * @return new settings
	 */
	public BalenaApiSettings withRequestTimeout(Duration requestTimeout) {
		return new BalenaApiSettings(this.apiUrl, this.apiKey, this.deviceUuid, this.connectTimeout, requestTimeout);
	}

	/**
	 * The settings without the key, which is shown as {@code ****}.
	 */
	@Override
	public String toString() {
		return "BalenaApiSettings[apiUrl=" + this.apiUrl + ", apiKey=****, deviceUuid=" + this.deviceUuid
				+ ", connectTimeout=" + this.connectTimeout + ", requestTimeout=" + this.requestTimeout + "]";
	}

	private static String checkDeviceUuid(String deviceUuid, String name) {
		Objects.requireNonNull(deviceUuid, name);
		if (!DEVICE_UUID.matcher(deviceUuid).matches()) {
			throw new IllegalArgumentException(name + " must be 7 to 62 hex digits (0-9, a-f), was '"
					+ printable(deviceUuid) + "'");
		}
		return deviceUuid.toLowerCase(Locale.ROOT);
	}

	/** The uuid is no secret, but a broken one may hold anything: no line breaks into a log. */
	private static String printable(String value) {
		String shown = value.replaceAll("\\p{Cntrl}", "?");
		return (shown.length() <= 70) ? shown : shown.substring(0, 70) + "...";
	}

}
