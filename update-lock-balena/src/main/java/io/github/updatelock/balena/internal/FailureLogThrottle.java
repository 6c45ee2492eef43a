package io.github.updatelock.balena.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Decides which failures of a repeated call are logged: the first at once, then at most one
 * per interval, which says how many were left out. A device that loses its network for a day
 * then writes a few lines, not one per attempt. Not thread-safe: its owner calls it from one
 * step at a time, or under its own lock.
 */
public final class FailureLogThrottle {

	private final Duration interval;

	private final String attempts;

	private @Nullable Instant lastLogged;

	/** When the last failure was logged on the monotonic clock; meaningful while {@link #lastLogged} is set. */
	private long lastLoggedNanos;

	private int unlogged;

	/**
	 * Creates a throttle.
	 * @param interval the shortest time between two logged failures
	 * @param attempts what the failed calls are called in the log, such as "failed polls"
	 */
	public FailureLogThrottle(Duration interval, String attempts) {
		this.interval = Objects.requireNonNull(interval, "interval");
		this.attempts = Objects.requireNonNull(attempts, "attempts");
	}

	/**
	 * Counts a failure and says whether to log it.
	 * @param now the time of the failure, by the wall clock: for display only
	 * @param nowNanos the time of the failure on a monotonic clock, which the interval is
	 * measured on, so that a step of the wall clock neither silences failures nor floods the log
	 * @return what to append to the logged line (empty, or how many failures were left out
	 * since the last line), or {@code null} when this failure is not to be logged
	 */
	public @Nullable String failed(Instant now, long nowNanos) {
		if (this.lastLogged != null && nowNanos - this.lastLoggedNanos < this.interval.toNanos()) {
			this.unlogged++;
			return null;
		}
		String suffix = (this.unlogged > 0)
				? " (" + this.unlogged + " more " + this.attempts + " since " + this.lastLogged + " were not logged)" : "";
		this.lastLogged = now;
		this.lastLoggedNanos = nowNanos;
		this.unlogged = 0;
		return suffix;
	}

	/** Forgets the failures after a success, so that the next one is logged at once. */
	public void succeeded() {
		this.lastLogged = null;
		this.unlogged = 0;
	}

}
