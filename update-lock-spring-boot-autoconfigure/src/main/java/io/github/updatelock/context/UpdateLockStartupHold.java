package io.github.updatelock.context;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockTimeoutException;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockWaitingEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The named hold an application takes as it starts ({@code update-lock.hold-on-startup}),
 * and that code can release and take again, for example to let updates in only at
 * moments of its own choosing.
 * <p>
 * Taking it never fails because someone else holds the lock: right after the Supervisor
 * starts a container it still holds its own lock, so the hold is then taken by a background
 * thread that keeps trying, with the manager's capped backoff ({@code update-lock.max-backoff}),
 * until the lock is free. Meanwhile the state is {@link State#WAITING} and the manager's
 * status {@code WAITING}.
 * <p>
 * The state describes the hold, not the file: a held startup hold whose lock file was taken
 * away by an override stays {@link State#HELD}, while the manager reports {@code LOST}.
 * Thread-safe.
 */
public final class UpdateLockStartupHold {

	private static final Log logger = LogFactory.getLog(UpdateLockStartupHold.class);

	/**
	 * The wait of one background round. It only paces the manager's log line and its
	 * denied event while the lock stays taken for very long: the next round starts at once.
	 */
	private static final Duration WAIT_ROUND = Duration.ofHours(1);

	private final UpdateLockManager manager;

	private final String name;

	// A ReentrantLock rather than synchronized: the background thread's acquisition does
	// file I/O and must not pin a virtual thread's carrier while it waits on this state.
	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private State state = State.DISABLED;

	private UpdateLockHold hold;

	private RuntimeException failure;

	private boolean firstTryDone;

	private boolean listening;

	/** The thread of the acquisition in progress; read without the lock by the listener. */
	private volatile Thread waiter;

	/**
	 * Creates a startup hold that is not taken yet ({@link State#DISABLED}).
	 * @param manager the manager to take it from
	 * @param name the hold's name, not blank
	 * @throws IllegalArgumentException if the name is blank
	 */
	public UpdateLockStartupHold(UpdateLockManager manager, String name) {
		this.manager = Objects.requireNonNull(manager, "manager");
		Objects.requireNonNull(name, "name");
		if (name.isBlank()) {
			throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
		}
		this.name = name;
	}

	/**
	 * The hold's name.
	 * @return the name shown in snapshots and events
	 */
	public String name() {
		return this.name;
	}

	/**
	 * What the startup hold is doing now.
	 * @return the state
	 */
	public State state() {
		this.lock.lock();
		try {
			if (this.state == State.HELD && this.hold.isReleased()) {
				// Released behind our back: the manager was closed.
				this.state = State.RELEASED;
				this.hold = null;
			}
			return this.state;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Why the last attempt failed.
	 * @return the failure in state {@link State#FAILED}, otherwise {@code null}
	 */
	public RuntimeException failure() {
		this.lock.lock();
		try {
			return this.failure;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes the hold: at once when the lock is free or already ours (state
	 * {@link State#HELD} when this returns), otherwise in the background (state
	 * {@link State#WAITING} until the lock is free). Returns after the first try. Does
	 * nothing while the hold is held or being taken.
	 */
	public void take() {
		Thread thread;
		this.lock.lock();
		try {
			if (this.state == State.WAITING || this.state == State.HELD) {
				return;
			}
			if (!this.listening) {
				this.manager.addListener(this::onEvent);
				this.listening = true;
			}
			this.state = State.WAITING;
			this.failure = null;
			this.firstTryDone = false;
			thread = new Thread(this::acquireUntilHeld, "update-lock-startup");
			thread.setDaemon(true);
			this.waiter = thread;
			thread.start();
			boolean interrupted = false;
			while (!this.firstTryDone) {
				try {
					this.changed.await();
				}
				catch (InterruptedException ex) {
					interrupted = true;
					break;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until the hold is held, or is no longer being taken, or the timeout passes.
	 * @param timeout the longest wait
	 * @return whether the hold is held
	 */
	public boolean awaitHeld(Duration timeout) {
		long remaining = timeout.toNanos();
		this.lock.lock();
		try {
			while (this.state == State.WAITING && remaining > 0) {
				remaining = this.changed.awaitNanos(remaining);
			}
			return this.state == State.HELD;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return this.state == State.HELD;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Releases the hold, or stops taking it. Does nothing when it is neither held nor being
	 * taken.
	 */
	public void release() {
		Thread stopping;
		UpdateLockHold releasing;
		this.lock.lock();
		try {
			stopping = this.waiter;
			releasing = this.hold;
			this.waiter = null;
			this.hold = null;
			if (this.state == State.WAITING || this.state == State.HELD) {
				this.state = State.RELEASED;
			}
			this.firstTryDone = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		if (stopping != null) {
			// The manager's wait ends on interruption; a hold it grants in the same instant
			// is released by the background thread, which sees it is no longer wanted.
			stopping.interrupt();
		}
		if (releasing != null) {
			releasing.release();
		}
	}

	private void acquireUntilHeld() {
		Thread self = Thread.currentThread();
		UpdateLockHold acquired = null;
		RuntimeException failed = null;
		long started = System.nanoTime();
		while (acquired == null && failed == null && this.waiter == self) {
			try {
				acquired = this.manager.acquire(this.name, WAIT_ROUND);
			}
			catch (UpdateLockTimeoutException ex) {
				// Still taken by someone else after a whole round: keep going.
			}
			catch (RuntimeException ex) {
				failed = ex;
			}
		}
		boolean wanted;
		this.lock.lock();
		try {
			wanted = this.waiter == self;
			if (wanted) {
				this.waiter = null;
				this.firstTryDone = true;
				if (acquired != null) {
					this.hold = acquired;
					this.state = State.HELD;
				}
				else {
					this.failure = failed;
					this.state = State.FAILED;
				}
				this.changed.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
		if (!wanted) {
			if (acquired != null) {
				acquired.release();
			}
			return;
		}
		if (failed != null) {
			logger.warn("Could not take the startup hold '" + this.name + "' on " + this.manager.path() + ": "
					+ failed.getMessage());
		}
		else if (logger.isInfoEnabled()) {
			long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			if (waited >= 1000) {
				logger.info("Took the startup hold '" + this.name + "' on " + this.manager.path() + " after waiting "
						+ waited + " ms");
			}
		}
	}

	private void onEvent(UpdateLockEvent event) {
		// The background thread's first try found the lock taken: take() may return.
		if (event instanceof UpdateLockWaitingEvent && Thread.currentThread() == this.waiter) {
			this.lock.lock();
			try {
				this.firstTryDone = true;
				this.changed.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	@Override
	public String toString() {
		return "UpdateLockStartupHold[" + this.name + ", " + state() + "]";
	}

	/**
	 * The states of the startup hold. The names are public API: endpoints and logs show them.
	 */
	public enum State {

		/** Not taken at startup ({@code update-lock.hold-on-startup} is off) and never taken since. */
		DISABLED,

		/** Being taken: someone else holds the lock and a background thread keeps trying. */
		WAITING,

		/** Held: updates wait (unless the manager reports the lock unavailable or lost). */
		HELD,

		/** Released by code or by shutdown; {@link UpdateLockStartupHold#take()} takes it again. */
		RELEASED,

		/**
		 * Could not be taken for another reason than someone else holding the lock, such as
		 * an unavailable lock under the {@code FAIL} policy; see
		 * {@link UpdateLockStartupHold#failure()}.
		 */
		FAILED

	}

}
