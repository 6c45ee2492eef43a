package io.github.updatelock.actuate.endpoint;

/**
 * What became of an operator's request to {@code POST /actuator/forceupdate}. The names
 * are public API. Over HTTP each maps to one status code, given here.
 */
public enum ForceUpdateOutcome {

	/** The Supervisor answered 204 and applies the update now (200). */
	UPDATE_TRIGGERED,

	/** The Supervisor answered 202 and ignored the request (200). */
	UPDATE_IGNORED,

	/** The Supervisor answered with an error status (502). */
	UPDATE_REFUSED,

	/** No usable answer: no connection, a timeout or garbage (502). */
	SUPERVISOR_UNAVAILABLE

}
