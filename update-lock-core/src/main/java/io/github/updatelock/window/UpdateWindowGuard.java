package io.github.updatelock.window;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import io.github.updatelock.BackgroundHold;
import io.github.updatelock.DurationRules;
import io.github.updatelock.MonotonicClock;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockScheduler;

/**
 * Keeps updates out while every update window is closed: holds a named hold on an
 * {@link UpdateLockManager} while its {@link UpdateWindowSchedule} is closed and releases it
 * while a window is open. Other holds are never touched, so a critical section still blocks
 * updates inside a window.
 * <p>
 * The guard plans one wake-up at a time, at the next transition but never further away
 * than the maximum sleep, and decides afresh from its {@link Clock} on every wake-up: a wall
 * clock that jumps (NTP setting a device's clock after boot, a manual change) is caught on
 * the next wake-up, and the windows then follow the wall clock as it reads: they are times
 * of day, not durations. An {@link #openNow(Duration) operator window} is a duration and
 * lasts its length on the {@link MonotonicClock} whatever the wall clock does. The hold is
 * a {@link BackgroundHold}: decided on the
 * {@link UpdateLockScheduler}'s thread (the manager's unless the builder is given another),
 * tried there without waiting and retried with the manager's backoff while someone else
 * holds the lock (the Supervisor applying an update), so nobody ever blocks on it. Releases
 * happen at once on whichever thread decides them.
 * <p>
 * An operator can {@link #openNow(Duration) open a window now} for a bounded time and
 * {@link #closeNow() end it early}, and the hold can {@link #yieldHold() give way} to an
 * update that waits on it until the next transition. Call {@link #start()} once;
 * {@link #close()} releases the hold and stops the wake-ups. Instances are thread-safe.
 */
public final class UpdateWindowGuard implements AutoCloseable {

	/** The name of the guard's hold unless configured otherwise. */
	public static final String DEFAULT_HOLD_NAME = "update-window";

	private static final System.Logger logger = System.getLogger(UpdateWindowGuard.class.getName());

	/** A longer sleep would only delay noticing a clock jump; a day is far beyond any sensible cap. */
	private static final Duration LONGEST_MAX_SLEEP = Duration.ofDays(1);

	private final UpdateLockManager manager;

	private final UpdateWindowSchedule schedule;

	private final String holdName;

	private final Clock clock;

	private final MonotonicClock monotonicClock;

	private final UpdateLockScheduler scheduler;

	private final Duration maxSleep;

	private final Duration maxOperatorWindow;

	private final Duration retryInterval;

	private final BackgroundHold hold;

	/**
	 * Guards the fields below. Never held while the hold is taken or released: that does
	 * file I/O and runs the application's code (its clock, a scheduler it passed), and a
	 * reader of the {@link #state()} must not wait for either.
	 */
	private final ReentrantLock lock = new ReentrantLock();

	/** What the guard wants of its hold: decided under the lock, carried out without it by {@link #applyIntent()}. */
	private Intent intent = Intent.UNWANT;

	/** Counts the decisions, so that carrying one out can tell whether a newer one came meanwhile. */
	private long decisions;

	private OperatorWindow operatorWindow;

	private UpdateLockScheduler.Cancellable wakeUp;

	private boolean started;

	private boolean closed;

	/** While the hold is yielded to a pending update: when the guard may take it again; else {@code null}. */
	private Instant yieldedUntil;

	private Boolean loggedOpen;

	private String loggedFailure;

	private UpdateWindowGuard(Builder builder) {
		this.manager = builder.manager;
		this.schedule = builder.schedule;
		this.holdName = builder.holdName;
		this.clock = builder.clock;
		this.monotonicClock = builder.monotonicClock;
		this.scheduler = (builder.scheduler != null) ? builder.scheduler : builder.manager.scheduler();
		this.maxSleep = builder.maxSleep;
		this.maxOperatorWindow = builder.maxOperatorWindow;
		this.retryInterval = builder.retryInterval;
		this.hold = new BackgroundHold(this.manager, this.holdName, this.scheduler);
		this.hold.addListener(this::holdChanged);
	}

	/**
	 * Starts building a guard.
	 * @param manager the manager to hold the lock on
	 * @param schedule the update windows
	 * @return a builder with the defaults described on its methods
	 */
	public static Builder builder(UpdateLockManager manager, UpdateWindowSchedule schedule) {
		return new Builder(manager, schedule);
	}

	/**
	 * Starts guarding: the first decision runs on the scheduler right away, so a closed
	 * schedule takes the hold there, not on the calling thread. Idempotent.
	 * @throws IllegalStateException if the guard is closed
	 */
	public void start() {
		this.lock.lock();
		try {
			requireNotClosed();
			if (!this.started) {
				this.started = true;
				logger.log(Level.INFO, () -> "Update windows: " + this.schedule + "; hold '" + this.holdName
						+ "' keeps updates out while they are closed");
				planWakeUp(Duration.ZERO);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Opens a window now, whatever the schedule says, and releases the guard's hold at once.
	 * A window opened earlier by an operator is replaced. When it ends, the schedule decides
	 * again (and may keep the window open).
	 * @param length how long the window stays open: more than zero and at most the maximum
	 * operator window
	 * @return the state right after opening
	 * @throws IllegalArgumentException if the length is out of bounds
	 * @throws IllegalStateException if the guard is closed
	 */
	public UpdateWindowState openNow(Duration length) {
		if (length == null || length.isNegative() || length.isZero() || length.compareTo(this.maxOperatorWindow) > 0) {
			throw new IllegalArgumentException("An operator update window must last more than zero and at most "
					+ this.maxOperatorWindow + ", was " + length + "; for example PT2H for two hours");
		}
		this.lock.lock();
		try {
			requireNotClosed();
			Instant now = this.clock.instant();
			this.operatorWindow = new OperatorWindow(now, this.monotonicClock.nanoTime(), length);
			// The operator decides now; when the window ends the schedule does, as after any transition.
			this.yieldedUntil = null;
			decide(Intent.UNWANT);
			Optional<Instant> next = nextTransition(now, this.operatorWindow);
			this.loggedOpen = true;
			logger.log(Level.INFO, () -> "Update window opened by an operator for " + length + ", open until "
					+ describe(next) + ": hold '" + this.holdName + "' released, updates may be applied");
			if (this.started) {
				planWakeUp(sleep(now, next));
			}
		}
		finally {
			this.lock.unlock();
		}
		applyIntent();
		return state();
	}

	/**
	 * Ends a window an operator opened; does nothing when none is active. The schedule
	 * decides again at once; if it is closed, the hold is taken on the scheduler's thread,
	 * so the returned state may not show it held yet.
	 * @return the state right after closing
	 * @throws IllegalStateException if the guard is closed
	 */
	public UpdateWindowState closeNow() {
		this.lock.lock();
		try {
			requireNotClosed();
			if (operatorAt(this.clock.instant()) != null) {
				this.operatorWindow = null;
				logger.log(Level.INFO, "Operator update window ended early");
				if (this.started) {
					planWakeUp(Duration.ZERO);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		return state();
	}

	/**
	 * Gives way to an update that waits on the lock: releases the guard's hold now and does
	 * not take it again before the schedule's next transition. The hold is only held while
	 * every window is closed, so that transition is the next opening; from then on the guard
	 * follows the schedule again and takes the hold when that window closes. An operator
	 * window opened in the meantime ends the yield. Other holds are never touched.
	 * @return whether the hold was released; {@code false} when it was not held (a window
	 * is open, the lock could not be taken yet, or the guard is closed)
	 */
	public boolean yieldHold() {
		this.lock.lock();
		try {
			if (this.closed || this.hold.state() != BackgroundHold.State.HELD) {
				return false;
			}
			Instant now = this.clock.instant();
			Optional<Instant> next = nextTransition(now, operatorAt(now));
			// Without a transition ahead the windows never open again: the yield lasts until an operator acts.
			this.yieldedUntil = next.orElse(Instant.MAX);
			decide(Intent.YIELD);
			logger.log(Level.INFO, () -> "Hold '" + this.holdName + "' yielded to a pending update; taken again "
					+ "when a window has opened and closed (next transition " + describe(next) + ")");
		}
		finally {
			this.lock.unlock();
		}
		applyIntent();
		return true;
	}

	/**
	 * The state now. Does no file I/O.
	 * @return an immutable state
	 */
	public UpdateWindowState state() {
		this.lock.lock();
		try {
			Instant now = this.clock.instant();
			OperatorWindow operator = operatorAt(now);
			boolean open = isOpen(now, operator);
			Instant next = nextTransition(now, operator).orElse(null);
			boolean held = this.hold.state() == BackgroundHold.State.HELD;
			boolean yielded = this.yieldedUntil != null && now.isBefore(this.yieldedUntil);
			return new UpdateWindowState(now, open, reason(operator), open ? next : null, open ? null : next, next,
					(operator != null) ? operator.end() : null, held, (open || held) ? null : this.hold.blocker(),
					yielded);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The update windows this guard follows.
	 * @return the schedule
	 */
	public UpdateWindowSchedule schedule() {
		return this.schedule;
	}

	/**
	 * The name of the guard's hold, as shown in the manager's snapshot.
	 * @return the hold name
	 */
	public String holdName() {
		return this.holdName;
	}

	/**
	 * The longest window {@link #openNow(Duration)} accepts.
	 * @return the maximum operator window
	 */
	public Duration maxOperatorWindow() {
		return this.maxOperatorWindow;
	}

	/**
	 * Stops the wake-ups and releases the guard's hold; other holds stay. Idempotent. The
	 * scheduler is left running: it is the manager's or the builder's.
	 */
	@Override
	public void close() {
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (this.wakeUp != null) {
				this.wakeUp.cancel();
				this.wakeUp = null;
			}
			decide(Intent.UNWANT);
		}
		finally {
			this.lock.unlock();
		}
		applyIntent();
	}

	/** One wake-up: decide from the clock, want the hold or not, plan the next wake-up. */
	private void evaluate() {
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			Instant now = this.clock.instant();
			OperatorWindow operator = operatorAt(now);
			if (this.operatorWindow != null && operator == null) {
				logger.log(Level.INFO, "Operator update window ended");
			}
			this.operatorWindow = operator;
			boolean open = isOpen(now, this.operatorWindow);
			Optional<Instant> next = nextTransition(now, this.operatorWindow);
			logIfChanged(open, reason(this.operatorWindow), next);
			// An opening ends a yield even when the clock was set back after it began.
			if (open || (this.yieldedUntil != null && !now.isBefore(this.yieldedUntil))) {
				this.yieldedUntil = null;
			}
			// Planned before wanting the hold, so that a failed try can plan an earlier retry.
			planWakeUp(sleep(now, next));
			if (open) {
				decide(Intent.UNWANT);
			}
			else if (this.yieldedUntil == null) {
				decide(Intent.WANT);
			}
		}
		finally {
			this.lock.unlock();
		}
		applyIntent();
	}

	/** Called under the lock. */
	private void decide(Intent next) {
		this.intent = next;
		this.decisions++;
	}

	/**
	 * Carries out the latest decision, without the lock. Two threads may do so at once (the
	 * scheduler's wake-up, an operator's request): each looks again after acting, and acts
	 * again if a newer decision came meanwhile, so that the hold ends as the last decision says.
	 */
	private void applyIntent() {
		while (true) {
			Intent latest;
			long decision;
			this.lock.lock();
			try {
				latest = this.intent;
				decision = this.decisions;
			}
			finally {
				this.lock.unlock();
			}
			switch (latest) {
				case WANT -> this.hold.want();
				case UNWANT -> this.hold.unwant();
				case YIELD -> this.hold.yieldHold();
			}
			this.lock.lock();
			try {
				if (decision == this.decisions) {
					return;
				}
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/** Follows the hold: logs why it waits, retries a failure, and lets go of a hold no longer wanted. */
	private void holdChanged(BackgroundHold.State state) {
		boolean unwanted = false;
		this.lock.lock();
		try {
			Instant now = this.clock.instant();
			switch (state) {
				case HELD -> {
					this.loggedFailure = null;
					if (this.closed || isOpen(now, operatorAt(now))) {
						// A window opened (or the guard closed) while the hold was taken: it is no longer wanted.
						decide(Intent.UNWANT);
						unwanted = true;
					}
					else {
						logger.log(Level.DEBUG, () -> "Took hold '" + this.holdName + "'");
					}
				}
				case WAITING -> logFailure("the update lock is held by " + this.hold.blocker(), Level.INFO);
				case FAILED -> {
					RuntimeException failure = this.hold.failure();
					logFailure((failure != null) ? failure.getMessage() : "unknown failure", Level.WARNING);
					if (!this.closed) {
						planWakeUp(min(this.retryInterval, sleep(now, nextTransition(now, operatorAt(now)))));
					}
				}
				default -> {
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (unwanted) {
			applyIntent();
		}
	}

	/** Called under the lock. */
	private OperatorWindow operatorAt(Instant now) {
		return (this.operatorWindow != null) ? this.operatorWindow.seenAt(now, this.monotonicClock.nanoTime()) : null;
	}

	/** Whether updates are let in, given the operator window as seen at {@code now}. */
	private boolean isOpen(Instant now, OperatorWindow operator) {
		return operator != null || this.schedule.isOpen(now);
	}

	/** The next change of the combined state: an operator window hands over to the schedule when it ends. */
	private Optional<Instant> nextTransition(Instant now, OperatorWindow operator) {
		if (operator != null) {
			Instant end = operator.end();
			return this.schedule.isOpen(end) ? this.schedule.nextTransition(end) : Optional.of(end);
		}
		return this.schedule.nextTransition(now);
	}

	private UpdateWindowReason reason(OperatorWindow operator) {
		if (operator != null) {
			return UpdateWindowReason.OPERATOR;
		}
		return this.schedule.isEmpty() ? UpdateWindowReason.NO_WINDOWS : UpdateWindowReason.SCHEDULE;
	}

	private Duration sleep(Instant now, Optional<Instant> next) {
		return next.map((at) -> min(this.maxSleep, Duration.between(now, at))).orElse(this.maxSleep);
	}

	/** Called under the lock. */
	private void planWakeUp(Duration delay) {
		if (this.wakeUp != null) {
			this.wakeUp.cancel();
		}
		this.wakeUp = this.scheduler.schedule(this::evaluate, delay.isNegative() ? Duration.ZERO : delay);
	}

	/** Called under the lock. Logs transitions only, not every wake-up. */
	private void logIfChanged(boolean open, UpdateWindowReason reason, Optional<Instant> next) {
		if (this.loggedOpen != null && this.loggedOpen == open) {
			return;
		}
		this.loggedOpen = open;
		String until = describe(next);
		if (open) {
			logger.log(Level.INFO, () -> "Update window open (" + reason + ") until " + until + ": hold '"
					+ this.holdName + "' released, updates may be applied");
		}
		else {
			logger.log(Level.INFO, () -> "Update window closed until " + until + ": holding '" + this.holdName
					+ "' so that updates wait");
		}
	}

	private String describe(Optional<Instant> next) {
		return next.map((at) -> at.atZone(this.schedule.zone()).toString()).orElse("further notice");
	}

	/** Called under the lock. The same failure on every retry is logged once. */
	private void logFailure(String failure, Level level) {
		if (Objects.equals(failure, this.loggedFailure)) {
			logger.log(Level.DEBUG, () -> "Still could not take hold '" + this.holdName + "': " + failure);
			return;
		}
		this.loggedFailure = failure;
		logger.log(level, () -> "Update window closed, but hold '" + this.holdName + "' could not be taken ("
				+ failure + "); retrying");
	}

	private void requireNotClosed() {
		if (this.closed) {
			throw new IllegalStateException("UpdateWindowGuard for hold '" + this.holdName + "' is closed");
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/**
	 * A window an operator opened. Unlike the schedule's windows, which are times of day on
	 * the wall clock, it lasts its length on the monotonic clock: a step of the wall clock
	 * neither ends it early nor keeps it open longer.
	 *
	 * @param openedAt when it opened, on the wall clock as it read after its last step
	 * @param openedNanos when it opened, on the monotonic clock
	 * @param length how long it stays open
	 */
	private record OperatorWindow(Instant openedAt, long openedNanos, Duration length) {

		/** More than the two clocks drift apart between two looks, less than any step worth following. */
		private static final Duration STEP = Duration.ofSeconds(1);

		Instant end() {
			return this.openedAt.plus(this.length);
		}

		/**
		 * The window as seen now: {@code null} once its length has passed on the monotonic
		 * clock. After a step of the wall clock it is dated anew on the wall clock as that
		 * reads now, so that its end, which the wake-ups are planned for and the state shows,
		 * moves with the step; between steps the end shown stays the same instant.
		 */
		OperatorWindow seenAt(Instant now, long nowNanos) {
			Duration open = Duration.ofNanos(nowNanos - this.openedNanos);
			if (open.compareTo(this.length) >= 0) {
				return null;
			}
			Instant openedByWallClockNow = now.minus(open);
			boolean stepped = Duration.between(this.openedAt, openedByWallClockNow).abs().compareTo(STEP) > 0;
			return stepped ? new OperatorWindow(openedByWallClockNow, this.openedNanos, this.length) : this;
		}

	}

	/**
	 * Builds an {@link UpdateWindowGuard}.
	 */
	public static final class Builder {

		private final UpdateLockManager manager;

		private final UpdateWindowSchedule schedule;

		private String holdName = DEFAULT_HOLD_NAME;

		private Clock clock = Clock.systemUTC();

		private MonotonicClock monotonicClock = MonotonicClock.SYSTEM;

		private UpdateLockScheduler scheduler;

		private Duration maxSleep = Duration.ofMinutes(1);

		private Duration maxOperatorWindow = Duration.ofHours(24);

		private Duration retryInterval = Duration.ofSeconds(1);

		private Builder(UpdateLockManager manager, UpdateWindowSchedule schedule) {
			this.manager = Objects.requireNonNull(manager, "manager");
			this.schedule = Objects.requireNonNull(schedule, "schedule");
		}

		/**
		 * The name of the guard's hold. Default: {@value UpdateWindowGuard#DEFAULT_HOLD_NAME}.
		 * @param holdName not blank
		 * @return this builder
		 */
		public Builder holdName(String holdName) {
			if (holdName == null || holdName.isBlank()) {
				throw new IllegalArgumentException("holdName must not be blank, was '" + holdName + "'");
			}
			this.holdName = holdName;
			return this;
		}

		/**
		 * The clock the windows are judged by. Default: the UTC system clock (the zone comes
		 * from the schedule).
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * The clock an operator window's length is measured with, so that a step of the
		 * wall clock neither ends it early nor keeps it open longer. Default:
		 * {@link MonotonicClock#SYSTEM}.
		 * @param monotonicClock the clock
		 * @return this builder
		 */
		public Builder monotonicClock(MonotonicClock monotonicClock) {
			this.monotonicClock = Objects.requireNonNull(monotonicClock, "monotonicClock");
			return this;
		}

		/**
		 * Where wake-ups and the hold's tries run. Default: the manager's
		 * {@link UpdateLockManager#scheduler() scheduler}.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(UpdateLockScheduler scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
			return this;
		}

		/**
		 * The longest time between two wake-ups, which bounds how late a wall-clock jump is
		 * noticed. Default: 1 minute.
		 * @param maxSleep more than zero, at most one day
		 * @return this builder
		 */
		public Builder maxSleep(Duration maxSleep) {
			this.maxSleep = DurationRules.requirePositiveAtMost(maxSleep, "maxSleep", LONGEST_MAX_SLEEP);
			return this;
		}

		/**
		 * The longest window {@link UpdateWindowGuard#openNow(Duration)} accepts. Default: 24 hours.
		 * @param maxOperatorWindow more than zero
		 * @return this builder
		 */
		public Builder maxOperatorWindow(Duration maxOperatorWindow) {
			this.maxOperatorWindow = DurationRules.requirePositive(maxOperatorWindow, "maxOperatorWindow");
			return this;
		}

		/**
		 * The pause before trying again after an attempt failed for another reason than
		 * someone else holding the lock (that is retried with the manager's backoff). Default: 1 second.
		 * @param retryInterval more than zero
		 * @return this builder
		 */
		public Builder retryInterval(Duration retryInterval) {
			this.retryInterval = DurationRules.requirePositive(retryInterval, "retryInterval");
			return this;
		}

		/**
		 * Builds the guard; call {@link UpdateWindowGuard#start()} to start guarding.
		 * @return a new guard
		 */
		public UpdateWindowGuard build() {
			return new UpdateWindowGuard(this);
		}

	}

	/** What the guard wants of its hold. */
	private enum Intent {

		WANT, UNWANT, YIELD

	}

}
