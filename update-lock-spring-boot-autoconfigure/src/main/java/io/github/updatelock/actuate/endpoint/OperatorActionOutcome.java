package io.github.updatelock.actuate.endpoint;

/**
 * What became of an operator's request to {@code POST /actuator/updatelock/{area}/{action}}.
 * The names are public API. Over HTTP each maps to one status code, given here.
 */
public enum OperatorActionOutcome {

	/** {@code window/open}: updates are let in until the window ends (200). */
	WINDOW_OPENED,

	/** {@code window/close}: the operator window ended; the schedule decides again (200). */
	WINDOW_CLOSED,

	/** {@code window/close} while no operator window was open; nothing changed (200). */
	NO_OPERATOR_WINDOW,

	/** {@code supervisor/force-update}: the Supervisor answered 204 and applies the update now (200). */
	UPDATE_TRIGGERED,

	/** {@code supervisor/force-update}: the Supervisor answered 202 and ignored the request (200). */
	UPDATE_IGNORED,

	/** {@code supervisor/force-update}: the Supervisor answered with an error status (502). */
	UPDATE_REFUSED,

	/** {@code supervisor/force-update}: no usable answer (no connection, timeout, garbage) (502). */
	SUPERVISOR_UNAVAILABLE,

	/** The area is known but its feature is off here: no windows, or no Supervisor API (404). */
	NOT_CONFIGURED,

	/** The request was malformed: an unknown area or action, or a bad duration (400). */
	INVALID

}
