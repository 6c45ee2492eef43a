package io.github.updatelock.actuate.endpoint;

/**
 * What became of an operator's request to take or release a hold. The names are public
 * API. Over HTTP each maps to one status code, given here.
 */
public enum OperatorHoldOutcome {

	/** The hold was granted (200). */
	TAKEN,

	/** An operator hold of that name was already active; nothing changed (200). */
	ALREADY_HELD,

	/** The operator hold was released (200). */
	RELEASED,

	/** Someone else holds the lock and kept it for the whole wait (409). */
	BLOCKED,

	/** The lock cannot be taken here and the application is set to refuse work without it (409). */
	UNAVAILABLE,

	/** The hold of that name was taken by application code and cannot be released here (409). */
	REFUSED,

	/**
	 * As many operator holds as there may be at once are active or being taken; nothing
	 * was taken (409).
	 */
	LIMIT_REACHED,

	/** No hold of that name is active (404). */
	NOT_FOUND,

	/** The request was malformed: a bad name, wait or ttl (400). */
	INVALID

}
