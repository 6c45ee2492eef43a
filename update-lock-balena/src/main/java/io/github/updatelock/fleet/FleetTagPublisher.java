package io.github.updatelock.fleet;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;

import io.github.updatelock.DurationRules;
import io.github.updatelock.MonotonicClock;
import io.github.updatelock.UpdateLockListener;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockScheduler;
import io.github.updatelock.UpdateLockSnapshot;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.SupervisorView;
import io.github.updatelock.supervisor.UpdatePendingEvent;
import io.github.updatelock.supervisor.UpdatePendingListener;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import org.jspecify.annotations.Nullable;

/**
 * Shows what a fleet operator acts on as device tags (see {@link FleetTags}): an update that
 * waits on the lock and the holds that have kept it waiting, a long hold, a lost lock or one that
 * cannot protect. Written through the Supervisor ({@code PATCH /v2/device/tags}, Supervisor
 * 17.8 and later), or straight to balenaCloud as a fallback for older Supervisors.
 * <p>
 * <strong>Quiet.</strong> A step works out the tags from the manager's snapshot and the
 * monitor's view, and sends the ones that differ from what was last written, in one request.
 * Short holds and the lock's coming and going are not shown, so a periodic job with no update
 * waiting causes no write at all after the first, at start. While an update waits, it is one
 * write when it starts waiting, one when it no longer does, and one for each further hold
 * that keeps it waiting; writes are at least {@code minInterval} apart.
 * <p>
 * <strong>Never in the lock's way.</strong> An event only plans a step on the manager's
 * {@link UpdateLockManager#scheduler() scheduler}; no thread is started, there is never more
 * than one request in flight, and a hold never waits for the network. A failed write is tried
 * again after a backoff (see {@link #INITIAL_BACKOFF}); failures are logged at most once per
 * error log interval. The Supervisor retries on its own once it has the tags.
 * <p>
 * <strong>Close.</strong> {@link #close()} cancels the request in flight and writes the
 * nothing-to-say values of the tags this process set (an update that waited on it no longer
 * does), best effort: it waits for that write at most {@link #CLOSE_WAIT}, and not at all
 * while holds are still active, so that the manager, closed next, releases the lock without
 * waiting on the network. Tags cannot be deleted through the Supervisor, so they are never
 * removed. Build it with {@link #builder(UpdateLockManager, SupervisorClient)} or, without the
 * Supervisor, {@link #builder(UpdateLockManager, BalenaApiSettings)}.
 */
public final class FleetTagPublisher implements AutoCloseable {

	/** The minimum interval between two writes unless configured. */
	public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(30);

	/** The wait after a first failure; it doubles with each further failure. */
	public static final Duration INITIAL_BACKOFF = Duration.ofSeconds(30);

	/** The longest wait between two attempts, unless a {@code Retry-After} asks for more (before the jitter). */
	public static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

	/** The largest fraction by which a wait after a failure is lengthened at random. */
	public static final double MAX_JITTER = 0.25;

	/** The longest {@link #close()} waits for its last write, and only once no hold is active. */
	public static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

	private static final System.Logger defaultLogger = System.getLogger(FleetTagPublisher.class.getName());

	private final UpdateLockManager manager;

	private final FleetTagChannel channel;

	private final FleetTags tags;

	private final Duration minInterval;

	private final Clock clock;

	private final MonotonicClock monotonicClock;

	private final UpdateLockScheduler scheduler;

	private final @Nullable UpdatePendingMonitor pendingMonitor;

	private final boolean clearTagsOnClose;

	private final System.Logger logger;

	private final UpdateLockListener lockListener = this::onLockEvent;

	private final UpdatePendingListener pendingListener = new UpdatePendingListener() {

		@Override
		public void onUpdatePending(UpdatePendingEvent event) {
			markChanged();
		}

		@Override
		public void onSupervisorRead(SupervisorView view) {
			markChanged();
		}

	};

	/** Guards every field below; never held during I/O, nor while the manager is asked for a snapshot. */
	private final ReentrantLock stateLock = new ReentrantLock();

	private final TagWriteFailures failures;

	private boolean closed;

	private UpdateLockScheduler.@Nullable Cancellable nextStep;

	private @Nullable CompletableFuture<Void> inFlight;

	/** The tags as last written. */
	private final Map<String, String> written = new LinkedHashMap<>();

	/** The holds that have kept the waiting update waiting, in the order they were seen. */
	private final Set<String> waitedOnBy = new LinkedHashSet<>();

	/** When tags were last written, for display; {@link #lastPublishedNanos} decides. */
	private @Nullable Instant lastPublishedAt;

	/** When tags were last written on the monotonic clock; meaningful while {@link #lastPublishedAt} is set. */
	private long lastPublishedNanos;

	private long writes;

	private volatile FleetPublisherState state;

	private FleetTagPublisher(Builder builder, FleetTagChannel channel) {
		this.manager = builder.manager;
		this.channel = channel;
		this.clock = builder.clock;
		this.monotonicClock = builder.monotonicClock;
		this.tags = new FleetTags(builder.tagPrefix, builder.serviceName);
		this.minInterval = builder.minInterval;
		this.scheduler = (builder.scheduler != null) ? builder.scheduler : builder.manager.scheduler();
		this.pendingMonitor = builder.pendingMonitor;
		this.clearTagsOnClose = builder.clearTagsOnClose;
		this.logger = builder.logger;
		this.failures = new TagWriteFailures(builder.jitter, builder.errorLogInterval, builder.logger);
		this.state = buildState();
	}

	/**
	 * Starts building a publisher that writes through the Supervisor.
	 * @param manager the lock whose state is shown
	 * @param supervisorClient the Supervisor API client
	 * @return a builder
	 */
	public static Builder builder(UpdateLockManager manager, SupervisorClient supervisorClient) {
		return new Builder(manager, Objects.requireNonNull(supervisorClient, "supervisorClient"), null);
	}

	/**
	 * Starts building a publisher that writes straight to balenaCloud, for a device without
	 * the Supervisor API.
	 * @param manager the lock whose state is shown
	 * @param settings where the balenaCloud API is, the device key and the device's uuid
	 * @return a builder
	 */
	public static Builder builder(UpdateLockManager manager, BalenaApiSettings settings) {
		return new Builder(manager, null, Objects.requireNonNull(settings, "settings"));
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
	 * Stops publishing, cancels the request in flight and, unless switched off, writes the
	 * nothing-to-say values of the tags this process set, waiting for that at most
	 * {@link #CLOSE_WAIT} and only when no hold is active (see the class description). Never
	 * throws; idempotent.
	 */
	@Override
	public void close() {
		CompletableFuture<Void> running;
		Map<String, String> retract = new LinkedHashMap<>();
		this.stateLock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			cancelNextStep();
			running = this.inFlight;
			this.inFlight = null;
			Map<String, String> neutral = this.tags.neutral();
			this.written.forEach((key, value) -> {
				if (!value.equals(neutral.get(key))) {
					retract.put(key, neutral.get(key));
				}
			});
		}
		finally {
			this.stateLock.unlock();
		}
		this.manager.removeListener(this.lockListener);
		if (this.pendingMonitor != null) {
			this.pendingMonitor.removeListener(this.pendingListener);
		}
		if (running != null) {
			running.cancel(true);
		}
		if (this.clearTagsOnClose && !retract.isEmpty()) {
			writeLast(retract);
		}
	}

	@Override
	public String toString() {
		return "FleetTagPublisher[" + this.tags + " through " + this.channel.describe() + "]";
	}

	private void start() {
		this.manager.addListener(this.lockListener);
		if (this.pendingMonitor != null) {
			this.pendingMonitor.addListener(this.pendingListener);
		}
		this.logger.log(Level.INFO, () -> "Publishing what update lock " + this.manager.path() + " holds back as "
				+ "device tags " + this.tags.statusKey() + ", " + this.tags.pendingKey() + " and "
				+ this.tags.longHoldKey() + " through " + this.channel.describe() + " (at most one write every "
				+ this.minInterval + ")");
		markChanged();
	}

	/** Runs on the manager's event thread: it only plans. */
	private void onLockEvent(UpdateLockEvent event) {
		markChanged();
	}

	/**
	 * Plans a step at once, unless a step is planned already or a request is in flight: that
	 * step, or the one its answer plans, looks at the lock after this change.
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

	/** Runs on the scheduler: sends the changed tags in one request, or plans when that is due. */
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
		SupervisorView view = (this.pendingMonitor != null) ? this.pendingMonitor.view() : null;
		this.stateLock.lock();
		try {
			if (this.closed || this.inFlight != null || this.nextStep != null) {
				return;
			}
			// Waits are measured on the monotonic clock: a step of the wall clock must not stall publishing for days.
			long now = this.monotonicClock.nanoTime();
			Duration untilRetry = this.failures.untilRetry(now);
			if (untilRetry != null) {
				plan(untilRetry);
				return;
			}
			Map<String, String> changed = new LinkedHashMap<>();
			this.tags.desired(snapshot, waiting(snapshot, view)).forEach((key, value) -> {
				if (!value.equals(this.written.get(key))) {
					changed.put(key, value);
				}
			});
			if (changed.isEmpty()) {
				return;
			}
			long untilDue = (this.lastPublishedAt != null) ? this.lastPublishedNanos + this.minInterval.toNanos() - now : 0;
			if (untilDue > 0) {
				plan(Duration.ofNanos(untilDue));
				return;
			}
			send(changed);
		}
		finally {
			this.stateLock.unlock();
		}
	}

	/**
	 * Called under the state lock. The update the Supervisor still waits to apply, with every
	 * hold that has kept it waiting so far: the list only grows while it waits, so a job that
	 * comes and goes, or holds that take turns, do not rewrite the tag at every run.
	 */
	private @Nullable WaitingUpdate waiting(UpdateLockSnapshot snapshot, @Nullable SupervisorView view) {
		if (view == null || !view.updatePending() || view.pendingSince() == null) {
			this.waitedOnBy.clear();
			return null;
		}
		snapshot.holds().forEach((hold) -> this.waitedOnBy.add(hold.declaredName()));
		return new WaitingUpdate(view.targetCommit(), view.pendingSince(), List.copyOf(this.waitedOnBy));
	}

	/**
	 * Called under the state lock, which is fine: the channel only hands the exchange to the
	 * JDK client's executor. The answer is recorded on the HTTP client's thread, then the next
	 * step is planned on the scheduler.
	 */
	private void send(Map<String, String> changed) {
		CompletableFuture<Void> request = this.channel.write(changed);
		this.inFlight = request;
		request.whenComplete((ignored, failure) -> {
			this.stateLock.lock();
			try {
				if (this.inFlight != request) {
					return;
				}
				this.inFlight = null;
				if (failure == null) {
					written(changed);
					plan(Duration.ZERO);
				}
				else {
					plan(this.failures.failed(unwrap(failure), this.clock.instant(), this.monotonicClock.nanoTime()));
				}
				this.state = buildState();
			}
			finally {
				this.stateLock.unlock();
			}
		});
	}

	/** Called under the state lock. */
	private void written(Map<String, String> changed) {
		this.written.putAll(changed);
		this.lastPublishedAt = this.clock.instant();
		this.lastPublishedNanos = this.monotonicClock.nanoTime();
		this.writes++;
		this.failures.succeeded(this.channel);
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/** Called under the state lock. */
	private FleetPublisherState buildState() {
		return this.failures.state(this.channel.deviceId(), this.lastPublishedAt, this.written, this.writes);
	}

	/**
	 * The last write, bounded to {@link #CLOSE_WAIT} in all and then cancelled. Awaited only
	 * when no hold is active: otherwise the manager, closed after this publisher, would release
	 * the lock only after the network answered.
	 */
	private void writeLast(Map<String, String> retract) {
		CompletableFuture<Void> last = this.channel.write(retract);
		last.orTimeout(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ignored, failure) -> {
			if (failure != null) {
				last.cancel(true);
			}
			else {
				this.stateLock.lock();
				try {
					this.written.putAll(retract);
					this.writes++;
					this.state = buildState();
				}
				finally {
					this.stateLock.unlock();
				}
			}
		});
		if (!this.manager.snapshot().holds().isEmpty()) {
			return;
		}
		try {
			last.get(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			last.cancel(true);
		}
		catch (TimeoutException | ExecutionException | RuntimeException ex) {
			this.logger.log(Level.WARNING, "Could not write the update lock's device tags " + retract.keySet()
					+ " on close (" + unwrap((ex instanceof ExecutionException) ? ex.getCause() : ex) + "); they keep "
					+ "their last values until the next start");
		}
	}

	/**
	 * Builds a {@link FleetTagPublisher}.
	 */
	public static final class Builder {

		private final UpdateLockManager manager;

		private final @Nullable SupervisorClient supervisorClient;

		private @Nullable BalenaApiSettings cloudSettings;

		private Duration minInterval = DEFAULT_MIN_INTERVAL;

		private String tagPrefix = FleetTags.DEFAULT_PREFIX;

		private @Nullable String serviceName;

		private Clock clock = Clock.systemUTC();

		private MonotonicClock monotonicClock = MonotonicClock.SYSTEM;

		private @Nullable UpdateLockScheduler scheduler;

		private @Nullable UpdatePendingMonitor pendingMonitor;

		private boolean clearTagsOnClose = true;

		private Duration errorLogInterval = Duration.ofMinutes(10);

		private System.Logger logger = defaultLogger;

		private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble(MAX_JITTER);

		private Builder(UpdateLockManager manager, @Nullable SupervisorClient supervisorClient,
				@Nullable BalenaApiSettings cloudSettings) {
			this.manager = Objects.requireNonNull(manager, "manager");
			this.supervisorClient = supervisorClient;
			this.cloudSettings = cloudSettings;
		}

		/**
		 * Writes the tags straight to balenaCloud when the Supervisor is older than 17.8 and
		 * cannot store them.
		 * @param settings where the balenaCloud API is, the device key and the device's uuid
		 * @return this builder
		 */
		public Builder fallback(BalenaApiSettings settings) {
			this.cloudSettings = Objects.requireNonNull(settings, "settings");
			return this;
		}

		/**
		 * The shortest time between two writes. Default: 30 seconds.
		 * @param minInterval more than zero
		 * @return this builder
		 */
		public Builder minInterval(Duration minInterval) {
			this.minInterval = DurationRules.requirePositive(minInterval, "minInterval");
			return this;
		}

		/**
		 * The prefix of the tag keys. Default: {@value FleetTags#DEFAULT_PREFIX}.
		 * @param tagPrefix see {@link FleetTags#FleetTags(String, String)} for what is accepted
		 * @return this builder
		 * @throws IllegalArgumentException if the prefix is not accepted
		 */
		public Builder tagPrefix(String tagPrefix) {
			this.tagPrefix = new FleetTags(tagPrefix).prefix();
			return this;
		}

		/**
		 * The service whose tags these are, part of every key, so that two services never
		 * write each other's tags. Default: none.
		 * @param serviceName such as {@code main}, from {@code BALENA_SERVICE_NAME}
		 * @return this builder
		 * @throws IllegalArgumentException if the name is not accepted (see {@link FleetTags#FleetTags(String, String)})
		 */
		public Builder serviceName(String serviceName) {
			this.serviceName = new FleetTags(FleetTags.DEFAULT_PREFIX, serviceName).serviceName();
			return this;
		}

		/**
		 * The clock for timestamps, the minimum interval, the backoff and the error log
		 * interval. Default: the UTC system clock.
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
		 * Shows the updates this monitor finds waiting on the lock.
		 * @param pendingMonitor the monitor
		 * @return this builder
		 */
		public Builder pendingMonitor(UpdatePendingMonitor pendingMonitor) {
			this.pendingMonitor = Objects.requireNonNull(pendingMonitor, "pendingMonitor");
			return this;
		}

		/**
		 * Whether {@link FleetTagPublisher#close()} writes the nothing-to-say values of the
		 * tags this process set. Default: {@code true}.
		 * @param clearTagsOnClose whether to clear them
		 * @return this builder
		 */
		public Builder clearTagsOnClose(boolean clearTagsOnClose) {
			this.clearTagsOnClose = clearTagsOnClose;
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
		 * Builds the publisher and starts it: its first step, planned at once, writes every
		 * tag, so that what an earlier run left is overwritten.
		 * @return a running publisher
		 */
		public FleetTagPublisher build() {
			FleetTagChannel cloud = (this.cloudSettings != null)
					? new BalenaCloudTagChannel(new BalenaApiClient(this.cloudSettings, this.clock)) : null;
			FleetTagChannel channel = (this.supervisorClient != null)
					? new SupervisorTagChannel(this.supervisorClient, cloud, this.logger) : Objects.requireNonNull(cloud);
			FleetTagPublisher publisher = new FleetTagPublisher(this, channel);
			publisher.start();
			return publisher;
		}

	}

}
