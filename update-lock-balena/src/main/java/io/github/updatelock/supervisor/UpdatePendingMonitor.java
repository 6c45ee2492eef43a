package io.github.updatelock.supervisor;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.DurationRules;
import io.github.updatelock.MonotonicClock;
import io.github.updatelock.UpdateLockListener;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockScheduler;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.balena.internal.FailureLogThrottle;
import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockWaitingEvent;

/**
 * Watches the Supervisor API for updates that wait on this process's update lock.
 * <p>
 * It polls {@code GET /v2/applications/state} and {@code GET /v1/device} every poll
 * interval, <strong>only while the lock is {@code HELD} or {@code WAITING}</strong>: it
 * starts when the manager reports the lock taken or awaited, and each poll first checks the
 * manager's snapshot and stops for good when the lock is no longer held or awaited, without
 * a request. From the answers it keeps a {@link SupervisorView}, announces each pending update
 * once to its {@link UpdatePendingListener}s, and applies the {@link UpdateYieldPolicy}.
 * <p>
 * It starts no thread: polls run on the manager's {@link UpdateLockManager#scheduler()
 * scheduler}, which they share with the lost-lock watch and the background holds, so they
 * never wait there for an answer. A poll sends its requests and returns; the answer is
 * handled on the scheduler again when it arrives, and only then is the next poll planned,
 * one poll interval later.
 * <p>
 * Nothing is ever thrown into the application: failed polls are shown in the view and
 * logged at most once per error log interval (the first failure at once), with one line when
 * the Supervisor answers again. Build it with {@link #builder(UpdateLockManager, SupervisorClient)};
 * it runs until {@link #close()}.
 */
public final class UpdatePendingMonitor implements AutoCloseable {

	private static final System.Logger defaultLogger = System.getLogger(UpdatePendingMonitor.class.getName());

	private final UpdateLockManager manager;

	private final SupervisorClient client;

	private final Duration pollInterval;

	private final UpdateYieldPolicy yieldPolicy;

	private final HoldYielder holdYielder;

	private final UpdateLockScheduler scheduler;

	private final Clock clock;

	private final MonotonicClock monotonicClock;

	private final System.Logger logger;

	private final List<UpdatePendingListener> listeners = new CopyOnWriteArrayList<>();

	private final UpdateLockListener lockListener = this::onLockEvent;

	/**
	 * Guards {@link #polling}, {@link #nextStep}, {@link #closed} and every write of
	 * {@link #view}; never held during I/O.
	 */
	private final ReentrantLock stateLock = new ReentrantLock();

	private volatile SupervisorView view = SupervisorView.NOT_POLLED;

	/**
	 * Whether a chain of polls runs: each step plans the next one, so there is never more than
	 * one chain, and a new one starts only after the last stopped.
	 */
	private boolean polling;

	/** The chain's planned step (a poll, or the handling of its answer), cancelled on close. */
	private UpdateLockScheduler.Cancellable nextStep;

	private boolean closed;

	// Poll state, touched only by the chain's steps, one after the other.

	private String announced;

	private boolean inPendingStretch;

	private long pendingStretches;

	private Instant pendingSince;

	/** When the pending stretch began on the monotonic clock, which the maximum deferral counts from. */
	private long pendingSinceNanos;

	private long pendingUpdates;

	private int failuresSinceSuccess;

	private final FailureLogThrottle failureLog;

	private UpdatePendingMonitor(Builder builder) {
		this.manager = builder.manager;
		this.client = builder.client;
		this.pollInterval = builder.client.settings().pollInterval();
		this.yieldPolicy = builder.yieldPolicy;
		this.holdYielder = builder.holdYielder;
		this.clock = builder.clock;
		this.monotonicClock = builder.monotonicClock;
		this.failureLog = new FailureLogThrottle(builder.errorLogInterval, "failed polls");
		this.logger = builder.logger;
		this.listeners.addAll(builder.listeners);
		this.scheduler = (builder.scheduler != null) ? builder.scheduler : builder.manager.scheduler();
	}

	/**
	 * Starts building a monitor.
	 * @param manager the lock whose status decides when to poll, and whose holds are yielded
	 * @param client the Supervisor API client; its settings give the poll interval
	 * @return a builder
	 */
	public static Builder builder(UpdateLockManager manager, SupervisorClient client) {
		return new Builder(manager, client);
	}

	/**
	 * What is known of the Supervisor now.
	 * @return an immutable view
	 */
	public SupervisorView view() {
		return this.view;
	}

	/**
	 * Registers a listener for pending updates.
	 * @param listener the listener
	 */
	public void addListener(UpdatePendingListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	public void removeListener(UpdatePendingListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Stops polling and listening to the manager; an answer still on its way is ignored.
	 * Holds are left as they are. Idempotent.
	 */
	@Override
	public void close() {
		this.stateLock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			stopPolling();
		}
		finally {
			this.stateLock.unlock();
		}
		this.manager.removeListener(this.lockListener);
	}

	@Override
	public String toString() {
		return "UpdatePendingMonitor[" + this.client.settings().address() + ", every " + this.pollInterval + "]";
	}

	private void start() {
		this.manager.addListener(this.lockListener);
		this.logger.log(Level.INFO, () -> "Watching the Supervisor API at " + this.client.settings().address()
				+ " for pending updates while update lock " + this.manager.path() + " is held or awaited (every "
				+ this.pollInterval + ", yield " + describe(this.yieldPolicy) + ")");
		if (isPollable(this.manager.snapshot().status())) {
			startPolling();
		}
	}

	/**
	 * Runs on the manager's event thread: it only plans, the poll runs on the
	 * scheduler. Other events need nothing: each poll checks the status itself.
	 */
	private void onLockEvent(UpdateLockEvent event) {
		if (event instanceof UpdateLockAcquiredEvent || event instanceof UpdateLockWaitingEvent) {
			startPolling();
		}
	}

	private void startPolling() {
		this.stateLock.lock();
		try {
			if (this.closed || this.polling) {
				return;
			}
			this.polling = true;
			this.view = this.view.withPolling(true);
			this.nextStep = this.scheduler.schedule(this::pollSafely, Duration.ZERO);
		}
		finally {
			this.stateLock.unlock();
		}
	}

	/** Called under the state lock. */
	private void stopPolling() {
		if (this.polling) {
			this.polling = false;
			this.nextStep.cancel();
			this.nextStep = null;
			this.view = this.view.withPolling(false);
		}
	}

	/**
	 * Decides under the state lock, so that it cannot end a chain that an acquisition has just
	 * found running: the manager announces a status only after it changed.
	 */
	private boolean shouldPoll() {
		this.stateLock.lock();
		try {
			if (!this.closed && isPollable(this.manager.snapshot().status())) {
				return true;
			}
			stopPolling();
			return false;
		}
		finally {
			this.stateLock.unlock();
		}
	}

	/** Plans a step of the running chain; does nothing once it stopped. */
	private void plan(Runnable step, Duration delay) {
		this.stateLock.lock();
		try {
			if (this.polling) {
				this.nextStep = this.scheduler.schedule(step, delay);
			}
		}
		finally {
			this.stateLock.unlock();
		}
	}

	/**
	 * Sends the poll's requests without waiting for them. Nothing may escape: the chain would
	 * end without a next poll.
	 */
	private void pollSafely() {
		try {
			if (shouldPoll()) {
				read().whenComplete((reading, failure) -> plan(() -> answered(reading, failure), Duration.ZERO));
			}
		}
		catch (RuntimeException ex) {
			this.logger.log(Level.WARNING, "Supervisor API poll failed unexpectedly; polling goes on", ex);
			plan(this::pollSafely, this.pollInterval);
		}
	}

	/** Asks for the device only once the applications answered, as a blocking poll would. */
	private CompletableFuture<SupervisorReading> read() {
		return this.client.applicationsStateAsync()
			.thenCompose((applications) -> this.client.deviceAsync()
				.thenApply((device) -> new SupervisorReading(applications, device)));
	}

	/** Runs on the scheduler: handles a poll's answer, then plans the next poll. */
	private void answered(SupervisorReading reading, Throwable failure) {
		try {
			if (reading != null) {
				recordReading(reading);
			}
			else if (unwrap(failure) instanceof SupervisorApiException ex) {
				recordFailure(ex);
			}
			else {
				this.logger.log(Level.WARNING, "Supervisor API poll failed unexpectedly; polling goes on", failure);
			}
		}
		catch (RuntimeException ex) {
			this.logger.log(Level.WARNING, "Supervisor API poll failed unexpectedly; polling goes on", ex);
		}
		plan(this::pollSafely, this.pollInterval);
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	private void recordFailure(SupervisorApiException failure) {
		Instant now = this.clock.instant();
		long nowNanos = this.monotonicClock.nanoTime();
		this.failuresSinceSuccess++;
		updateView((current) -> current.withFailure(now, failure));
		String unlogged = this.failureLog.failed(now, nowNanos);
		if (unlogged != null) {
			this.logger.log(Level.WARNING, failure.getMessage() + "; pending updates cannot be seen, polling again "
					+ "every " + this.pollInterval + unlogged);
		}
	}

	private void recordReading(SupervisorReading reading) {
		Instant now = this.clock.instant();
		if (this.failuresSinceSuccess > 0) {
			int failures = this.failuresSinceSuccess;
			this.logger.log(Level.INFO, () -> "Supervisor API at " + this.client.settings().address()
					+ " answers again after " + failures + " failed polls");
		}
		this.failuresSinceSuccess = 0;
		this.failureLog.succeeded();
		UpdatePendingEvent event = null;
		List<String> holds = holdNames();
		if (reading.updatePending()) {
			if (!this.inPendingStretch) {
				this.inPendingStretch = true;
				this.pendingStretches++;
				this.pendingSince = now;
				this.pendingSinceNanos = this.monotonicClock.nanoTime();
			}
			String release = reading.pendingRelease();
			String identity = (release != null) ? "release " + release : "pending stretch " + this.pendingStretches;
			if (!identity.equals(this.announced)) {
				this.announced = identity;
				this.pendingUpdates++;
				event = new UpdatePendingEvent(now, reading.targetCommit(), reading.currentCommit(),
						reading.updateStatus(), reading.device().updateFailed(), holds);
			}
		}
		else {
			this.inPendingStretch = false;
			this.pendingSince = null;
		}
		Instant since = this.pendingSince;
		long announcedCount = this.pendingUpdates;
		updateView((current) -> current.withReading(now, reading, since, announcedCount));
		if (event != null) {
			announce(event);
		}
		tellRead(this.view);
		if (reading.updatePending()) {
			yieldIfDue(now);
		}
	}

	private void announce(UpdatePendingEvent event) {
		this.logger.log(Level.INFO, () -> "An update" + ((event.targetCommit() != null) ? " to release "
				+ event.targetCommit() : "") + " is pending and waits on update lock " + this.manager.path()
				+ ((event.holds().isEmpty()) ? "" : " (active holds: " + String.join(", ", event.holds()) + ")"));
		for (UpdatePendingListener listener : this.listeners) {
			try {
				listener.onUpdatePending(event);
			}
			catch (RuntimeException ex) {
				this.logger.log(Level.WARNING, "Pending update listener " + listener + " failed on " + event, ex);
			}
		}
	}

	private void tellRead(SupervisorView current) {
		for (UpdatePendingListener listener : this.listeners) {
			try {
				listener.onSupervisorRead(current);
			}
			catch (RuntimeException ex) {
				this.logger.log(Level.WARNING, "Pending update listener " + listener + " failed on a reading", ex);
			}
		}
	}

	/**
	 * Yields the policy's holds when no other hold is active, or once the update has waited
	 * the maximum deferral. Other holds are never touched.
	 */
	private void yieldIfDue(Instant now) {
		if (this.yieldPolicy.mode() != UpdateYieldMode.WHEN_IDLE) {
			return;
		}
		List<String> active = holdNames();
		List<String> yieldable = active.stream().filter(this.yieldPolicy::yields).distinct().toList();
		if (yieldable.isEmpty()) {
			return;
		}
		List<String> others = active.stream().filter((name) -> !this.yieldPolicy.yields(name)).toList();
		Duration maxDeferral = this.yieldPolicy.maxDeferral();
		// Counted on the monotonic clock: a wall clock stepped by days must not make the update overdue at once.
		boolean overdue = maxDeferral != null && this.pendingSince != null
				&& this.monotonicClock.nanoTime() - this.pendingSinceNanos >= maxDeferral.toNanos();
		if (!others.isEmpty() && !overdue) {
			return;
		}
		List<String> released = new ArrayList<>();
		for (String name : yieldable) {
			try {
				if (this.holdYielder.yieldHolds(name)) {
					released.add(name);
				}
			}
			catch (RuntimeException ex) {
				this.logger.log(Level.WARNING, "Could not yield hold '" + name + "' to the pending update", ex);
			}
		}
		if (released.isEmpty()) {
			return;
		}
		updateView((current) -> current.withYieldAt(now));
		this.logger.log(Level.INFO, () -> "Yielded hold(s) " + released + " to the pending update" + (others.isEmpty()
				? ": no other hold was active" : " after " + maxDeferral + "; it proceeds when " + others + " end"));
	}

	private List<String> holdNames() {
		return this.manager.snapshot().holds().stream().map(ActiveHold::name).toList();
	}

	private void updateView(UnaryOperator<SupervisorView> change) {
		this.stateLock.lock();
		try {
			this.view = change.apply(this.view);
		}
		finally {
			this.stateLock.unlock();
		}
	}

	private static boolean isPollable(UpdateLockStatus status) {
		return status == UpdateLockStatus.HELD || status == UpdateLockStatus.WAITING;
	}

	private static String describe(UpdateYieldPolicy policy) {
		if (policy.mode() == UpdateYieldMode.NEVER) {
			return "never";
		}
		return "when idle " + policy.holdNames()
				+ ((policy.maxDeferral() != null) ? " or after " + policy.maxDeferral() : "");
	}

	/**
	 * Builds an {@link UpdatePendingMonitor}.
	 */
	public static final class Builder {

		private final UpdateLockManager manager;

		private final SupervisorClient client;

		private UpdateYieldPolicy yieldPolicy = UpdateYieldPolicy.never();

		private HoldYielder holdYielder;

		private UpdateLockScheduler scheduler;

		private Clock clock = Clock.systemUTC();

		private MonotonicClock monotonicClock = MonotonicClock.SYSTEM;

		private Duration errorLogInterval = Duration.ofMinutes(10);

		private System.Logger logger = defaultLogger;

		private final List<UpdatePendingListener> listeners = new ArrayList<>();

		private Builder(UpdateLockManager manager, SupervisorClient client) {
			this.manager = Objects.requireNonNull(manager, "manager");
			this.client = Objects.requireNonNull(client, "client");
		}

		/**
		 * How to give way to pending updates. Default: {@link UpdateYieldPolicy#never()}.
		 * @param yieldPolicy the policy
		 * @return this builder
		 */
		public Builder yieldPolicy(UpdateYieldPolicy yieldPolicy) {
			this.yieldPolicy = Objects.requireNonNull(yieldPolicy, "yieldPolicy");
			return this;
		}

		/**
		 * What releases the yieldable holds; required when the policy yields.
		 * @param holdYielder the yielder
		 * @return this builder
		 */
		public Builder holdYielder(HoldYielder holdYielder) {
			this.holdYielder = Objects.requireNonNull(holdYielder, "holdYielder");
			return this;
		}

		/**
		 * Where polls and the handling of their answers run. Default: the manager's
		 * {@link UpdateLockManager#scheduler() scheduler}.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(UpdateLockScheduler scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
			return this;
		}

		/**
		 * The wall clock for the times shown in the view, the log and the events. Default:
		 * the UTC system clock.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * The clock the error log interval and the maximum deferral are measured with, so
		 * that a step of the wall clock does not change them. Default:
		 * {@link MonotonicClock#SYSTEM}.
		 * @param monotonicClock the clock
		 * @return this builder
		 */
		public Builder monotonicClock(MonotonicClock monotonicClock) {
			this.monotonicClock = Objects.requireNonNull(monotonicClock, "monotonicClock");
			return this;
		}

		/**
		 * The shortest time between two logged poll failures; the first one is always
		 * logged. Default: 10 minutes.
		 * @param errorLogInterval more than zero
		 * @return this builder
		 */
		public Builder errorLogInterval(Duration errorLogInterval) {
			this.errorLogInterval = DurationRules.requirePositive(errorLogInterval, "errorLogInterval");
			return this;
		}

		/**
		 * Adds a listener for pending updates.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(UpdatePendingListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/** For tests only: where the monitor logs. */
		Builder logger(System.Logger logger) {
			this.logger = Objects.requireNonNull(logger, "logger");
			return this;
		}

		/**
		 * Builds the monitor and starts watching: it polls at once if the lock is already
		 * held or awaited.
		 * @return a running monitor
		 * @throws IllegalStateException if the policy yields holds and no yielder was given
		 */
		public UpdatePendingMonitor build() {
			if (this.yieldPolicy.mode() != UpdateYieldMode.NEVER && this.holdYielder == null) {
				throw new IllegalStateException("holdYielder is required when the yield policy is "
						+ this.yieldPolicy.mode());
			}
			UpdatePendingMonitor monitor = new UpdatePendingMonitor(this);
			monitor.start();
			return monitor;
		}

	}

}
