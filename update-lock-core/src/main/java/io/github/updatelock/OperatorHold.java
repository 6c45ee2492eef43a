package io.github.updatelock;

import java.time.Duration;
import java.time.Instant;

/**
 * A hold an operator took through {@link OperatorHolds}, with when it ends by itself.
 */
public final class OperatorHold {

	private final String name;

	private final long id;

	private final UpdateLockHold held;

	private final Instant expiresAt;

	private final BackgroundHold hold;

	/** The task that ends the hold when its ttl runs out; read by a release by hand to cancel it. */
	private volatile UpdateLockScheduler.Cancellable expiry;

	OperatorHold(String name, UpdateLockHold held, Instant expiresAt, BackgroundHold hold) {
		this.name = name;
		this.id = held.id();
		this.held = held;
		this.expiresAt = expiresAt;
		this.hold = hold;
	}

	/**
	 * The hold's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The id of the manager's hold, as in {@link ActiveHold#id()}.
	 * @return the id
	 */
	public long id() {
		return this.id;
	}

	/**
	 * When the hold was granted, by the wall clock, for display.
	 * @return the start
	 */
	public Instant since() {
		return this.held.since();
	}

	/**
	 * How long the hold has been active until now, by the monotonic clock: see
	 * {@link UpdateLockHold#age()}.
	 * @return the age
	 */
	public Duration heldFor() {
		return this.held.age();
	}

	/**
	 * When the hold ends by itself, for display: the hold ends when its ttl has run out on
	 * the monotonic clock, even if the wall clock stepped meanwhile.
	 * @return the end of its ttl, or {@code null} when it lasts until released
	 */
	public Instant expiresAt() {
		return this.expiresAt;
	}

	BackgroundHold hold() {
		return this.hold;
	}

	void expiresWith(UpdateLockScheduler.Cancellable expiry) {
		this.expiry = expiry;
	}

	void cancelExpiry() {
		UpdateLockScheduler.Cancellable scheduled = this.expiry;
		if (scheduled != null) {
			scheduled.cancel();
		}
	}

	@Override
	public String toString() {
		return "OperatorHold[" + this.name + ", since " + since()
				+ ((this.expiresAt != null) ? ", until " + this.expiresAt : "") + "]";
	}

}
