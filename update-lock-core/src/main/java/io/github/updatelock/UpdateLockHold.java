package io.github.updatelock;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One holder's share of the update lock. The lock file exists while at least one hold is
 * active. Release it exactly once with {@link #release()} or try-with-resources; further
 * calls do nothing, and any thread may release it.
 */
public final class UpdateLockHold implements AutoCloseable {

	private final UpdateLockManager manager;

	private final ActiveHold info;

	private final AtomicBoolean released = new AtomicBoolean();

	UpdateLockHold(UpdateLockManager manager, ActiveHold info) {
		this.manager = manager;
		this.info = info;
	}

	/**
	 * The number that identifies this hold among the holds of its manager, as reported by
	 * {@link ActiveHold#id()} in a {@link UpdateLockSnapshot}.
	 * @return the hold's id
	 */
	public long id() {
		return this.info.id();
	}

	/**
	 * The name the holder gave.
	 * @return the hold's name
	 */
	public String name() {
		return this.info.name();
	}

	/**
	 * When the hold was granted.
	 * @return the grant instant
	 */
	public Instant since() {
		return this.info.since();
	}

	/**
	 * Whether {@link #release()} was called (or the manager closed).
	 * @return {@code true} once released
	 */
	public boolean isReleased() {
		return this.released.get();
	}

	/**
	 * Ends this hold; the last hold to end removes the lock file. Idempotent.
	 */
	public void release() {
		if (this.released.compareAndSet(false, true)) {
			this.manager.release(this);
		}
	}

	@Override
	public void close() {
		release();
	}

	ActiveHold info() {
		return this.info;
	}

	/**
	 * Holds are equal only to themselves; the hash comes from the id because the identity
	 * hash's first computation costs more than the rest of a nested hold's bookkeeping.
	 */
	@Override
	public boolean equals(Object other) {
		return this == other;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.info.id());
	}

	@Override
	public String toString() {
		return "UpdateLockHold[" + this.info.name() + (isReleased() ? ", released]" : "]");
	}

}
