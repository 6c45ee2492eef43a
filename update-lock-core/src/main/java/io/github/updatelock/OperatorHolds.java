package io.github.updatelock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The holds an operator takes by hand to keep an update away during manual work: named,
 * unique, at most {@link #MAX_HOLDS} at once, each lasting until it is released or, when
 * taken with a ttl, until the ttl runs out on the manager's
 * {@link UpdateLockManager#scheduler() scheduler}. Each is a {@link BackgroundHold}, so a
 * take that waits for a lock held elsewhere never waits on the scheduler's thread.
 * <p>
 * Thread-safe. Adapters such as an actuator endpoint parse the requests and phrase the
 * answers; this class keeps the state.
 */
public final class OperatorHolds {

	/** How many operator holds may exist at once, requests still waiting included. */
	public static final int MAX_HOLDS = 16;

	private final UpdateLockManager manager;

	private final Listener listener;

	private final Clock clock = Clock.systemUTC();

	private final Map<String, OperatorHold> holds = new ConcurrentHashMap<>();

	/** One permit per operator hold, taken before the lock is asked for and given back when the hold ends. */
	private final Semaphore slots = new Semaphore(MAX_HOLDS);

	/**
	 * Creates the operator holds of a manager, which log the end of a hold whose ttl ran
	 * out, as the take and the release are logged by whoever asked for them.
	 * @param manager the manager to take them from
	 */
	public OperatorHolds(UpdateLockManager manager) {
		this(manager, new ExpiryLog());
	}

	/**
	 * Creates the operator holds of a manager.
	 * @param manager the manager to take them from
	 * @param listener told when a hold ends by itself
	 */
	public OperatorHolds(UpdateLockManager manager, Listener listener) {
		this.manager = Objects.requireNonNull(manager, "manager");
		this.listener = Objects.requireNonNull(listener, "listener");
	}

	/**
	 * Takes an operator hold, waiting up to {@code wait} while someone else holds the lock.
	 * @param name the hold's name
	 * @param wait how long to wait; {@link Duration#ZERO} tries once
	 * @param ttl after how long the hold ends by itself, or {@code null} for never
	 * @return what happened
	 * @throws IllegalArgumentException if {@code wait} is negative, {@code ttl} is not more
	 * than zero, or either is longer than {@link DurationRules#LONGEST}
	 * @throws UpdateLockException if the lock could not be taken for another reason than
	 * someone else holding it or it being unavailable (the manager is closed, an I/O error)
	 */
	public Taking take(String name, Duration wait, Duration ttl) {
		Objects.requireNonNull(name, "name");
		// Checked before the hold is taken: a ttl that overflowed Instant.plus afterwards left the
		// hold taken, listed nowhere, and its file in place.
		DurationRules.requireNotNegative(wait, "wait");
		if (ttl != null) {
			DurationRules.requirePositive(ttl, "ttl");
		}
		OperatorHold existing = this.holds.get(name);
		if (existing != null) {
			return new Taking(TakeOutcome.ALREADY_HELD, existing, null);
		}
		if (!this.slots.tryAcquire()) {
			return new Taking(TakeOutcome.LIMIT_REACHED, null, null);
		}
		BackgroundHold hold = new BackgroundHold(this.manager, name);
		long started = System.nanoTime();
		hold.want();
		UpdateLockHold held = hold.awaitHeld(wait) ? hold.heldHold() : null;
		if (held == null) {
			return refused(name, hold, Duration.ofNanos(System.nanoTime() - started));
		}
		Instant expiresAt = (ttl != null) ? this.clock.instant().plus(ttl) : null;
		OperatorHold operatorHold = new OperatorHold(name, held, expiresAt, hold);
		OperatorHold raced = this.holds.putIfAbsent(name, operatorHold);
		if (raced != null) {
			// Two requests for the same name crossed; the first one's hold stands.
			end(operatorHold);
			return new Taking(TakeOutcome.ALREADY_HELD, raced, null);
		}
		if (ttl != null) {
			try {
				operatorHold.expiresWith(this.manager.scheduler().schedule(() -> expire(operatorHold, ttl), ttl));
			}
			catch (RuntimeException ex) {
				// A hold whose ttl cannot be planned would never expire: give it up with the failure.
				this.holds.remove(name, operatorHold);
				end(operatorHold);
				throw ex;
			}
		}
		return new Taking(TakeOutcome.TAKEN, operatorHold, null);
	}

	/**
	 * Releases an operator hold and cancels its ttl.
	 * @param name the hold's name
	 * @return the released hold, or empty when no operator hold of that name is active
	 */
	public Optional<OperatorHold> release(String name) {
		OperatorHold operatorHold = this.holds.remove(name);
		if (operatorHold == null) {
			return Optional.empty();
		}
		operatorHold.cancelExpiry();
		end(operatorHold);
		return Optional.of(operatorHold);
	}

	/**
	 * The operator holds now.
	 * @return an immutable list, in no particular order
	 */
	public List<OperatorHold> active() {
		return List.copyOf(this.holds.values());
	}

	/**
	 * The active operator hold of a name.
	 * @param name the name
	 * @return the hold, or empty
	 */
	public Optional<OperatorHold> find(String name) {
		return Optional.ofNullable(this.holds.get(name));
	}

	private Taking refused(String name, BackgroundHold hold, Duration waited) {
		try {
			RuntimeException failure = hold.failure();
			if (failure instanceof UpdateLockUnavailableException) {
				return new Taking(TakeOutcome.UNAVAILABLE, null, failure.getMessage());
			}
			if (failure != null) {
				throw failure;
			}
			UpdateLockBlocker blocker = hold.blocker();
			// Asked while the wait still counts, so that the answer says for how long the blocker was seen.
			UpdateLockTimeoutException denied = this.manager.denyInBackground(name,
					(blocker != null) ? blocker : UpdateLockBlocker.FOREIGN, waited);
			return new Taking(TakeOutcome.BLOCKED, null, denied.getMessage());
		}
		finally {
			hold.unwant();
			this.slots.release();
		}
	}

	private void expire(OperatorHold operatorHold, Duration ttl) {
		// Only this very hold: a release by hand may have come first, and the name may be taken again since.
		if (!this.holds.remove(operatorHold.name(), operatorHold)) {
			return;
		}
		try {
			end(operatorHold);
			this.listener.expired(operatorHold, ttl);
		}
		catch (RuntimeException ex) {
			// Nobody waits for this task's result: report it or it is never seen.
			this.listener.expiryFailed(operatorHold, ttl, ex);
		}
	}

	private void end(OperatorHold operatorHold) {
		try {
			operatorHold.hold().unwant();
		}
		finally {
			this.slots.release();
		}
	}

	/**
	 * What became of a request to take an operator hold.
	 *
	 * @param outcome the outcome
	 * @param hold the hold taken, or the one already active; {@code null} otherwise
	 * @param refusal why the lock could not be taken ({@link TakeOutcome#BLOCKED},
	 * {@link TakeOutcome#UNAVAILABLE}); {@code null} otherwise
	 */
	public record Taking(TakeOutcome outcome, OperatorHold hold, String refusal) {
	}

	/**
	 * The outcomes of {@link OperatorHolds#take(String, Duration, Duration)}.
	 */
	public enum TakeOutcome {

		/** The hold was granted. */
		TAKEN,

		/** An operator hold of that name was already active; nothing changed. */
		ALREADY_HELD,

		/** {@link OperatorHolds#MAX_HOLDS} operator holds are active or being taken; nothing was taken. */
		LIMIT_REACHED,

		/** Someone else holds the lock and kept it for the whole wait. */
		BLOCKED,

		/** The lock cannot be taken here and the manager is set to refuse work without it. */
		UNAVAILABLE

	}

	/**
	 * Told when an operator hold ends by itself. Runs on the manager's scheduler; must not block.
	 */
	public interface Listener {

		/**
		 * An operator hold's ttl ran out and the hold was released.
		 * @param hold the hold
		 * @param ttl its ttl
		 */
		void expired(OperatorHold hold, Duration ttl);

		/**
		 * An operator hold's ttl ran out but releasing it failed.
		 * @param hold the hold
		 * @param ttl its ttl
		 * @param failure why
		 */
		void expiryFailed(OperatorHold hold, Duration ttl, RuntimeException failure);

	}

	/** The default listener: nobody waits for an expiry, so it is said in the log or never seen. */
	private static final class ExpiryLog implements Listener {

		private static final System.Logger logger = System.getLogger(OperatorHolds.class.getName());

		@Override
		public void expired(OperatorHold hold, Duration ttl) {
			logger.log(System.Logger.Level.INFO,
					() -> "Operator hold '" + hold.name() + "' ended by itself: its ttl of " + ttl + " ran out");
		}

		@Override
		public void expiryFailed(OperatorHold hold, Duration ttl, RuntimeException failure) {
			logger.log(System.Logger.Level.WARNING, "Operator hold '" + hold.name() + "' reached the end of its ttl of "
					+ ttl + " but could not be released", failure);
		}

	}

}
