package io.github.updatelock.supervisor;

/**
 * Why a call to the Supervisor API failed. The names are public API: endpoints and logs
 * show them.
 */
public enum SupervisorErrorKind {

	/**
	 * HTTP 401: the key was refused. The key changes when it is regenerated; the service
	 * then gets the new one at its next restart.
	 */
	UNAUTHORIZED,

	/** HTTP 423: an update lock refused the action; the message is the Supervisor's own. */
	LOCKED,

	/** Any other HTTP answer that is not the expected one (e.g. 503 while the Supervisor starts). */
	REJECTED,

	/** No complete answer within the connect or request timeout. */
	TIMEOUT,

	/** No connection: the Supervisor is down, restarting, or the address is wrong. */
	UNREACHABLE,

	/** An answer that is not the JSON the API documents (garbage, wrong shape, or far too large). */
	INVALID_ANSWER,

	/** The calling thread was interrupted while it waited for the answer. */
	INTERRUPTED

}
