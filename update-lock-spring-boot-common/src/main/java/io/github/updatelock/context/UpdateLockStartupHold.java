package io.github.updatelock.context;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.github.updatelock.BackgroundHold;
import io.github.updatelock.UpdateLockManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The named hold an application takes as it starts ({@code update-lock.hold-on-startup}),
 * and that code can release and take again, for example to let updates in only at
 * moments of its own choosing.
 * <p>
 * Taking it never fails because someone else holds the lock: right after the Supervisor
 * starts a container it still holds its own lock, so the hold is then a {@link BackgroundHold}
 * that the manager's scheduler keeps trying, with the manager's capped backoff
 * ({@code update-lock.max-backoff}), until the lock is free. Meanwhile the state is
 * {@link State#WAITING} and the manager's status {@code WAITING}.
 * <p>
 * The state describes the hold, not the file: a held startup hold whose lock file was taken
 * away by an override stays {@link State#HELD}, while the manager reports {@code LOST}.
 * Thread-safe.
 */
public final class UpdateLockStartupHold {

	private static final Log logger = LogFactory.getLog(UpdateLockStartupHold.class);

	private final UpdateLockManager manager;

	private final BackgroundHold hold;

	/** Whether the hold was ever taken, which tells {@link State#DISABLED} from {@link State#RELEASED}. */
	private volatile boolean taken;

	/** When the last {@link #take()} began ({@link System#nanoTime()}), for the log line once it is held. */
	private volatile long takeStarted;

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
		this.hold = new BackgroundHold(manager, name);
		this.hold.addListener(this::holdChanged);
	}

	/**
	 * The hold's name.
	 * @return the name shown in snapshots and events
	 */
	public String name() {
		return this.hold.name();
	}

	/**
	 * What the startup hold is doing now.
	 * @return the state
	 */
	public State state() {
		return switch (this.hold.state()) {
			case WAITING -> State.WAITING;
			case HELD -> State.HELD;
			case FAILED -> State.FAILED;
			// Released by code, by a yield to an update, or by the manager's close.
			case IDLE, YIELDED, CLOSED -> this.taken ? State.RELEASED : State.DISABLED;
		};
	}

	/**
	 * Why the last attempt failed.
	 * @return the failure in state {@link State#FAILED}, otherwise {@code null}
	 */
	public RuntimeException failure() {
		return this.hold.failure();
	}

	/**
	 * Takes the hold: at once when the lock is free or already ours (state
	 * {@link State#HELD} when this returns), otherwise in the background (state
	 * {@link State#WAITING} until the lock is free). Returns after the first try. Does
	 * nothing while the hold is held or being taken.
	 */
	public void take() {
		this.taken = true;
		this.takeStarted = System.nanoTime();
		this.hold.want();
	}

	/**
	 * Waits until the hold is held, or is no longer being taken, or the timeout passes.
	 * @param timeout the longest wait
	 * @return whether the hold is held
	 */
	public boolean awaitHeld(Duration timeout) {
		return this.hold.awaitHeld(timeout);
	}

	/**
	 * Releases the hold, or stops taking it. Does nothing when it is neither held nor being
	 * taken.
	 */
	public void release() {
		this.hold.unwant();
	}

	private void holdChanged(BackgroundHold.State state) {
		if (state == BackgroundHold.State.FAILED) {
			RuntimeException failed = this.hold.failure();
			logger.warn("Could not take the startup hold '" + name() + "' on " + this.manager.path() + ": "
					+ ((failed != null) ? failed.getMessage() : "unknown failure"));
		}
		else if (state == BackgroundHold.State.HELD && logger.isInfoEnabled()) {
			long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.takeStarted);
			if (waited >= 1000) {
				logger.info("Took the startup hold '" + name() + "' on " + this.manager.path() + " after waiting "
						+ waited + " ms");
			}
		}
	}

	@Override
	public String toString() {
		return "UpdateLockStartupHold[" + name() + ", " + state() + "]";
	}

	/**
	 * The states of the startup hold. The names are public API: endpoints and logs show them.
	 */
	public enum State {

		/** Not taken at startup ({@code update-lock.hold-on-startup} is off) and never taken since. */
		DISABLED,

		/** Being taken: someone else holds the lock and the manager's scheduler keeps trying. */
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
