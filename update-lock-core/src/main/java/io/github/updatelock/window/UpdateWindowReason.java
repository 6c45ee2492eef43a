package io.github.updatelock.window;

/**
 * Why an {@link UpdateWindowGuard} lets updates in or keeps them out. The names are public
 * API: endpoints and logs show them, so they never change.
 */
public enum UpdateWindowReason {

	/** The schedule decides: a configured window is open, or none is. */
	SCHEDULE,

	/** An operator opened a window for a bounded time; the schedule may be closed. */
	OPERATOR,

	/** No windows are configured, so nothing is restricted. */
	NO_WINDOWS

}
