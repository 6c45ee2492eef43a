package io.github.updatelock.balena.internal;

import java.util.Objects;
import java.util.Optional;

/**
 * The one rule for the API keys of the balena APIs, the Supervisor's and the device key for
 * balenaCloud: a key travels in an HTTP header, and the JDK's own refusal of a header value
 * quotes the value, so a key is checked here first and its problem told without showing any
 * of it.
 */
public final class ApiKeys {

	private static final String REQUIREMENT = "must be one or more visible ASCII characters (0x21-0x7e)";

	private ApiKeys() {
	}

	/**
	 * Why a key cannot be sent, without showing any of it.
	 * @param apiKey the key
	 * @return empty if the key is one or more visible ASCII characters ({@code 0x21}-{@code 0x7e}),
	 * else what it must be and why it is not, such as "must be one or more visible ASCII
	 * characters (0x21-0x7e); character 5 is U+00E9", to follow the name of where the key
	 * came from
	 */
	public static Optional<String> problem(String apiKey) {
		Objects.requireNonNull(apiKey, "apiKey");
		if (apiKey.isEmpty()) {
			return Optional.of(REQUIREMENT + "; it is empty");
		}
		for (int i = 0; i < apiKey.length(); i++) {
			char c = apiKey.charAt(i);
			if (c < 0x21 || c > 0x7e) {
				// Every character before it is ASCII, so the index counts code points too.
				return Optional.of(String.format("%s; character %d is U+%04X", REQUIREMENT, i + 1,
						apiKey.codePointAt(i)));
			}
		}
		return Optional.empty();
	}

	/**
	 * Checks a key.
	 * @param apiKey the key
	 * @param name where the key came from (a variable or a field), to start the message
	 * @return the key
	 * @throws IllegalArgumentException naming {@code name} and what is accepted, never the key
	 */
	public static String check(String apiKey, String name) {
		Objects.requireNonNull(apiKey, name);
		problem(apiKey).ifPresent((problem) -> {
			throw new IllegalArgumentException(name + " " + problem);
		});
		return apiKey;
	}

}
