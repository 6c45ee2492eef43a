package io.github.updatelock.fleet;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import io.github.updatelock.DurationRules;
import io.github.updatelock.MonotonicClock;
import io.github.updatelock.UpdateLockListener;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockScheduler;
import io.github.updatelock.UpdateLockSnapshot;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.supervisor.UpdatePendingEvent;
import io.github.updatelock.supervisor.UpdatePendingListener;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import org.jspecify.annotations.Nullable;

/**
 * Shows the update lock's state in balenaCloud as device tags (see {@link FleetTags}), so
 * that a fleet operator sees which devices hold back a release, for what work and since when.
 * <p>
 * <strong>Never in the lock's way.</strong> An event of the manager (or a pending update from
 * an {@link UpdatePendingMonitor}) only marks the tags as possibly changed and plans a step on
 * the manager's {@link UpdateLockManager#scheduler() scheduler}; no thread is started, and a
 * hold never waits for the network. A step works out the tags from a snapshot, compares them
 * with the tags as last written, and sends at most one request; its answer is handled on the
 * HTTP client's threads, and only then is the next step planned. So there is never more than
 * one request in flight.
 * <p>
 * <strong>Coalescing.</strong> Each tag is written at most once per {@code minInterval}, and a
 * change is written within one {@code minInterval} (a change while a step is planned waits for
 * that step), with the state of that moment, so the tags always end up showing the latest state
 * and a burst of holds costs one write per tag, and each hold no more than a look at a field.
 * <p>
 * <strong>Start.</strong> The device id is resolved once ({@code GET /v7/device}), retried with
 * the backoff below. Tags left by an earlier run are not known to this one: the first step
 * creates the tags it wants (an existing one is updated) and removes the others of its
 * prefix, so a crashed run's tags are overwritten by the next start.
 * <p>
 * <strong>Failures</strong> never reach the application: they are shown in {@link #state()},
 * logged at most once per error log interval (the first at once, and one line when the API
 * answers again), and retried after a backoff: 30 s doubling
 * up to 15 min, so a network that is down for a day costs at most
 * four attempts an hour; an HTTP 429 waits as its {@code Retry-After} says (at most
 * {@link BalenaApiClient#MAX_RETRY_AFTER}); a refused key or an unknown device waits the
 * longest backoff at once, since only a change outside this process can help. Every wait is
 * lengthened by a random fraction of up to {@link #MAX_JITTER}, so that the devices of a
 * fleet that lost the network, or were rate-limited, together do not all call again in the
 * same second.
 * <p>
 * <strong>Close.</strong> On {@link #close()} the tags are removed (unless switched off in the
 * builder), so that a stopped application leaves no stale {@code HELD} in the dashboard: the
 * request in flight, if any, is awaited and the tags deleted in parallel, all within the
 * request timeout, never longer; what is not done by then stays. A crash leaves the tags; the
 * next start overwrites them. Build it with {@link #builder(UpdateLockManager, BalenaApiSettings)}.
 */
public final class FleetTagPublisher implements AutoCloseable {

	/** The minimum interval between two writes of one tag unless configured. */
	public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(30);

	/** The wait after a first failure; it doubles with each further failure. */
	public static final Duration INITIAL_BACKOFF = Duration.ofSeconds(30);

	/** The longest wait between two attempts, unless a {@code Retry-After} asks for more (before the jitter). */
	public static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

	/** The largest fraction by which a wait after a failure is lengthened at random. */
	public static final double MAX_JITTER = 0.25;

	private static final System.Logger defaultLogger = System.getLogger(FleetTagPublisher.class.getName());

	private final UpdateLockManager manager;

	private final BalenaApiClient client;

	private final FleetTags tags;

	private final Duration minInterval;

	private final Clock clock;

	private final MonotonicClock monotonicClock;

	private final UpdateLockScheduler scheduler;

	private final @Nullable UpdatePendingMonitor pendingMonitor;

	private final boolean removeTagsOnClose;

	private final Duration errorLogInterval;

	/** The fraction, from 0 up to {@link #MAX_JITTER}, by which the next wait is lengthened. */
	private final DoubleSupplier jitter;

	private final System.Logger logger;

	private final UpdateLockListener lockListener = this::onLockEvent;

	private final UpdatePendingListener pendingListener = this::onUpdatePending;

	/** Guards every field below; never held during I/O, nor while the manager is asked for a snapshot. */
	private final ReentrantLock stateLock = new ReentrantLock();

	private boolean closed;

	private UpdateLockScheduler.@Nullable Cancellable nextStep;

	private @Nullable CompletableFuture<?> inFlight;

	private @Nullable UpdatePendingEvent pending;

	private @Nullable Long deviceId;

	/** The tags as the API confirmed them. */
	private final Map<String, String> written = new LinkedHashMap<>();

	/** Keys whose state in balenaCloud is not known yet: an earlier run may have left them. */
	private final Set<String> unknown = new LinkedHashSet<>();

	/** When each tag was last written, on the monotonic clock. */
	private final Map<String, Long> lastWrites = new HashMap<>();

	/** When the backoff ends, for display; {@link #backoffEndsNanos} decides. */
	private @Nullable Instant backoffUntil;

	/** When the backoff ends on the monotonic clock; meaningful while {@link #backoffUntil} is set. */
	private long backoffEndsNanos;

	private int consecutiveFailures;

	private @Nullable Instant lastPublishedAt;

	private @Nullable BalenaApiException lastError;

	private @Nullable Instant lastErrorAt;

	private long writes;

	private long failures;

	private @Nullable Instant lastFailureLogged;

	/** When the last failure was logged on the monotonic clock; meaningful while {@link #lastFailureLogged} is set. */
	private long lastFailureLoggedNanos;

	private int unloggedFailures;

	private volatile FleetPublisherState state;

	private FleetTagPublisher(Builder builder) {
		this.manager = builder.manager;
		this.clock = builder.clock;
		this.monotonicClock = builder.monotonicClock;
		this.client = new BalenaApiClient(builder.settings, builder.clock);
		this.tags = new FleetTags(builder.tagPrefix);
		this.minInterval = builder.minInterval;
		this.scheduler = (builder.scheduler != null) ? builder.scheduler : builder.manager.scheduler();
		this.pendingMonitor = builder.pendingMonitor;
		this.removeTagsOnClose = builder.removeTagsOnClose;
		this.errorLogInterval = builder.errorLogInterval;
		this.jitter = builder.jitter;
		this.logger = builder.logger;
		this.unknown.addAll(this.tags.keys());
		this.state = buildState();
	}

	/**
	 * Starts building a publisher.
	 * @param manager the lock whose state is shown
	 * @param settings where the balenaCloud API is, the device key and the device's uuid
	 * @return a builder
	 */
	public static Builder builder(UpdateLockManager manager, BalenaApiSettings settings) {
		return new Builder(manager, settings);
	}

	/**
	 * What the publisher has done so far.
	 * @return an immutable state
	 */
	public FleetPublisherState state() {
		return this.state;
	}

	/**
	 * The tags this publisher writes.
	 * @return the tags and their keys
	 */
	public FleetTags tags() {
		return this.tags;
	}

	/** For tests: whether a request is on its way; its answer plans the next step. */
	boolean requestInFlight() {
		this.stateLock.lock();
		try {
			return this.inFlight != null;
		}
		finally {
			this.stateLock.unlock();
		}
	}

	/**
	 * Stops publishing and, unless switched off, removes the tags within the request timeout
	 * (see the class description). Never throws; idempotent.
	 */
	@Override
	public void close() {
		Long id;
		CompletableFuture<?> running;
		this.stateLock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			cancelNextStep();
			id = this.deviceId;
			running = this.inFlight;
		}
		finally {
			this.stateLock.unlock();
		}
		this.manager.removeListener(this.lockListener);
		if (this.pendingMonitor != null) {
			this.pendingMonitor.removeListener(this.pendingListener);
		}
		if (this.removeTagsOnClose && id != null) {
			removeTags(id, running);
		}
	}

	@Override
	public String toString() {
		return "FleetTagPublisher[" + this.tags.prefix() + ".* of device " + this.client.settings().deviceUuid()
				+ " at " + this.client.settings().apiUrl() + "]";
	}

	private void start() {
		this.manager.addListener(this.lockListener);
		if (this.pendingMonitor != null) {
			this.pendingMonitor.addListener(this.pendingListener);
		}
		this.logger.log(Level.INFO, () -> "Publishing update lock " + this.manager.path() + " as balenaCloud device tags "
				+ this.tags.prefix() + ".* of device " + this.client.settings().deviceUuid() + " at "
				+ this.client.settings().apiUrl() + " (each tag at most once every " + this.minInterval + ")");
		markChanged();
	}

	/** Runs on whichever thread caused the event, maybe a hold's: it only plans. */
	private void onLockEvent(UpdateLockEvent event) {
		if (event instanceof UpdateLockReleasedEvent) {
			// The update no longer waits on this process; a later pending one is announced anew.
			this.stateLock.lock();
			try {
				this.pending = null;
			}
			finally {
				this.stateLock.unlock();
			}
		}
		markChanged();
	}

	private void onUpdatePending(UpdatePendingEvent event) {
		this.stateLock.lock();
		try {
			this.pending = event;
		}
		finally {
			this.stateLock.unlock();
		}
		markChanged();
	}

	/**
	 * Plans a step at once, unless a step is planned already or a request is in flight: that
	 * step, or the one its answer plans, looks at the lock after this change. So a burst of
	 * holds costs each hold no more than this check, and a change waits at most until the
	 * planned step (the end of a tag's minimum interval, or of a backoff).
	 */
	private void markChanged() {
		this.stateLock.lock();
		try {
			if (this.closed || this.inFlight != null || this.nextStep != null) {
				return;
			}
			plan(Duration.ZERO);
		}
		finally {
			this.stateLock.unlock();
		}
	}

	/** Called under the state lock: replaces the planned step. */
	private void plan(Duration delay) {
		if (this.closed) {
			return;
		}
		cancelNextStep();
		this.nextStep = this.scheduler.schedule(this::stepSafely, delay);
	}

	/** Called under the state lock. */
	private void cancelNextStep() {
		if (this.nextStep != null) {
			this.nextStep.cancel();
			this.nextStep = null;
		}
	}

	/** Nothing may escape: the chain of steps would end. */
	private void stepSafely() {
		try {
			step();
		}
		catch (RuntimeException ex) {
			this.logger.log(Level.WARNING, "Publishing the update lock's device tags failed unexpectedly; "
					+ "trying again in " + MAX_BACKOFF, ex);
			this.stateLock.lock();
			try {
				this.inFlight = null;
				plan(MAX_BACKOFF);
			}
			finally {
				this.stateLock.unlock();
			}
		}
	}

	/** Runs on the scheduler: sends at most one request, or plans when the next is due. */
	private void step() {
		this.stateLock.lock();
		try {
			// From here on a change plans a step of its own, which sees it: the snapshot below may be older.
			this.nextStep = null;
		}
		finally {
			this.stateLock.unlock();
		}
		// Asked without the state lock: the manager calls our listener under its own locks.
		UpdateLockSnapshot snapshot = this.manager.snapshot();
		this.stateLock.lock();
		try {
			if (this.closed || this.inFlight != null || this.nextStep != null) {
				return;
			}
			// Waits are measured on the monotonic clock: a step of the wall clock must not stall publishing for days.
			long now = this.monotonicClock.nanoTime();
			if (this.backoffUntil != null && this.backoffEndsNanos - now > 0) {
				plan(Duration.ofNanos(this.backoffEndsNanos - now));
				return;
			}
			if (this.deviceId == null) {
				send(this.client.resolveDeviceId(), this::resolved);
				return;
			}
			Map<String, String> desired = this.tags.desired(snapshot, this.pending);
			Long earliest = null;
			for (String key : this.tags.keys()) {
				String value = desired.get(key);
				if (!this.unknown.contains(key) && Objects.equals(value, this.written.get(key))) {
					continue;
				}
				Long last = this.lastWrites.get(key);
				long due = (last != null) ? last + this.minInterval.toNanos() : now;
				if (due - now <= 0) {
					long id = this.deviceId;
					boolean exists = this.written.containsKey(key);
					CompletableFuture<Void> request = (value != null) ? this.client.setTag(id, key, value, exists)
							: this.client.removeTag(id, key);
					send(request, (ignored) -> written(key, value));
					return;
				}
				earliest = (earliest == null || due - earliest < 0) ? due : earliest;
			}
			if (earliest != null) {
				plan(Duration.ofNanos(earliest - now));
			}
		}
		finally {
			this.stateLock.unlock();
		}
	}

	/**
	 * Called under the state lock, which is fine: the client's calls only hand the exchange
	 * to the JDK client's executor, name resolution and connecting included. The answer is
	 * recorded on the HTTP client's thread (a few field updates), then the next step is
	 * planned on the scheduler.
	 */
	private <T> void send(CompletableFuture<T> request, Consumer<T> onSuccess) {
		this.inFlight = request;
		request.whenComplete((result, failure) -> {
			this.stateLock.lock();
			try {
				this.inFlight = null;
				if (failure == null) {
					onSuccess.accept(result);
					plan(Duration.ZERO);
				}
				else {
					plan(failed(unwrap(failure)));
				}
				this.state = buildState();
			}
			finally {
				this.stateLock.unlock();
			}
		});
	}

	/** Called under the state lock. */
	private void resolved(Long id) {
		this.deviceId = id;
		succeeded();
		this.logger.log(Level.INFO, () -> "Device " + this.client.settings().deviceUuid() + " is " + id
				+ " in balenaCloud");
	}

	/** Called under the state lock. */
	private void written(String key, @Nullable String value) {
		Instant now = this.clock.instant();
		if (value != null) {
			this.written.put(key, value);
		}
		else {
			this.written.remove(key);
		}
		this.unknown.remove(key);
		this.lastWrites.put(key, this.monotonicClock.nanoTime());
		this.lastPublishedAt = now;
		this.writes++;
		succeeded();
	}

	/** Called under the state lock. */
	private void succeeded() {
		if (this.consecutiveFailures > 0) {
			int failed = this.consecutiveFailures;
			this.logger.log(Level.INFO, () -> "balenaCloud API at " + this.client.settings().apiUrl()
					+ " answers again after " + failed + " failed attempts; publishing the device tags goes on");
		}
		this.consecutiveFailures = 0;
		this.backoffUntil = null;
		this.lastError = null;
		this.lastErrorAt = null;
		this.lastFailureLogged = null;
		this.unloggedFailures = 0;
	}

	/**
	 * Called under the state lock.
	 * @return how long to wait before the next attempt
	 */
	private Duration failed(Throwable failure) {
		Instant now = this.clock.instant();
		long nowNanos = this.monotonicClock.nanoTime();
		this.failures++;
		this.consecutiveFailures++;
		BalenaApiException error = (failure instanceof BalenaApiException api) ? api
				: new BalenaApiException(BalenaErrorKind.INVALID_ANSWER, 0, null,
						"unexpected failure: " + failure.getClass().getSimpleName(), failure);
		this.lastError = error;
		this.lastErrorAt = now;
		Duration wait = lengthened(backoff(error, this.consecutiveFailures));
		this.backoffUntil = now.plus(wait);
		this.backoffEndsNanos = nowNanos + wait.toNanos();
		logFailure(error, wait, now, nowNanos);
		return wait;
	}

	static Duration backoff(BalenaApiException error, int consecutiveFailures) {
		return switch (error.getKind()) {
			case UNAUTHORIZED, DEVICE_NOT_FOUND -> MAX_BACKOFF;
			case RATE_LIMITED -> (error.getRetryAfter() != null && !error.getRetryAfter().isZero())
					? error.getRetryAfter() : exponential(consecutiveFailures);
			default -> exponential(consecutiveFailures);
		};
	}

	private Duration lengthened(Duration wait) {
		double fraction = Math.min(Math.max(this.jitter.getAsDouble(), 0), MAX_JITTER);
		return wait.plusNanos((long) (wait.toNanos() * fraction));
	}

	private static Duration exponential(int consecutiveFailures) {
		int doublings = Math.min(consecutiveFailures - 1, 16);
		Duration wait = INITIAL_BACKOFF.multipliedBy(1L << doublings);
		return (wait.compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF : wait;
	}

	private void logFailure(BalenaApiException error, Duration wait, Instant now, long nowNanos) {
		if (this.lastFailureLogged != null
				&& nowNanos - this.lastFailureLoggedNanos < this.errorLogInterval.toNanos()) {
			this.unloggedFailures++;
			return;
		}
		String unlogged = (this.unloggedFailures > 0) ? " (" + this.unloggedFailures + " more failed attempts since "
				+ this.lastFailureLogged + " were not logged)" : "";
		this.logger.log(Level.WARNING, error.getMessage() + "; the update lock's device tags are not up to date, "
				+ "trying again in " + wait + unlogged);
		this.lastFailureLogged = now;
		this.lastFailureLoggedNanos = nowNanos;
		this.unloggedFailures = 0;
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/** Called under the state lock. */
	private FleetPublisherState buildState() {
		BalenaApiException error = this.lastError;
		return new FleetPublisherState(true, this.deviceId, this.lastPublishedAt,
				(error != null) ? error.getKind() : null, (error != null) ? error.getMessage() : null,
				this.lastErrorAt, this.consecutiveFailures, this.backoffUntil, this.written, this.writes,
				this.failures);
	}

	/** Waits for the request in flight, then deletes every tag that may be there, all within the request timeout. */
	private void removeTags(long id, @Nullable CompletableFuture<?> running) {
		long deadline = System.nanoTime() + this.client.settings().requestTimeout().toNanos();
		List<String> keys = new ArrayList<>();
		List<CompletableFuture<Void>> removals = new ArrayList<>();
		try {
			if (running != null) {
				awaitQuietly(running, deadline);
			}
			this.stateLock.lock();
			try {
				keys.addAll(this.written.keySet());
				this.unknown.stream().filter((key) -> !keys.contains(key)).forEach(keys::add);
			}
			finally {
				this.stateLock.unlock();
			}
			for (String key : keys) {
				removals.add(this.client.removeTag(id, key).thenRun(() -> removed(key)));
			}
			CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
				.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			removals.forEach((removal) -> removal.cancel(true));
		}
		catch (TimeoutException ex) {
			removals.forEach((removal) -> removal.cancel(true));
			this.logger.log(Level.WARNING, "Could not remove the update lock's device tags " + keys + " on close (no "
					+ "answer within " + this.client.settings().requestTimeout() + "); they stay until the next start");
		}
		catch (ExecutionException ex) {
			this.logger.log(Level.WARNING, "Could not remove the update lock's device tags " + keys + " on close ("
					+ unwrap(ex.getCause()).getMessage() + "); they stay until the next start");
		}
	}

	private void removed(String key) {
		this.stateLock.lock();
		try {
			this.written.remove(key);
			this.unknown.remove(key);
			this.writes++;
			this.state = buildState();
		}
		finally {
			this.stateLock.unlock();
		}
	}

	private static void awaitQuietly(CompletableFuture<?> running, long deadline)
			throws InterruptedException, TimeoutException {
		try {
			running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			// Its failure is recorded by its own handler; the tags are removed all the same.
		}
	}

	/**
	 * Builds a {@link FleetTagPublisher}.
	 */
	public static final class Builder {

		private final UpdateLockManager manager;

		private final BalenaApiSettings settings;

		private Duration minInterval = DEFAULT_MIN_INTERVAL;

		private String tagPrefix = FleetTags.DEFAULT_PREFIX;

		private Clock clock = Clock.systemUTC();

		private MonotonicClock monotonicClock = MonotonicClock.SYSTEM;

		private @Nullable UpdateLockScheduler scheduler;

		private @Nullable UpdatePendingMonitor pendingMonitor;

		private boolean removeTagsOnClose = true;

		private Duration errorLogInterval = Duration.ofMinutes(10);

		private System.Logger logger = defaultLogger;

		private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble(MAX_JITTER);

		private Builder(UpdateLockManager manager, BalenaApiSettings settings) {
			this.manager = Objects.requireNonNull(manager, "manager");
			this.settings = Objects.requireNonNull(settings, "settings");
		}

		/**
		 * The shortest time between two writes of one tag. Default: 30 seconds.
		 * @param minInterval more than zero
		 * @return this builder
		 */
		public Builder minInterval(Duration minInterval) {
			this.minInterval = DurationRules.requirePositive(minInterval, "minInterval");
			return this;
		}

		/**
		 * The prefix of the tag keys. Default: {@value FleetTags#DEFAULT_PREFIX}.
		 * @param tagPrefix see {@link FleetTags#FleetTags(String)} for what is accepted
		 * @return this builder
		 * @throws IllegalArgumentException if the prefix is not accepted
		 */
		public Builder tagPrefix(String tagPrefix) {
			this.tagPrefix = new FleetTags(tagPrefix).prefix();
			return this;
		}

		/**
		 * The wall clock for the times shown in the state and the log, and for the date in a
		 * {@code Retry-After} header. Default: the UTC system clock.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * The clock the minimum interval, the backoff and the error log interval are
		 * measured with, so that a step of the wall clock does not change them. Default:
		 * {@link MonotonicClock#SYSTEM}.
		 * @param monotonicClock the clock
		 * @return this builder
		 */
		public Builder monotonicClock(MonotonicClock monotonicClock) {
			this.monotonicClock = Objects.requireNonNull(monotonicClock, "monotonicClock");
			return this;
		}

		/**
		 * Where the steps run. Default: the manager's {@link UpdateLockManager#scheduler() scheduler}.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(UpdateLockScheduler scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
			return this;
		}

		/**
		 * Shows the pending updates this monitor reports while the lock is held or awaited.
		 * @param pendingMonitor the monitor
		 * @return this builder
		 */
		public Builder pendingMonitor(UpdatePendingMonitor pendingMonitor) {
			this.pendingMonitor = Objects.requireNonNull(pendingMonitor, "pendingMonitor");
			return this;
		}

		/**
		 * Whether {@link FleetTagPublisher#close()} removes the tags. Default: {@code true}.
		 * @param removeTagsOnClose whether to remove them
		 * @return this builder
		 */
		public Builder removeTagsOnClose(boolean removeTagsOnClose) {
			this.removeTagsOnClose = removeTagsOnClose;
			return this;
		}

		/**
		 * The shortest time between two logged failures; the first one is always logged.
		 * Default: 10 minutes.
		 * @param errorLogInterval more than zero
		 * @return this builder
		 */
		public Builder errorLogInterval(Duration errorLogInterval) {
			this.errorLogInterval = DurationRules.requirePositive(errorLogInterval, "errorLogInterval");
			return this;
		}

		/** For tests only: the fraction each wait after a failure is lengthened by, instead of a random one. */
		Builder jitter(DoubleSupplier jitter) {
			this.jitter = Objects.requireNonNull(jitter, "jitter");
			return this;
		}

		/** For tests only: where the publisher logs. */
		Builder logger(System.Logger logger) {
			this.logger = Objects.requireNonNull(logger, "logger");
			return this;
		}

		/**
		 * Builds the publisher and starts it: its first step, planned at once, resolves the
		 * device id.
		 * @return a running publisher
		 */
		public FleetTagPublisher build() {
			FleetTagPublisher publisher = new FleetTagPublisher(this);
			publisher.start();
			return publisher;
		}

	}

}
