package io.github.updatelock.fleet;

/**
 * Why a call to the balenaCloud API failed. The names are public API: endpoints, health
 * details and logs show them.
 */
public enum BalenaErrorKind {

	/**
	 * HTTP 401 or 403: the key was refused, or may not do this. The device key changes when
	 * the device is moved or its key is regenerated; the service needs the label
	 * {@code io.balena.features.balena-api: '1'}.
	 */
	UNAUTHORIZED,

	/** The API knows no device with the configured uuid (an empty answer or HTTP 404). */
	DEVICE_NOT_FOUND,

	/** HTTP 429: too many requests; the answer's {@code Retry-After} says when to try again. */
	RATE_LIMITED,

	/** HTTP 5xx: the API is down or overloaded. */
	SERVER_ERROR,

	/** Any other answer that is not the expected one (e.g. 400 for a tag the API refuses). */
	REJECTED,

	/** No complete answer within the connect or request timeout. */
	TIMEOUT,

	/** No connection: no network, a wrong address, or a name that does not resolve. */
	UNREACHABLE,

	/** An answer that is not the JSON the API documents (garbage, wrong shape, or far too large). */
	INVALID_ANSWER

}
