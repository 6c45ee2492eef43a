package io.github.updatelock.actuate.endpoint;

/**
 * What became of an operator's request to {@code POST /actuator/updatewindow/{action}}.
 * The names are public API. Over HTTP each maps to one status code, given here.
 */
public enum UpdateWindowActionOutcome {

	/** {@code open}: updates are let in until the window ends (200). */
	WINDOW_OPENED,

	/** {@code close}: the operator window ended; the schedule decides again (200). */
	WINDOW_CLOSED,

	/** {@code close} while no operator window was open; nothing changed (200). */
	NO_OPERATOR_WINDOW,

	/** The request was malformed: an unknown action, or a bad or misplaced duration (400). */
	INVALID

}
