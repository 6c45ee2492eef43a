package io.github.updatelock;

import java.time.Duration;

/**
 * The lock stayed held by someone else for the whole wait budget.
 */
public class UpdateLockTimeoutException extends UpdateLockException {

	private static final long serialVersionUID = 1L;

	/** Who held the lock when the wait ended. */
	private final UpdateLockBlocker blocker;

	/** How long that holder had been seen holding it. */
	private final Duration blockedFor;

	/**
	 * Creates an exception.
	 * @param message what happened, naming the holder
	 * @param blocker who held the lock when the wait ended
	 * @param blockedFor how long that holder had been seen holding it
	 */
	public UpdateLockTimeoutException(String message, UpdateLockBlocker blocker, Duration blockedFor) {
		super(message);
		this.blocker = blocker;
		this.blockedFor = blockedFor;
	}

	/**
	 * Who held the lock.
	 * @return the blocker seen last
	 */
	public UpdateLockBlocker getBlocker() {
		return this.blocker;
	}

	/**
	 * For how long the lock had been seen held when we gave up.
	 * @return the time since the blocker was first seen
	 */
	public Duration getBlockedFor() {
		return this.blockedFor;
	}

}
