package io.github.updatelock.fleet;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A call to the balenaCloud API failed. The message is short and names the call, never the
 * key.
 */
public class BalenaApiException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** What went wrong. */
	private final BalenaErrorKind kind;

	/** The HTTP status, or {@code 0} when no answer came. */
	private final int statusCode;

	/** How long the API asked us to wait (HTTP 429), or {@code null}. */
	private final @Nullable Duration retryAfter;

	/**
	 * Creates an exception.
	 * @param kind what went wrong
	 * @param statusCode the HTTP status, or {@code 0} when no answer came
	 * @param retryAfter how long the API asked us to wait, or {@code null}
	 * @param message a short message that names the call and never the key
	 * @param cause the underlying failure, or {@code null}
	 */
	public BalenaApiException(BalenaErrorKind kind, int statusCode, @Nullable Duration retryAfter, String message,
			@Nullable Throwable cause) {
		super(message, cause);
		this.kind = kind;
		this.statusCode = statusCode;
		this.retryAfter = retryAfter;
	}

	/**
	 * What went wrong.
	 * @return the kind of failure
	 */
	public BalenaErrorKind getKind() {
		return this.kind;
	}

	/**
	 * The HTTP status of the answer.
	 * @return the status code, or {@code 0} when no answer came (timeout, no connection)
	 */
	public int getStatusCode() {
		return this.statusCode;
	}

	/**
	 * How long the API asked us to wait before the next request, from the {@code Retry-After}
	 * header of an HTTP 429, capped at {@link BalenaApiClient#MAX_RETRY_AFTER}.
	 * @return the wait, or {@code null} when the answer said nothing
	 */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

}
