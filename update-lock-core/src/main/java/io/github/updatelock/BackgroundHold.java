package io.github.updatelock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A named hold that is either wanted or not, and is taken in the background while it is
 * wanted: the startup hold, an update window guard's hold and operator holds are built on
 * it.
 * <p>
 * {@link #want()} tries once on the calling thread, without waiting; while someone else
 * holds the lock (the Supervisor applying an update, another instance) it tries again on
 * the manager's {@link UpdateLockManager#scheduler() scheduler}, at once when the lock path
 * changes and with the manager's capped backoff as the fallback, and never blocks that
 * thread. {@link #unwant()} releases the hold or stops taking it; a try that succeeds after
 * that releases its hold at once, so the hold is released exactly once.
 * {@link #yieldHold()} gives a held hold up to a pending update until it is wanted again.
 * <p>
 * Thread-safe. File I/O never runs under this object's lock, and a {@link StateListener}
 * runs without it, on the thread that made the change.
 */
public final class BackgroundHold {

	private final UpdateLockManager manager;

	private final String name;

	private final UpdateLockScheduler scheduler;

	private final List<StateListener> listeners = new CopyOnWriteArrayList<>();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	// Guarded by lock.
	private State state = State.IDLE;

	private UpdateLockHold hold;

	private UpdateLockBlocker blocker;

	private RuntimeException failure;

	/** Counts the wants: a try that belongs to an earlier one is no longer wanted. */
	private long generation;

	/** When the current wait began (the manager's monotonic clock), once the manager counts it as a waiter. */
	private Long waitingSince;

	private UpdateLockScheduler.Cancellable retry;

	/** Counts the scheduled tries: only the latest may run, even if cancelling another came too late. */
	private long attempt;

	/** Whether the path changed while a try ran: the next try then follows at once. */
	private boolean woken;

	private long backoffNanos;

	/** Handed to the manager while waiting; one instance, so that the manager can forget it again. */
	private final Runnable wake = this::wake;

	/**
	 * Creates a hold that is not wanted yet, retried on the manager's scheduler.
	 * @param manager the manager to take it from
	 * @param name the hold's name, shown in snapshots and events
	 */
	public BackgroundHold(UpdateLockManager manager, String name) {
		this(manager, name, manager.scheduler());
	}

	/**
	 * Creates a hold that is not wanted yet.
	 * @param manager the manager to take it from
	 * @param name the hold's name, shown in snapshots and events
	 * @param scheduler where the retries run
	 */
	public BackgroundHold(UpdateLockManager manager, String name, UpdateLockScheduler scheduler) {
		this.manager = Objects.requireNonNull(manager, "manager");
		this.name = Objects.requireNonNull(name, "name");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
	}

	/**
	 * The hold's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Adds a listener for state changes.
	 * @param listener the listener
	 */
	public void addListener(StateListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * What the hold is doing now. A hold that was held or being taken when the manager
	 * closed is {@link State#CLOSED}.
	 * @return the state
	 */
	public State state() {
		return underLock(this::current);
	}

	/** The state, seen through the manager's close. Called under the lock. */
	private State current() {
		boolean takenOrBeingTaken = this.state == State.WAITING || this.state == State.HELD;
		return (takenOrBeingTaken && this.manager.isClosed()) ? State.CLOSED : this.state;
	}

	/**
	 * Who held the lock at the last try.
	 * @return the blocker in state {@link State#WAITING}, otherwise {@code null}
	 */
	public UpdateLockBlocker blocker() {
		return underLock(() -> (current() == State.WAITING) ? this.blocker : null);
	}

	/**
	 * Why the last try failed.
	 * @return the failure in state {@link State#FAILED}, otherwise {@code null}
	 */
	public RuntimeException failure() {
		return underLock(() -> (this.state == State.FAILED) ? this.failure : null);
	}

	private <T> T underLock(Supplier<T> read) {
		this.lock.lock();
		try {
			return read.get();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The manager's hold while {@link State#HELD}, for services in this package that report on it. */
	UpdateLockHold heldHold() {
		return underLock(() -> (current() == State.HELD) ? this.hold : null);
	}

	/**
	 * Wants the hold: tries once on the calling thread, without waiting, and returns; while
	 * someone else holds the lock the hold is {@link State#WAITING} and taken in the
	 * background. Does nothing while it is held or being taken; a failed or yielded hold is
	 * tried afresh.
	 */
	public void want() {
		long wanted;
		long first;
		this.lock.lock();
		try {
			if (this.state == State.WAITING || this.state == State.HELD) {
				return;
			}
			wanted = ++this.generation;
			this.state = State.WAITING;
			this.failure = null;
			this.blocker = null;
			this.backoffNanos = this.manager.initialBackoff().toNanos();
			first = ++this.attempt;
		}
		finally {
			this.lock.unlock();
		}
		tryOnce(wanted, first, true);
	}

	/**
	 * No longer wants the hold: releases it, or stops taking it. Does nothing when it is
	 * neither held nor being taken, except that a failed or yielded hold becomes
	 * {@link State#IDLE}.
	 */
	public void unwant() {
		drop(State.IDLE, false);
	}

	/**
	 * Gives the hold up to an update that waits on the lock: releases it and does not take it
	 * again until {@link #want()} is called.
	 * @return whether the hold was released; {@code false} when it was not held
	 */
	public boolean yieldHold() {
		return drop(State.YIELDED, true);
	}

	/**
	 * Waits until the hold is held, or is no longer being taken, or the timeout passes.
	 * Returns at once when interrupted, leaving the interrupt set, and when the manager
	 * closes.
	 * @param timeout the longest wait
	 * @return whether the hold is held
	 */
	public boolean awaitHeld(Duration timeout) {
		long remaining = timeout.toNanos();
		this.lock.lock();
		try {
			while (current() == State.WAITING && remaining > 0) {
				remaining = this.changed.awaitNanos(remaining);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.lock.unlock();
		}
		return state() == State.HELD;
	}

	private boolean drop(State to, boolean onlyIfHeld) {
		UpdateLockHold toRelease;
		boolean endWait;
		this.lock.lock();
		try {
			State now = current();
			boolean held = now == State.HELD;
			if ((onlyIfHeld && !held) || now == State.IDLE || now == State.CLOSED || now == to) {
				return false;
			}
			this.generation++;
			if (this.retry != null) {
				this.retry.cancel();
				this.retry = null;
			}
			endWait = this.waitingSince != null;
			this.waitingSince = null;
			toRelease = this.hold;
			this.hold = null;
			this.blocker = null;
			this.state = to;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		afterChange(endWait, toRelease, to);
		return toRelease != null;
	}

	/** One try, without this object's lock; the outcome counts only if the hold is still wanted. */
	private void tryOnce(long wanted, long scheduled, boolean first) {
		Long since;
		this.lock.lock();
		try {
			if (wanted != this.generation || scheduled != this.attempt) {
				return;
			}
			this.retry = null;
			this.woken = false;
			since = this.waitingSince;
		}
		finally {
			this.lock.unlock();
		}
		UpdateLockManager.BackgroundTry outcome = null;
		RuntimeException failed = null;
		try {
			outcome = this.manager.tryInBackground(this.name, since, this.wake);
		}
		catch (RuntimeException ex) {
			failed = ex;
		}
		boolean startedWaiting = outcome != null && outcome.blocker() != null && since == null;
		UpdateLockHold toRelease = null;
		boolean endWait = false;
		State changedTo = null;
		this.lock.lock();
		try {
			if (wanted != this.generation) {
				// Unwanted while we tried: what we got goes back at once.
				toRelease = (outcome != null) ? outcome.hold() : null;
				endWait = startedWaiting;
			}
			else if (this.manager.isClosed()) {
				// Closed while we tried (or before): the manager's scheduler runs no more tries.
				toRelease = (outcome != null) ? outcome.hold() : null;
				endWait = startedWaiting || since != null;
				closed();
				changedTo = State.CLOSED;
			}
			else if (failed != null || outcome.hold() != null) {
				endWait = since != null;
				this.waitingSince = null;
				this.blocker = null;
				this.hold = (failed != null) ? null : outcome.hold();
				this.failure = failed;
				this.state = (failed != null) ? State.FAILED : State.HELD;
				changedTo = this.state;
				this.changed.signalAll();
			}
			else {
				if (startedWaiting) {
					this.waitingSince = this.manager.nanoTime();
				}
				this.blocker = outcome.blocker();
				if (this.woken) {
					scheduleTry(wanted, Duration.ZERO);
				}
				else {
					scheduleTry(wanted, Duration.ofNanos(this.backoffNanos));
					this.backoffNanos = Math.min(this.backoffNanos * 2, this.manager.maxBackoff().toNanos());
				}
				// The first try returns to the caller of want(): tell listeners that it waits.
				changedTo = first ? State.WAITING : null;
			}
		}
		finally {
			this.lock.unlock();
		}
		afterChange(endWait, toRelease, changedTo);
	}

	/** Called under the lock. */
	private void scheduleTry(long wanted, Duration delay) {
		long next = ++this.attempt;
		this.retry = this.scheduler.schedule(() -> tryOnce(wanted, next, false), delay);
	}

	/**
	 * The lock path may have changed, or the manager closed (called by the manager on another
	 * thread): try now rather than at the end of the backoff, or stop. The try looks at the
	 * path itself.
	 */
	private void wake() {
		boolean endWait;
		this.lock.lock();
		try {
			if (this.state != State.WAITING) {
				return;
			}
			if (this.manager.isClosed()) {
				endWait = this.waitingSince != null;
				closed();
			}
			else {
				wakeTry();
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		afterChange(endWait, null, State.CLOSED);
	}

	/** Called under the lock, while waiting. */
	private void wakeTry() {
		if (this.retry == null) {
			// A try is running and may have looked before the change: it schedules the next at once.
			this.woken = true;
			return;
		}
		this.retry.cancel();
		scheduleTry(this.generation, Duration.ZERO);
	}

	/** The manager closed: no try will run again. Called under the lock. */
	private void closed() {
		if (this.retry != null) {
			this.retry.cancel();
			this.retry = null;
		}
		this.waitingSince = null;
		this.state = State.CLOSED;
		this.blocker = null;
		this.hold = null;
		this.changed.signalAll();
	}

	/**
	 * The part of a change that must not run under the lock: it does file I/O or calls
	 * listeners.
	 * @param endWait whether the manager stops counting this hold as a waiter
	 * @param toRelease a hold no longer wanted, or {@code null}
	 * @param changedTo the state to tell listeners, or {@code null}
	 */
	private void afterChange(boolean endWait, UpdateLockHold toRelease, State changedTo) {
		if (endWait) {
			this.manager.endBackgroundWait(this.wake);
		}
		if (toRelease != null) {
			toRelease.release();
		}
		if (changedTo != null) {
			for (StateListener listener : this.listeners) {
				listener.stateChanged(changedTo);
			}
		}
	}

	@Override
	public String toString() {
		return "BackgroundHold[" + this.name + ", " + state() + "]";
	}

	/**
	 * Receives the state changes of a {@link BackgroundHold}.
	 */
	@FunctionalInterface
	public interface StateListener {

		/**
		 * Called after the state changed, without the hold's lock, on the thread that changed
		 * it: a caller of {@link BackgroundHold#want()} or {@link BackgroundHold#unwant()}, or
		 * the scheduler for a try in the background. Must not block.
		 * @param state the new state
		 */
		void stateChanged(State state);

	}

	/**
	 * The states of a background hold.
	 */
	public enum State {

		/** Not wanted: never wanted, or unwanted since. */
		IDLE,

		/** Wanted and being taken: someone else holds the lock; see {@link BackgroundHold#blocker()}. */
		WAITING,

		/** Wanted and held. */
		HELD,

		/** Given up to a pending update until wanted again. */
		YIELDED,

		/**
		 * Held or being taken when the manager closed: it is not held and never will be; the
		 * manager's close released it, or stopped taking it.
		 */
		CLOSED,

		/**
		 * Could not be taken for another reason than someone else holding the lock, such as an
		 * unavailable lock under the {@code FAIL} policy; see {@link BackgroundHold#failure()}.
		 */
		FAILED

	}

}
