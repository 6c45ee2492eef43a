package io.github.updatelock.balena.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * The one rule for the base addresses of the balena APIs: an absolute {@code http} or
 * {@code https} URI without query or fragment, kept without a trailing slash so that paths
 * can be appended as they are written in the API docs.
 */
public final class ApiAddresses {

	private ApiAddresses() {
	}

	/**
	 * Reads an address from text, such as an environment variable.
	 * @param value the text
	 * @param name where it came from, to start the message
	 * @return the address, without a trailing slash
	 * @throws IllegalArgumentException naming {@code name} and what is accepted
	 */
	public static URI parse(String value, String name) {
		try {
			return check(new URI(value), name);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(name + " must be an absolute http or https URI, was '" + value + "'");
		}
	}

	/**
	 * Checks an address.
	 * @param address the address
	 * @param name where it came from, to start the message
	 * @return the address, without a trailing slash
	 * @throws IllegalArgumentException naming {@code name} and what is accepted
	 */
	public static URI check(URI address, String name) {
		Objects.requireNonNull(address, name);
		String scheme = address.getScheme();
		if (!address.isAbsolute() || address.getHost() == null
				|| !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
				|| address.getRawQuery() != null || address.getRawFragment() != null) {
			throw new IllegalArgumentException(name + " must be an absolute http or https URI without query, was '"
					+ address + "'");
		}
		String text = address.toString();
		return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : address;
	}

}
