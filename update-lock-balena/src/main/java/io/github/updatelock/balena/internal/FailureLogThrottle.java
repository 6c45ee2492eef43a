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
	 * @param now the time of the failure
	 * @return what to append to the logged line (empty, or how many failures were left out
	 * since the last line), or {@code null} when this failure is not to be logged
	 */
	public @Nullable String failed(Instant now) {
		if (this.lastLogged != null && now.isBefore(this.lastLogged.plus(this.interval))) {
			this.unlogged++;
			return null;
		}
		String suffix = (this.unlogged > 0)
				? " (" + this.unlogged + " more " + this.attempts + " since " + this.lastLogged + " were not logged)" : "";
		this.lastLogged = now;
		this.unlogged = 0;
		return suffix;
	}

	/** Forgets the failures after a success, so that the next one is logged at once. */
	public void succeeded() {
		this.lastLogged = null;
		this.unlogged = 0;
	}

}
