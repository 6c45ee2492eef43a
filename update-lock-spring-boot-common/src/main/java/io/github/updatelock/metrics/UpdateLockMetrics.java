package io.github.updatelock.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockListener;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.event.StaleUpdateLockReclaimedEvent;
import io.github.updatelock.event.UpdateLockDeniedEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldAcquiredEvent;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.event.UpdateLockLostEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Micrometer meters for an {@link UpdateLockManager}. Binding registers every meter at
 * once (counters start at zero, so dashboards and alerts see them before the first event)
 * and starts listening to the manager.
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>meaning</th></tr>
 * <tr><td>{@value #HELD}</td><td>gauge</td><td></td><td>1 while the lock file on disk is
 * ours (status {@code HELD}) and its {@code flock(2)} is held, unless
 * {@code update-lock.flock=false}; else 0. A {@code LOST} or {@code UNAVAILABLE} lock is 0,
 * and so is a lock whose wanted flock could not be taken</td></tr>
 * <tr><td>{@value #FLOCK_HELD}</td><td>gauge</td><td></td><td>1 while the flock is held,
 * so that host OS updates wait too; 0 with {@code update-lock.flock=false} (app updates
 * only)</td></tr>
 * <tr><td>{@value #ACTIVE_HOLDS}</td><td>gauge</td><td></td><td>holds active now, nested
 * ones included</td></tr>
 * <tr><td>{@value #LONG_HOLDS}</td><td>gauge</td><td></td><td>active holds older than
 * {@code update-lock.long-hold-warning}: each one has kept updates out that long</td></tr>
 * <tr><td>{@value #ACQUISITIONS}</td><td>counter</td><td>{@value #OUTCOME_TAG}</td><td>hold
 * requests: {@code acquired} (granted without waiting), {@code waited} (granted after
 * waiting for someone else's lock), {@code rejected} (gave up after waiting),
 * {@code skipped} (hold requests skipped instead of waiting, reported through
 * {@link #recordSkipped()} by whoever skips them)</td></tr>
 * <tr><td>{@value #HOLD_DURATION}</td><td>timer</td><td>{@value #HOLD_TAG}</td><td>how long
 * holds were held, per declared hold name (a {@code @HoldUpdateLock} template, not the
 * name of each call), recorded when a hold ends</td></tr>
 * <tr><td>{@value #STALE_RECLAIMS}</td><td>counter</td><td></td><td>lock files of dead
 * instances removed</td></tr>
 * <tr><td>{@value #LOST}</td><td>counter</td><td></td><td>times the lock was taken away
 * while held (override, {@code force} update, deletion)</td></tr>
 * <tr><td>{@value #EVENTS_DROPPED}</td><td>counter</td><td></td><td>events listeners did not
 * get because one of them was too far behind ({@link UpdateLockManager#droppedEvents()})</td></tr>
 * </table>
 * The {@value #HOLD_TAG} tag takes a hold's {@link ActiveHold#declaredName() declared name},
 * so a template such as {@code payment-#{#order.id}} gives one timer, not one per order. At
 * most {@value #MAX_HOLD_TAGS} distinct values are used per registry; holds of further
 * names are timed as {@value #OTHER_HOLDS}, with one WARN line.
 */
public class UpdateLockMetrics implements MeterBinder, UpdateLockListener {

	private static final Log logger = LogFactory.getLog(UpdateLockMetrics.class);

	/**
	 * Gauge: 1 while the lock is held and ours and protects as configured (with its
	 * {@code flock(2)}, unless that is switched off), else 0.
	 */
	public static final String HELD = "update.lock.held";

	/** Gauge: 1 while the lock's {@code flock(2)} is held, so that host OS updates wait too, else 0. */
	public static final String FLOCK_HELD = "update.lock.flock.held";

	/** Gauge: the number of active holds. */
	public static final String ACTIVE_HOLDS = "update.lock.holds.active";

	/** Gauge: the number of active holds older than the long-hold warning. */
	public static final String LONG_HOLDS = "update.lock.holds.long";

	/** Counter of hold requests, tagged with {@value #OUTCOME_TAG}. */
	public static final String ACQUISITIONS = "update.lock.acquisitions";

	/** Timer of how long holds were held, tagged with {@value #HOLD_TAG}. */
	public static final String HOLD_DURATION = "update.lock.hold.duration";

	/** Counter of stale lock files removed. */
	public static final String STALE_RECLAIMS = "update.lock.stale.reclaims";

	/** Counter of locks taken away while held. */
	public static final String LOST = "update.lock.lost";

	/** Counter: events dropped because a listener was too far behind. */
	public static final String EVENTS_DROPPED = "update.lock.events.dropped";

	/** Tag of {@value #ACQUISITIONS}: {@code acquired}, {@code waited}, {@code rejected} or {@code skipped}. */
	public static final String OUTCOME_TAG = "outcome";

	/**
	 * Tag of {@value #HOLD_DURATION}: the hold's declared name (its template, such as
	 * {@code payment-#{#order.id}}, not the per-call {@code payment-42}; see
	 * {@link ActiveHold#declaredName()}), or {@value #OTHER_HOLDS}.
	 */
	public static final String HOLD_TAG = "hold";

	/**
	 * The most distinct {@value #HOLD_TAG} values in one registry: holds of further declared
	 * names are timed as {@value #OTHER_HOLDS}, so that names built per call (a programmatic
	 * {@code acquire("import-" + batchId)}) cannot add a timer per call.
	 */
	public static final int MAX_HOLD_TAGS = 100;

	/** The {@value #HOLD_TAG} of holds whose declared names came after the first {@value #MAX_HOLD_TAGS}. */
	public static final String OTHER_HOLDS = "other";

	private final UpdateLockManager manager;

	private final List<BoundMeters> bound = new CopyOnWriteArrayList<>();

	private final AtomicBoolean listening = new AtomicBoolean();

	/**
	 * Creates the meters' source; nothing is registered before {@link #bindTo(MeterRegistry)}.
	 * @param manager the manager to measure
	 */
	public UpdateLockMetrics(UpdateLockManager manager) {
		this.manager = Objects.requireNonNull(manager, "manager");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(HELD, this.manager, (manager) -> manager.snapshot().protecting() ? 1 : 0)
			.description("Whether this application holds the update lock and it protects as configured (1) or not (0)")
			.register(registry);
		Gauge.builder(FLOCK_HELD, this.manager, (manager) -> manager.snapshot().flockHeld() ? 1 : 0)
			.description("Whether host OS updates wait for this application's lock too (1) or not (0)")
			.register(registry);
		Gauge.builder(ACTIVE_HOLDS, this.manager, (manager) -> manager.snapshot().holds().size())
			.description("Active update lock holds")
			.register(registry);
		Gauge.builder(LONG_HOLDS, this.manager,
				(manager) -> manager.snapshot().holds().stream().filter(ActiveHold::longRunning).count())
			.description("Active update lock holds older than the long-hold warning")
			.register(registry);
		FunctionCounter.builder(EVENTS_DROPPED, this.manager, UpdateLockManager::droppedEvents)
			.description("Update lock events that listeners did not get because one of them was too far behind")
			.register(registry);
		this.bound.add(new BoundMeters(registry));
		if (this.listening.compareAndSet(false, true)) {
			this.manager.addListener(this);
		}
	}

	/**
	 * Counts a hold request that was skipped instead of waiting for the lock. The manager
	 * never sees such requests, so whoever decides to skip reports them here (for the
	 * {@code @HoldUpdateLock} advice: a listener for its skipped event).
	 */
	public void recordSkipped() {
		this.bound.forEach((meters) -> meters.skipped.increment());
	}

	@Override
	public void onEvent(UpdateLockEvent event) {
		if (event instanceof UpdateLockHoldAcquiredEvent acquired) {
			boolean waited = !acquired.waited().isZero();
			this.bound.forEach((meters) -> (waited ? meters.waited : meters.acquired).increment());
		}
		else if (event instanceof UpdateLockDeniedEvent) {
			this.bound.forEach((meters) -> meters.rejected.increment());
		}
		else if (event instanceof UpdateLockHoldReleasedEvent released) {
			this.bound.forEach(
					(meters) -> meters.holdDuration(released.hold().declaredName()).record(released.heldFor()));
		}
		else if (event instanceof StaleUpdateLockReclaimedEvent) {
			this.bound.forEach((meters) -> meters.staleReclaims.increment());
		}
		else if (event instanceof UpdateLockLostEvent) {
			this.bound.forEach((meters) -> meters.lost.increment());
		}
	}

	private static Counter acquisitions(MeterRegistry registry, String outcome) {
		return Counter.builder(ACQUISITIONS)
			.tag(OUTCOME_TAG, outcome)
			.description("Update lock hold requests by outcome")
			.register(registry);
	}

	private static Timer holdDuration(MeterRegistry registry, String hold) {
		return Timer.builder(HOLD_DURATION)
			.tag(HOLD_TAG, hold)
			.description("How long update lock holds were held")
			.register(registry);
	}

	private static Counter staleReclaims(MeterRegistry registry) {
		return Counter.builder(STALE_RECLAIMS)
			.description("Update lock files left by dead instances and removed")
			.register(registry);
	}

	private static Counter lost(MeterRegistry registry) {
		return Counter.builder(LOST)
			.description("Times the update lock was taken away while held")
			.register(registry);
	}

	/**
	 * The meters registered in one registry, kept rather than looked up per event: a look-up
	 * builds an id with its tags and searches the registry, which cost several times as much
	 * as the rest of a nested hold.
	 */
	private static final class BoundMeters {

		private final MeterRegistry registry;

		private final Counter acquired;

		private final Counter waited;

		private final Counter rejected;

		private final Counter skipped;

		private final Counter staleReclaims;

		private final Counter lost;

		private final Map<String, Timer> holdDurations = new ConcurrentHashMap<>();

		/** The timer of the holds past the limit, once it is reached; guarded by this. */
		private Timer otherHolds;

		BoundMeters(MeterRegistry registry) {
			this.registry = registry;
			this.acquired = acquisitions(registry, "acquired");
			this.waited = acquisitions(registry, "waited");
			this.rejected = acquisitions(registry, "rejected");
			this.skipped = acquisitions(registry, "skipped");
			this.staleReclaims = staleReclaims(registry);
			this.lost = lost(registry);
		}

		Timer holdDuration(String declaredName) {
			Timer timer = this.holdDurations.get(declaredName);
			return (timer != null) ? timer : newHoldDuration(declaredName);
		}

		/**
		 * Registers the timer of a declared name not seen before, while the limit allows;
		 * rare, so one monitor keeps the count exact.
		 */
		private synchronized Timer newHoldDuration(String declaredName) {
			Timer timer = this.holdDurations.get(declaredName);
			if (timer != null) {
				return timer;
			}
			if (this.holdDurations.size() < MAX_HOLD_TAGS) {
				timer = UpdateLockMetrics.holdDuration(this.registry, declaredName);
				this.holdDurations.put(declaredName, timer);
				return timer;
			}
			if (this.otherHolds == null) {
				logger.warn("More than " + MAX_HOLD_TAGS + " distinct hold names were timed in " + HOLD_DURATION
						+ "; holds of further names, such as '" + declaredName + "', are timed with " + HOLD_TAG
						+ "=" + OTHER_HOLDS + ". Name holds in code, not per call: give @HoldUpdateLock a template "
						+ "(it is the tag), or UpdateLockManager.acquire(name, declaredName, maxWait) a fixed "
						+ "declared name");
				this.otherHolds = UpdateLockMetrics.holdDuration(this.registry, OTHER_HOLDS);
			}
			return this.otherHolds;
		}

	}

}
