package io.github.updatelock;

import java.time.Duration;
import java.time.Instant;

/**
 * One holder's share of the update lock. The lock file exists while at least one hold is
 * active. Release it exactly once with {@link #release()} or try-with-resources; further
 * calls do nothing, and any thread may release it.
 */
public final class UpdateLockHold implements AutoCloseable {

	private final UpdateLockManager manager;

	private final long id;

	private final String name;

	private final String declaredName;

	private final Instant since;

	/** When the hold was granted on the manager's {@link MonotonicClock}: its age counts from here. */
	private final long sinceNanos;

	/** Set once; guarded by the {@link HoldRegistry}'s monitor. */
	boolean released;

	/** Set once the hold outlived the long-hold warning; guarded by the registry's monitor. */
	boolean longRunning;

	/** Neighbours in the registry's list, guarded by its monitor. */
	UpdateLockHold previous;

	UpdateLockHold next;

	UpdateLockHold(UpdateLockManager manager, long id, String name, String declaredName, CoarseClock.Reading since) {
		this.manager = manager;
		this.id = id;
		this.name = name;
		this.declaredName = declaredName;
		this.since = since.instant();
		this.sinceNanos = since.nanos();
	}

	/**
	 * The number that identifies this hold among the holds of its manager, as reported by
	 * {@link ActiveHold#id()} in a {@link UpdateLockSnapshot}.
	 * @return the hold's id
	 */
	public long id() {
		return this.id;
	}

	/**
	 * The name the holder gave.
	 * @return the hold's name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The name as declared in code, without per-call values, as reported by
	 * {@link ActiveHold#declaredName()}.
	 * @return the hold's declared name: its name unless the holder gave another
	 */
	public String declaredName() {
		return this.declaredName;
	}

	/**
	 * When the hold was granted. Exact for the hold that took the lock file and for holds
	 * taken while a listener receives per-hold events (metrics do); a hold that joined a
	 * lock already held otherwise carries the manager's coarse time, which may be up to
	 * about one watch interval (default 500 ms) early. Reading the system clock for every
	 * nested hold would cost as much as the rest of it.
	 * <p>
	 * A wall-clock time, for display: the clock may have stepped since. Use {@link #age()}
	 * for how long the hold has been active.
	 * @return the grant instant
	 */
	public Instant since() {
		return this.since;
	}

	/**
	 * How long the hold has been active until now, by the manager's
	 * {@link MonotonicClock}, so that a step of the wall clock does not change it. It starts
	 * from the same, possibly coarse, moment as {@link #since()}.
	 * @return the age, never negative
	 */
	public Duration age() {
		return ageAt(this.manager.nanoTime());
	}

	long sinceNanos() {
		return this.sinceNanos;
	}

	Duration ageAt(long nowNanos) {
		return Duration.ofNanos(Math.max(0, nowNanos - this.sinceNanos));
	}

	/**
	 * Whether {@link #release()} was called (or the manager closed).
	 * @return {@code true} once released
	 */
	public boolean isReleased() {
		return this.manager.isReleased(this);
	}

	/**
	 * Ends this hold; the last hold to end removes the lock file. Idempotent.
	 */
	public void release() {
		this.manager.release(this);
	}

	@Override
	public void close() {
		release();
	}

	ActiveHold info(long nowNanos) {
		return new ActiveHold(this.id, this.name, this.declaredName, this.since, ageAt(nowNanos), this.longRunning);
	}

	@Override
	public String toString() {
		return "UpdateLockHold[" + this.name + (isReleased() ? ", released]" : "]");
	}

}
