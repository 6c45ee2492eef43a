package io.github.updatelock.supervisor;

/**
 * A call to the Supervisor API failed. The message is short and names the call, never the
 * key; {@link #getStatusCode()} and {@link #getBody()} give the Supervisor's answer as it was,
 * when there was one.
 */
public class SupervisorApiException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** What went wrong. */
	private final SupervisorErrorKind kind;

	/** The HTTP status, or {@code 0} when no answer came. */
	private final int statusCode;

	/** The answer's body, or {@code null} when no answer came. */
	private final String body;

	/**
	 * Creates an exception.
	 * @param kind what went wrong
	 * @param statusCode the HTTP status, or {@code 0} when no answer came
	 * @param body the answer's body, or {@code null} when no answer came
	 * @param message a short message that names the call and never the key
	 * @param cause the underlying failure, or {@code null}
	 */
	public SupervisorApiException(SupervisorErrorKind kind, int statusCode, String body, String message,
			Throwable cause) {
		super(message, cause);
		this.kind = kind;
		this.statusCode = statusCode;
		this.body = body;
	}

	/**
	 * What went wrong.
	 * @return the kind of failure
	 */
	public SupervisorErrorKind getKind() {
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
	 * The body of the answer, as the Supervisor sent it.
	 * @return the body, or {@code null} when no answer came
	 */
	public String getBody() {
		return this.body;
	}

}
