package io.github.updatelock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A manager's clock is the application's code: this one blocks its first read on a thread
 * of a given name, as a slow one would block the take or release that reads it, until the
 * test lets it go.
 */
public final class BlockingClock extends Clock {

	private final CountDownLatch blocked = new CountDownLatch(1);

	private final CountDownLatch unblock = new CountDownLatch(1);

	private final Clock clock;

	private final String threadName;

	/**
	 * A clock that blocks once.
	 * @param clock where the time comes from
	 * @param threadName the thread whose first read blocks
	 */
	public BlockingClock(Clock clock, String threadName) {
		this.clock = clock;
		this.threadName = threadName;
	}

	/**
	 * Waits until a read is blocked.
	 * @return whether one was within five seconds
	 * @throws InterruptedException if interrupted
	 */
	public boolean awaitBlocked() throws InterruptedException {
		return this.blocked.await(5, TimeUnit.SECONDS);
	}

	/** Lets the blocked read (and every later one) return. */
	public void unblock() {
		this.unblock.countDown();
	}

	@Override
	public Instant instant() {
		if (Thread.currentThread().getName().equals(this.threadName) && this.blocked.getCount() > 0) {
			this.blocked.countDown();
			try {
				this.unblock.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return this.clock.instant();
	}

	@Override
	public ZoneId getZone() {
		return this.clock.getZone();
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException();
	}

}
