package io.github.updatelock.balena.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one rule for the base addresses of the balena APIs: an absolute {@code http} or
 * {@code https} URI without user info, query or fragment, kept without a trailing slash so
 * that paths can be appended as they are written in the API docs.
 * <p>
 * User info ({@code user:password@}) is refused without showing any of the address: the
 * clients never send it, each key has a setting of its own, and an accepted address is
 * shown in logs, messages and on the endpoint, so a password there would leak.
 */
public final class ApiAddresses {

	/**
	 * Anything before an {@code @} in the authority, read from the text so that it is found
	 * even where {@link URI} gives up on the authority, such as {@code a:b@c@host}.
	 */
	private static final Pattern USER_INFO = Pattern.compile("^[^:/?#]*://[^/?#]*@");

	private static final String USER_INFO_REFUSAL = " must not contain user info (user:password@ before the host): "
			+ "it is never sent, the key has a setting of its own, and the address is shown in logs and on the endpoint";

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
		refuseUserInfo(value, name);
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
		refuseUserInfo(address.toString(), name);
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

	private static void refuseUserInfo(String address, String name) {
		if (USER_INFO.matcher(address).find()) {
			throw new IllegalArgumentException(name + USER_INFO_REFUSAL);
		}
	}

}
