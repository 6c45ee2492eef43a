package io.github.updatelock.supervisor;

/**
 * The Supervisor's answer to {@code POST /v1/update}, as it was sent.
 *
 * @param statusCode {@code 204} when the Supervisor fetches its target state and applies it,
 * overriding every update lock (this process's included) when forced; {@code 202} when it
 * ignored the request (not ready for updates yet, or instant updates switched off)
 * @param body the answer's body, normally empty
 */
public record SupervisorUpdateAnswer(int statusCode, String body) {

	/**
	 * Whether the Supervisor started an update.
	 * @return {@code true} for status {@code 204}
	 */
	public boolean triggered() {
		return this.statusCode == 204;
	}

}
