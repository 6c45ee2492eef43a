package io.github.updatelock;

import java.time.Duration;

/**
 * The lock stayed held by someone else for the whole wait budget.
 */
public class UpdateLockTimeoutException extends UpdateLockException {

	private static final long serialVersionUID = 1L;

	private final UpdateLockBlocker blocker;

	private final Duration blockedFor;

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
