package io.github.updatelock;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import io.github.updatelock.event.StaleUpdateLockReclaimedEvent;
import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockDeniedEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldAcquiredEvent;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.event.UpdateLockLongHoldEvent;
import io.github.updatelock.event.UpdateLockLostEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.event.UpdateLockWaitingEvent;
import io.github.updatelock.internal.ExistingLockFile;
import io.github.updatelock.internal.FileIdentity;
import io.github.updatelock.internal.Libc;
import io.github.updatelock.internal.LibcBinding;
import io.github.updatelock.internal.LocalInstance;
import io.github.updatelock.internal.LockDirectoryWatch;
import io.github.updatelock.internal.LockEnvironment;
import io.github.updatelock.internal.LockFileCreationException;
import io.github.updatelock.internal.NativeAccess;
import io.github.updatelock.internal.NativePath;
import io.github.updatelock.internal.OwnedLockFile;
import io.github.updatelock.internal.Uids;
import org.jspecify.annotations.Nullable;

/**
 * Holds this process's balenaOS update lock on behalf of any number of named holds.
 * <p>
 * The first hold creates the lock file exclusively, takes a {@code flock(2)} on it and
 * writes a marker; holds granted while the file is ours only count (no file I/O); the last
 * release removes the file if it is still ours. See the project README for the full list
 * of behaviours. Instances are thread-safe; build one per lock path with {@link #builder()}.
 */
public final class UpdateLockManager implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(UpdateLockManager.class.getName());

	/** How long close() waits for a release on another thread to finish removing the file. */
	private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

	/**
	 * When a check asked for by an event found an acquisition or release running: soon, since
	 * the events that come meanwhile wait for this check rather than schedule their own.
	 */
	private static final Duration CHECK_AGAIN_AFTER = Duration.ofMillis(1);

	/** How long close() lets listeners take the events still queued; the lock is released by then. */
	private static final Duration EVENTS_CLOSE_BOUND = Duration.ofMillis(500);

	private final Path path;

	private final NativePath nativePath;

	private final boolean flockEnabled;

	private final Duration acquireTimeout;

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final Duration watchInterval;

	private final Duration longHoldWarning;

	private final UnavailableLockPolicy unavailablePolicy;

	private final Clock clock;

	private final MonotonicClock monotonicClock;

	private final LocalInstance self;

	/**
	 * Computed on first use: whether flock is available loads the native binding, which need
	 * not delay the application's start.
	 */
	private final Supplier<List<UpdateLockWarning>> fixedWarnings;

	/** Loaded on first use, like the warnings that depend on it. */
	private final Supplier<LibcBinding> libcBinding;

	/** Whether the Supervisor gave us the lock path: then this is a device, whether its directory exists yet or not. */
	private final boolean pathFromSupervisor;

	private final int effectiveUid;

	private final boolean runningAsSupervisorUid;

	private final List<UpdateLockListener> listeners = new CopyOnWriteArrayList<>();

	/** The listeners that want per-hold events; when empty, taking a hold builds no event at all. */
	private final List<UpdateLockListener> holdListeners = new CopyOnWriteArrayList<>();

	/** Calls the listeners on a thread of its own, so that none of them delays the lock. */
	private final EventDispatcher events;

	/** Serialises every file operation and every change of the hold count to or from zero. */
	private final ReentrantLock fileLock = new ReentrantLock();

	private final HoldRegistry holds = new HoldRegistry(this);

	private final CoarseClock coarseClock;

	private final AtomicInteger waiters = new AtomicInteger();

	private final AtomicLong staleReclaims = new AtomicLong();

	private final UpdateLockScheduler scheduler;

	/** The scheduler this manager created and stops on close; {@code null} when the builder was given one. */
	private final SingleThreadScheduler ownScheduler;

	private final Thread shutdownHook;

	/**
	 * Our file that a release could not unlink, kept with its flock while its removal is
	 * retried. Its state is guarded by fileLock.
	 */
	private final UnremovedLockFile unremoved;

	/** Events on the lock directory while the lock is held or waited for; {@code null} when switched off. */
	private final @Nullable LockDirectoryWatch directoryWatch;

	/** Demands the directory's events for a held file once it has been held a little while. */
	private final @Nullable HeldFileEvents heldFileEvents;

	/** The threads of {@link #acquire(String, Duration)} that wait for the lock: a change wakes them. */
	private final Set<Thread> sleepers = ConcurrentHashMap.newKeySet();

	/** What background holds waiting for the lock do when the path changes. */
	private final List<Runnable> backgroundWakers = new CopyOnWriteArrayList<>();

	/** Whether a check of the held file, asked for by an event, is scheduled and not yet started. */
	private final AtomicBoolean checkRequested = new AtomicBoolean();

	// Written under fileLock, read without it by snapshot().
	private volatile OwnedLockFile lockFile;

	private volatile CoarseClock.Reading heldSince;

	private volatile boolean lost;

	private volatile UpdateLockProblem directoryProblem;

	/** What the system call that showed the directory problem answered, or {@code null}. */
	private volatile String directoryDetail;

	/** Why the last creation of the lock file failed; {@code null} once a file is taken. */
	private volatile String creationFailure;

	private volatile String flockProblem;

	private volatile UpdateLockBlocker blocker;

	private volatile CoarseClock.Reading blockedSince;

	private volatile Instant lastStaleReclaim;

	private volatile Instant lastLost;

	private volatile boolean warnedUnprotected;

	/** Guarded by fileLock. */
	private boolean warnedUndeletable;

	private volatile boolean closed;

	/** Set under the file lock when the watch starts; replaced by each round for the next one. */
	private volatile UpdateLockScheduler.Cancellable watch;

	private UpdateLockManager(Builder builder) {
		Map<String, String> environment = builder.environment;
		this.path = UpdateLockPaths.resolve(builder.lockPath, environment);
		this.nativePath = NativePath.of(this.path);
		this.flockEnabled = builder.flock;
		this.acquireTimeout = builder.acquireTimeout;
		this.initialBackoff = builder.initialBackoff;
		this.maxBackoff = builder.maxBackoff;
		this.watchInterval = builder.watchInterval;
		this.longHoldWarning = builder.longHoldWarning;
		this.unavailablePolicy = builder.unavailablePolicy;
		this.clock = builder.clock;
		this.monotonicClock = builder.monotonicClock;
		this.coarseClock = new CoarseClock(this.clock, this.monotonicClock);
		this.events = new EventDispatcher(this.path);
		this.listeners.addAll(builder.listeners);
		this.holdListeners.addAll(builder.listeners.stream().filter(UpdateLockListener::wantsHoldEvents).toList());
		this.self = LocalInstance.current(environment);
		int uid = (builder.effectiveUid != null) ? builder.effectiveUid : effectiveUid();
		this.effectiveUid = uid;
		this.runningAsSupervisorUid = uid == ExistingLockFile.SUPERVISOR_UID;
		Path lockPath = this.path;
		boolean flock = this.flockEnabled;
		LibcBinding givenBinding = builder.libcBinding;
		this.libcBinding = memoized(() -> (givenBinding != null) ? givenBinding : LibcBinding.loaded());
		Supplier<LibcBinding> binding = this.libcBinding;
		this.fixedWarnings = memoized(() -> List
			.copyOf(LockEnvironment.fixedWarnings(lockPath, environment, flock, binding.get().failureAndFix(), uid)));
		this.pathFromSupervisor = LockEnvironment.pathFromSupervisor(environment);
		this.directoryProblem = LockEnvironment.directoryProblem(this.path);
		this.ownScheduler = (builder.scheduler != null) ? null : new SingleThreadScheduler();
		this.scheduler = (builder.scheduler != null) ? builder.scheduler : this.ownScheduler;
		this.directoryWatch = builder.directoryEvents ? new LockDirectoryWatch(this.path, this::lockPathChanged) : null;
		this.heldFileEvents = (this.directoryWatch != null)
				? new HeldFileEvents(this.fileLock, this.scheduler, this.directoryWatch, this::requestCheck) : null;
		this.unremoved = new UnremovedLockFile(this.path, this.fileLock, this.scheduler, this.initialBackoff,
				this.maxBackoff, () -> this.closed);
		this.shutdownHook = builder.shutdownHook ? new Thread(this::close, "update-lock-shutdown") : null;
		if (this.shutdownHook != null) {
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		}
		if (this.ownScheduler != null) {
			// The native binding loads (tens of milliseconds, more through JNA) on the manager's
			// thread, not the caller's; a hold taken meanwhile waits for it, as it would anyway.
			this.ownScheduler.schedule(this::logStartup, Duration.ZERO);
		}
		else {
			logStartup();
		}
	}

	/**
	 * Starts building a manager.
	 * @return a builder with the defaults described on its methods
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Takes a hold, waiting up to the configured acquire timeout while someone else holds
	 * the lock.
	 * @param holder the hold's name, shown in snapshots and logs
	 * @return the hold; release it exactly once
	 * @throws UpdateLockTimeoutException if the lock stayed held by someone else
	 * @throws UpdateLockUnavailableException if the lock cannot protect here and the policy is
	 * {@link UnavailableLockPolicy#FAIL}
	 */
	public UpdateLockHold acquire(String holder) {
		return acquire(holder, this.acquireTimeout);
	}

	/**
	 * Takes a hold, waiting up to {@code maxWait} while someone else holds the lock.
	 * @param holder the hold's name
	 * @param maxWait how long to wait; {@link Duration#ZERO} tries once
	 * @return the hold; release it exactly once
	 * @throws UpdateLockTimeoutException if the lock stayed held by someone else
	 * @throws UpdateLockUnavailableException if the lock cannot protect here and the policy is
	 * {@link UnavailableLockPolicy#FAIL}
	 */
	public UpdateLockHold acquire(String holder, Duration maxWait) {
		return acquire(holder, holder, maxWait);
	}

	/**
	 * Takes a hold whose name carries per-call values, waiting up to the configured acquire
	 * timeout while someone else holds the lock.
	 * @param holder the hold's name, shown in snapshots and logs
	 * @param declaredName the name as declared in code, without per-call values
	 * @return the hold; release it exactly once
	 * @throws UpdateLockTimeoutException if the lock stayed held by someone else
	 * @throws UpdateLockUnavailableException if the lock cannot protect here and the policy is
	 * {@link UnavailableLockPolicy#FAIL}
	 * @see #acquire(String, String, Duration)
	 */
	public UpdateLockHold acquire(String holder, String declaredName) {
		return acquire(holder, declaredName, this.acquireTimeout);
	}

	/**
	 * Takes a hold whose name carries per-call values, waiting up to {@code maxWait} while
	 * someone else holds the lock. The name ({@code payment-42}) is what snapshots, logs and
	 * events show; the declared name ({@code payment-#{#order.id}}, the template it came
	 * from) is a bounded label that meters and fleet tags use instead, since they must not
	 * get one series or tag per call. It is reported as {@link ActiveHold#declaredName()}.
	 * The other {@code acquire} methods use the hold's name as its declared name.
	 * @param holder the hold's name
	 * @param declaredName the name as declared in code, without per-call values
	 * @param maxWait how long to wait; {@link Duration#ZERO} tries once
	 * @return the hold; release it exactly once
	 * @throws UpdateLockTimeoutException if the lock stayed held by someone else
	 * @throws UpdateLockUnavailableException if the lock cannot protect here and the policy is
	 * {@link UnavailableLockPolicy#FAIL}
	 */
	public UpdateLockHold acquire(String holder, String declaredName, Duration maxWait) {
		Objects.requireNonNull(holder, "holder");
		Objects.requireNonNull(declaredName, "declaredName");
		if (Objects.requireNonNull(maxWait, "maxWait").compareTo(DurationRules.LONGEST) <= 0) {
			// Longer is "practically forever", which a startup hold may ask for: the wait saturates.
			DurationRules.requireNotNegative(maxWait, "maxWait");
		}
		UpdateLockHold joined = tryJoin(holder, declaredName);
		return (joined != null) ? joined : acquireSlowly(holder, declaredName, maxWait);
	}

	/**
	 * Takes a hold if that is possible without waiting.
	 * @param holder the hold's name
	 * @return the hold, or empty when someone else holds the lock
	 * @throws UpdateLockUnavailableException if the lock cannot protect here and the policy is
	 * {@link UnavailableLockPolicy#FAIL}
	 */
	public Optional<UpdateLockHold> tryAcquire(String holder) {
		try {
			return Optional.of(acquire(holder, Duration.ZERO));
		}
		catch (UpdateLockTimeoutException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The state of the lock now. Does no file I/O.
	 * @return an immutable snapshot
	 */
	public UpdateLockSnapshot snapshot() {
		OwnedLockFile file = this.lockFile;
		List<ActiveHold> holds = this.holds.describe(nanoTime());
		UpdateLockBlocker currentBlocker = this.blocker;
		CoarseClock.Reading held = this.heldSince;
		CoarseClock.Reading blocked = this.blockedSince;
		return new UpdateLockSnapshot(status(file, currentBlocker), this.path,
				file != null && file.flockHeld() && !this.lost, holds,
				(file != null && held != null) ? held.instant() : null, currentBlocker,
				(currentBlocker != null && blocked != null) ? blocked.instant() : null, this.staleReclaims.get(),
				this.lastStaleReclaim, this.lastLost, warnings());
	}

	/**
	 * Fails where {@code flock(2)} is wanted but cannot be held, on a device: the lock path
	 * comes from the Supervisor ({@code BALENA_APP_LOCK_PATH}), or the lock directory
	 * exists. There the lock file would block app updates, but a host OS update's final
	 * reboot would not wait: an application that relies on the lock should not start so.
	 * Off a device (a developer's machine, a CI run) it does nothing; the manager logs a
	 * warning anyway. Loads the libc binding if it is not loaded yet.
	 * @throws FlockUnavailableException with the root cause and the fix, where flock is wanted,
	 * no libc binding loaded and this is a device
	 */
	public void requireFlock() {
		LibcBinding binding = this.libcBinding.get();
		if (!this.flockEnabled || binding.available() || !LockEnvironment.onDevice(this.path, this.pathFromSupervisor)) {
			return;
		}
		throw new FlockUnavailableException(this.path, binding.failure(), binding.fix(), binding.causes());
	}

	/**
	 * Looks at the lock path on disk now, with a single {@code lstat} (symbolic links are
	 * not followed). Unlike {@link #snapshot()}, this does file I/O, so observers call it on
	 * demand rather than on every state change.
	 * @return what is at the lock path and whether it is ours
	 * @throws UpdateLockException if the path cannot be examined for another reason than
	 * being absent
	 */
	public UpdateLockFileState inspectLockFile() {
		OwnedLockFile file = this.lockFile;
		Map<String, Object> attributes;
		try {
			attributes = Files.readAttributes(this.path, "unix:uid,dev,ino", LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return UpdateLockFileState.ABSENT;
		}
		catch (IOException ex) {
			throw new UpdateLockException("Could not examine update lock " + this.path + ": " + ex.getMessage(), ex);
		}
		FileIdentity seen = new FileIdentity((Long) attributes.get("dev"), (Long) attributes.get("ino"));
		boolean ours = (file != null && file.identity().equals(seen)) || this.unremoved.is(seen);
		return new UpdateLockFileState(true, ours, (Integer) attributes.get("uid"));
	}

	/**
	 * Checks the lock directory now: one {@code stat} and one access check, nothing is
	 * created. The {@link #snapshot() snapshot} only learns about the directory when a
	 * hold is asked for; this tells whether it is usable at this moment.
	 * @return the problem with the directory ({@link UpdateLockProblem#LOCK_DIRECTORY_MISSING}
	 * or {@link UpdateLockProblem#LOCK_DIRECTORY_NOT_WRITABLE}), or empty when it is usable
	 */
	public Optional<UpdateLockWarning> checkLockDirectory() {
		UpdateLockProblem problem = LockEnvironment.directoryProblem(this.path);
		return Optional.ofNullable(problem).map((found) -> LockEnvironment.warning(found, this.path, null));
	}

	/**
	 * The resolved lock file path.
	 * @return the path this manager locks
	 */
	public Path path() {
		return this.path;
	}

	/**
	 * Registers a listener for the events of this manager.
	 * @param listener the listener
	 */
	public void addListener(UpdateLockListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
		if (listener.wantsHoldEvents()) {
			this.holdListeners.add(listener);
		}
	}

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	public void removeListener(UpdateLockListener listener) {
		this.listeners.remove(listener);
		this.holdListeners.remove(listener);
	}

	/**
	 * How many events listeners did not get: listeners run on a thread of their own,
	 * {@code update-lock-events}, behind a queue of 4,096 events; while a listener is that
	 * far behind, further events are dropped (and logged) rather than delay the lock. Events
	 * still queued half a second after {@link #close()} are dropped too.
	 * @return the number of events dropped since the manager was built
	 */
	public long droppedEvents() {
		return this.events.dropped();
	}

	/**
	 * The scheduler that runs this manager's watch, and that the holds built on it (a
	 * {@link BackgroundHold}, update windows, operator holds) use for their delayed tasks.
	 * @return the scheduler given to the builder, or the manager's own single daemon thread
	 */
	public UpdateLockScheduler scheduler() {
		return this.scheduler;
	}

	/**
	 * Releases every active hold (removing the lock file if it is ours) and stops the
	 * watch. Later acquisitions fail. Idempotent.
	 */
	@Override
	public void close() {
		List<UpdateLockHold> active;
		this.fileLock.lock();
		try {
			if (this.closed) {
				return;
			}
			// Under the file lock, so that an attempt that found us open has finished creating the
			// file and registering its hold (and scheduling its watch) before we look at the holds.
			this.closed = true;
			// The registry counts and lists a hold in one step, so these are all the holds there
			// are, and no hold joins after this.
			active = this.holds.close();
		}
		finally {
			this.fileLock.unlock();
		}
		for (UpdateLockHold hold : active) {
			hold.release();
		}
		// Background holds waiting for the lock learn that no try of theirs will run again.
		for (Runnable waker : this.backgroundWakers) {
			waker.run();
		}
		// A release on another thread may have unlisted its hold and not yet removed the file.
		// Wait for it: close() may be the JVM's last act, and a lock file that outlives the
		// process blocks updates until the next start reclaims it.
		long deadline = System.nanoTime() + CLOSE_GRACE_NANOS;
		while (this.holds.count() > 0 && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		// The count drops to zero before the file is removed, both under the file lock: taking it
		// once more waits for that removal to end (and no file is taken after it).
		this.fileLock.lock();
		try {
			if (this.heldFileEvents != null) {
				this.heldFileEvents.close();
			}
			this.unremoved.removeOnceAtClose();
		}
		finally {
			this.fileLock.unlock();
		}
		UpdateLockScheduler.Cancellable lastWatch = this.watch;
		if (lastWatch != null) {
			lastWatch.cancel();
		}
		if (this.directoryWatch != null) {
			this.directoryWatch.close();
		}
		if (this.ownScheduler != null) {
			this.ownScheduler.shutdown();
		}
		// Last: the file is gone by now, whatever a listener does with the events of the release.
		this.events.close(EVENTS_CLOSE_BOUND);
		if (this.shutdownHook != null && Thread.currentThread() != this.shutdownHook) {
			try {
				Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			}
			catch (IllegalStateException ex) {
				// The JVM is already shutting down and runs the hook, which finds nothing left to do.
			}
		}
	}

	/**
	 * One try of a {@link BackgroundHold}, which never waits on the calling thread but tries
	 * again later. The first try of a wait that finds the lock taken announces the wait (log
	 * line and {@link UpdateLockWaitingEvent}) and counts the caller as a waiter, so that
	 * the manager reports {@code WAITING} and the blocker until
	 * {@link #endBackgroundWait()}. No denied event is published: a background hold does
	 * not give up.
	 * @param holder the hold's name
	 * @param waitedSince when the wait began ({@link #nanoTime()}), or {@code null} on
	 * the first try
	 * @param onChange run (on another thread, must not block) whenever the lock path may have
	 * changed while the wait lasts, so that the hold tries again at once instead of at the end
	 * of its backoff
	 * @return the hold, or the blocker
	 * @throws UpdateLockUnavailableException if the lock cannot protect here and the policy is
	 * {@link UnavailableLockPolicy#FAIL}
	 */
	BackgroundTry tryInBackground(String holder, Long waitedSince, Runnable onChange) {
		UpdateLockHold joined = tryJoin(holder, holder);
		if (joined != null) {
			return new BackgroundTry(joined, null);
		}
		boolean firstTry = waitedSince == null;
		if (firstTry) {
			// Counted before the attempt shows its blocker: see stopWaiting().
			this.waiters.incrementAndGet();
		}
		Attempt attempt;
		try {
			attempt = attempt(holder, holder);
		}
		catch (RuntimeException | Error ex) {
			if (firstTry) {
				stopWaiting();
			}
			throw ex;
		}
		if (attempt.hold != null || attempt.unavailable != null) {
			if (firstTry) {
				stopWaiting();
			}
			if (attempt.unavailable != null) {
				throw unavailable(attempt.unavailable);
			}
			publishHoldAcquired(attempt.hold,
					(waitedSince != null) ? Duration.ofNanos(nanoTime() - waitedSince) : Duration.ZERO);
			return new BackgroundTry(attempt.hold, null);
		}
		if (firstTry) {
			this.backgroundWakers.add(onChange);
			demandDirectoryEvents();
			logger.log(Level.INFO, () -> "Update lock " + this.path + " is held by " + attempt.blocker + "; hold '"
					+ holder + "' waits for it in the background");
			Instant now = this.clock.instant();
			publish((sequence) -> new UpdateLockWaitingEvent(this.path, now, holder, attempt.blocker, sequence));
		}
		return new BackgroundTry(null, attempt.blocker);
	}

	/**
	 * Ends a background wait that {@link #tryInBackground(String, Long, Runnable)} announced.
	 * @param onChange what that wait ran on a change
	 */
	void endBackgroundWait(Runnable onChange) {
		this.backgroundWakers.remove(onChange);
		undemandDirectoryEvents();
		stopWaiting();
	}

	/**
	 * Uncounts a waiter; the last one clears the blocker. A waiter counts itself before its
	 * first attempt, and attempts show the blocker under the file lock: clearing it under the
	 * file lock, and only while still no waiter counts, cannot clear the blocker that a waiter
	 * which came meanwhile has shown. Done without the lock, it could, and the snapshot said
	 * {@code RELEASED} while that waiter waited.
	 */
	private void stopWaiting() {
		if (this.waiters.decrementAndGet() != 0 || this.blocker == null) {
			return;
		}
		this.fileLock.lock();
		try {
			if (this.waiters.get() == 0) {
				this.blocker = null;
				this.blockedSince = null;
			}
		}
		finally {
			this.fileLock.unlock();
		}
	}

	/**
	 * Gives up a background wait the way {@link #acquire(String, Duration)} gives up at its
	 * deadline: publishes the denied event. Call it before the wait ends, so that the
	 * exception says for how long the blocker was seen.
	 * @param holder the hold's name
	 * @param by who holds the lock
	 * @param waited how long the hold waited
	 * @return the exception that describes the refusal
	 */
	UpdateLockTimeoutException denyInBackground(String holder, UpdateLockBlocker by, Duration waited) {
		Instant now = this.clock.instant();
		publish((sequence) -> new UpdateLockDeniedEvent(this.path, now, holder, by, waited, sequence));
		return timeout(holder, by, waited);
	}

	/** For tests: whether every event published so far has reached the listeners. */
	boolean eventsDelivered() {
		return this.events.idle();
	}

	/** Whether {@link #close()} was called: a background hold then stops taking its hold. */
	boolean isClosed() {
		return this.closed;
	}

	Duration initialBackoff() {
		return this.initialBackoff;
	}

	Duration maxBackoff() {
		return this.maxBackoff;
	}

	/**
	 * What one try of a background hold found.
	 *
	 * @param hold the hold, or {@code null} when someone else holds the lock
	 * @param blocker who holds it, or {@code null} when the hold was granted
	 */
	record BackgroundTry(UpdateLockHold hold, UpdateLockBlocker blocker) {
	}

	/**
	 * Reads the monotonic clock that every duration of this manager is measured with.
	 * @return its nanoseconds
	 */
	long nanoTime() {
		return this.monotonicClock.nanoTime();
	}

	boolean isReleased(UpdateLockHold hold) {
		return this.holds.isReleased(hold);
	}

	void release(UpdateLockHold hold) {
		// Read before any lock of ours is taken: the clock is the application's code.
		Instant releasedAt = this.holdListeners.isEmpty() ? null : this.clock.instant();
		HoldRegistry.Removal removal = this.holds.remove(hold, releasedAt);
		if (removal == HoldRegistry.Removal.ALREADY_RELEASED) {
			return;
		}
		if (removal == HoldRegistry.Removal.NESTED) {
			return;
		}
		this.fileLock.lock();
		try {
			// Under the file lock, so that its event comes before the release of the file and
			// before the events of the next lock file.
			publishHoldReleased(hold, releasedAt);
			if (this.holds.dropLast() == 0) {
				releaseFile();
			}
		}
		finally {
			this.fileLock.unlock();
		}
	}

	private UpdateLockHold tryJoin(String holder, String declaredName) {
		UpdateLockHold hold = this.holds.join(holder, declaredName, joinTime());
		if (hold != null) {
			publishHoldAcquired(hold, Duration.ZERO);
		}
		return hold;
	}

	/**
	 * When a hold that joins a lock already held starts: exact only for listeners of per-hold
	 * events (they time holds); otherwise coarse, since a clock read would cost as much as
	 * the rest of the join.
	 */
	private CoarseClock.Reading joinTime() {
		return this.holdListeners.isEmpty() ? this.coarseClock.reading() : this.coarseClock.exact();
	}

	private UpdateLockHold acquireSlowly(String holder, String declaredName, Duration maxWait) {
		long start = nanoTime();
		long deadline = start + saturatedNanos(maxWait);
		long backoff = this.initialBackoff.toNanos();
		boolean waitingAnnounced = false;
		this.waiters.incrementAndGet();
		try {
			while (true) {
				Attempt attempt = attempt(holder, declaredName);
				if (attempt.hold != null) {
					// Only time spent behind someone else's lock counts as waiting, as the event documents.
					publishHoldAcquired(attempt.hold,
							waitingAnnounced ? Duration.ofNanos(nanoTime() - start) : Duration.ZERO);
					return attempt.hold;
				}
				if (attempt.unavailable != null) {
					throw unavailable(attempt.unavailable);
				}
				long now = nanoTime();
				if (now - deadline >= 0) {
					Duration waited = Duration.ofNanos(now - start);
					Instant deniedAt = this.clock.instant();
					publish((sequence) -> new UpdateLockDeniedEvent(this.path, deniedAt, holder, attempt.blocker,
							waited, sequence));
					throw timeout(holder, attempt.blocker, waited);
				}
				if (!waitingAnnounced) {
					waitingAnnounced = true;
					// From here on a change of the path unparks us; the backoff stays as the fallback.
					this.sleepers.add(Thread.currentThread());
					demandDirectoryEvents();
					logger.log(Level.INFO, () -> "Update lock " + this.path + " is held by " + attempt.blocker
							+ "; hold '" + holder + "' waits up to " + maxWait);
					Instant waitingSince = this.clock.instant();
					publish((sequence) -> new UpdateLockWaitingEvent(this.path, waitingSince, holder, attempt.blocker,
							sequence));
				}
				LockSupport.parkNanos(Math.min(backoff, deadline - now));
				backoff = Math.min(backoff * 2, this.maxBackoff.toNanos());
				if (Thread.interrupted()) {
					Thread.currentThread().interrupt();
					throw new UpdateLockException("Interrupted while waiting for update lock " + this.path);
				}
			}
		}
		finally {
			if (waitingAnnounced) {
				this.sleepers.remove(Thread.currentThread());
				undemandDirectoryEvents();
			}
			stopWaiting();
		}
	}

	/**
	 * One try under the file lock: join an existing hold, create the file, or find out who
	 * blocks us. Its events are queued under the file lock, so that they are numbered in the
	 * order the state changed; no listener runs here.
	 */
	private Attempt attempt(String holder, String declaredName) {
		this.fileLock.lock();
		try {
			if (this.closed) {
				throw closedException();
			}
			UpdateLockHold joined = this.holds.join(holder, declaredName, joinTime());
			if (joined != null) {
				return Attempt.granted(joined);
			}
			if (this.runningAsSupervisorUid) {
				return unprotectedOrRefused(holder, declaredName, UpdateLockProblem.RUNNING_AS_SUPERVISOR_UID);
			}
			OwnedLockFile takenBack = this.unremoved.takeBackIfStillAtPath();
			if (takenBack != null) {
				return Attempt.granted(startHolding(takenBack, holder, declaredName));
			}
			UpdateLockBlocker lastSeen = UpdateLockBlocker.FOREIGN;
			for (int round = 0; round < 3; round++) {
				try {
					OwnedLockFile file = OwnedLockFile.create(this.nativePath, flockWantedAndPossible(), this.self,
							this.clock.instant());
					return Attempt.granted(startHolding(file, holder, declaredName));
				}
				catch (LockFileCreationException ex) {
					switch (ex.reason()) {
						case DIRECTORY_MISSING:
							this.directoryProblem = UpdateLockProblem.LOCK_DIRECTORY_MISSING;
							return unprotectedOrRefused(holder, declaredName, this.directoryProblem);
						case NOT_WRITABLE:
							this.directoryProblem = UpdateLockProblem.LOCK_DIRECTORY_NOT_WRITABLE;
							this.directoryDetail = ex.getMessage();
							return unprotectedOrRefused(holder, declaredName, this.directoryProblem);
						case FLOCK_CONTENDED:
							return blockedBy(UpdateLockBlocker.FOREIGN);
						case SUPERVISOR_OWNER:
							// Shown like a directory problem: it is the lock directory that maps our files to 65534.
							this.directoryProblem = UpdateLockProblem.RUNNING_AS_SUPERVISOR_UID;
							return unprotectedOrRefused(holder, declaredName, this.directoryProblem);
						case EXISTS:
						default:
							this.directoryProblem = null;
							ExistingLockFile.Outcome outcome = examineExisting();
							if (!outcome.worthRetrying()) {
								return blockedBy(outcome.blocker());
							}
							lastSeen = outcome.blocker();
					}
				}
				catch (IOException ex) {
					throw creationFailed(ex);
				}
			}
			// The entry keeps changing under us: report whom the last one we looked at seemed to belong to.
			return blockedBy(lastSeen);
		}
		finally {
			this.fileLock.unlock();
		}
	}

	/**
	 * Judges the entry in our way; reclaims it when it is stale.
	 * @return what was found
	 */
	private ExistingLockFile.Outcome examineExisting() {
		ExistingLockFile.Outcome outcome;
		try {
			outcome = ExistingLockFile.examine(this.path, this.self, this.effectiveUid);
		}
		catch (IOException ex) {
			throw creationFailed(ex);
		}
		if (outcome.verdict() == ExistingLockFile.Verdict.RECLAIMED) {
			this.staleReclaims.incrementAndGet();
			this.lastStaleReclaim = this.clock.instant();
			String previousOwner = outcome.marker().summary();
			logger.log(Level.WARNING, () -> "Removed stale update lock " + this.path + " left by dead " + previousOwner);
			Instant reclaimedAt = this.lastStaleReclaim;
			publish((sequence) -> new StaleUpdateLockReclaimedEvent(this.path, reclaimedAt, previousOwner, sequence));
		}
		else if (outcome.verdict() == ExistingLockFile.Verdict.UNDELETABLE && !this.warnedUndeletable) {
			this.warnedUndeletable = true;
			logger.log(Level.WARNING, () -> "Update lock " + this.path + " was left by dead "
					+ outcome.marker().summary() + " but cannot be removed (" + outcome.problem()
					+ "): it blocks updates until someone deletes it or the device reboots");
		}
		return outcome;
	}

	/** Remembers why the lock file could not be taken, for the snapshot, and says so to the caller. */
	private UpdateLockException creationFailed(IOException ex) {
		this.creationFailure = ex.getMessage();
		return new UpdateLockException("Could not create update lock " + this.path + ": " + ex.getMessage(), ex);
	}

	private UpdateLockHold startHolding(OwnedLockFile file, String holder, String declaredName) {
		takeFileOrGiveBack(file, holder);
		UpdateLockHold hold = this.holds.add(holder, declaredName, this.heldSince, true);
		announceTaken(file, holder);
		return hold;
	}

	/**
	 * {@link #takeFile Takes} a file we just created; if that fails (a scheduler that refuses
	 * the watch, say), removes the file again before the failure reaches the caller. Else
	 * it would stay, with its flock, counted by no hold: updates would wait on it, and so
	 * would our own next hold, until the JVM exits.
	 */
	private void takeFileOrGiveBack(OwnedLockFile file, String holder) {
		try {
			takeFile(file, holder);
		}
		catch (RuntimeException | Error ex) {
			if (this.lockFile == file) {
				this.lockFile = null;
			}
			logger.log(Level.ERROR, "Could not take update lock " + this.path + " for '" + holder
					+ "'; removing the file just created", ex);
			this.unremoved.removeOrKeepTrying(file);
			throw ex;
		}
	}

	/**
	 * Makes a file we just created the lock of every hold, the active ones included: after a
	 * loss or while holds ran unprotected, they all count on it from now on. Called under the
	 * file lock; the caller {@linkplain #announceTaken announces} it once its hold counts.
	 */
	private void takeFile(OwnedLockFile file, String holder) {
		OwnedLockFile previous = this.lockFile;
		// What can fail (a scheduler that refuses a task) comes before any state changes.
		startWatch();
		if (previous == null && this.heldFileEvents != null) {
			this.heldFileEvents.fileTaken();
		}
		boolean wasLost = this.lost;
		int activeHolds = this.holds.count();
		this.lockFile = file;
		this.heldSince = this.coarseClock.refresh();
		this.lost = false;
		this.directoryProblem = null;
		this.creationFailure = null;
		this.flockProblem = file.flockProblem();
		this.blocker = null;
		this.blockedSince = null;
		if (previous != null) {
			// The lost file: the path names our new file now, so this only drops its descriptor.
			previous.close();
		}
		// Without a binding, the start-up warning has said so already, with the root causes.
		if (this.flockEnabled && !file.flockHeld() && this.libcBinding.get().available()) {
			logger.log(Level.WARNING, () -> LockEnvironment
				.warning(UpdateLockProblem.FLOCK_UNAVAILABLE, this.path, file.flockProblem())
				.message());
		}
		if (activeHolds > 0) {
			String ranHow = wasLost ? "on after its loss" : "unprotected";
			logger.log(Level.INFO, () -> "Update lock " + this.path + " is ours again: the " + activeHolds
					+ " hold(s) that ran " + ranHow + " are protected from now on (taken for '" + holder + "')");
		}
		else {
			logger.log(Level.DEBUG, () -> "Took update lock " + this.path + " for '" + holder + "'");
		}
	}

	/**
	 * Publishes that the lock file was taken. Called under the file lock, after the hold that
	 * took it counts: a listener that reads the {@link #snapshot()} on the event must find the
	 * lock {@code HELD}, not the moment before (a poll started by the event would stop for good
	 * on {@code RELEASED}). And before any other hold may join the file, so that no event of a
	 * hold on it comes first.
	 */
	private void announceTaken(OwnedLockFile file, String holder) {
		Instant since = this.heldSince.instant();
		publish((sequence) -> new UpdateLockAcquiredEvent(this.path, since, holder, file.flockHeld(), sequence));
	}

	private Attempt unprotectedOrRefused(String holder, String declaredName, UpdateLockProblem problem) {
		if (this.unavailablePolicy == UnavailableLockPolicy.FAIL) {
			return Attempt.refused(problem);
		}
		if (!this.warnedUnprotected) {
			this.warnedUnprotected = true;
			logger.log(Level.WARNING, () -> "Running '" + holder + "' WITHOUT an update lock: "
					+ LockEnvironment.warning(problem, this.path, null).message());
		}
		startWatch();
		return Attempt.granted(this.holds.add(holder, declaredName, this.coarseClock.refresh(), false));
	}

	private Attempt blockedBy(UpdateLockBlocker found) {
		if (this.blocker != found || this.blockedSince == null) {
			this.blockedSince = this.coarseClock.exact();
		}
		this.blocker = found;
		return Attempt.blocked(found);
	}

	/** Called under the file lock when the count drops to zero. */
	private void releaseFile() {
		OwnedLockFile file = this.lockFile;
		if (file == null) {
			return;
		}
		this.lockFile = null;
		boolean wasLost = this.lost;
		this.lost = false;
		if (this.heldFileEvents != null) {
			this.heldFileEvents.fileReleased();
		}
		Boolean removed = this.unremoved.removeOrKeepTrying(file);
		if (removed == null) {
			// Not an override: our file is still there, and its removal is retried.
			Instant releasedAt = this.clock.instant();
			publish((sequence) -> new UpdateLockReleasedEvent(this.path, releasedAt, false, sequence));
			return;
		}
		if (!removed) {
			logger.log(Level.WARNING, () -> "Update lock " + this.path
					+ " was no longer ours at release (override or deletion); left it alone");
			if (!wasLost) {
				this.lastLost = this.clock.instant();
			}
		}
		Instant releasedAt = this.clock.instant();
		publish((sequence) -> new UpdateLockReleasedEvent(this.path, releasedAt, removed, sequence));
	}

	/**
	 * Starts the watch, which also keeps the coarse clock of joining holds fresh. Started
	 * once and left running: scheduling and cancelling per lock cycle would cost more than
	 * the idle rounds, which do no I/O. Called under the file lock.
	 */
	private void startWatch() {
		if (this.watch == null) {
			this.watch = this.scheduler.schedule(this::watchRound, this.watchInterval);
		}
	}

	private void watchRound() {
		try {
			if (this.closed) {
				return;
			}
			this.coarseClock.refresh();
			checkStillOurs();
			retryUnprotected();
			reportLongHolds();
		}
		catch (Throwable ex) {
			// A scheduled task that throws is never run again: the loss of the lock would go
			// unnoticed and the coarse clock would stop. Report it and keep watching.
			logger.log(Level.WARNING, "Update lock watch round failed; watching on", ex);
		}
		if (!this.closed) {
			this.watch = this.scheduler.schedule(this::watchRound, this.watchInterval);
		}
	}

	/**
	 * Checks that the path still names our file; marks the lock lost if not.
	 * @return {@code false} if it could not look because an acquisition or release was
	 * running
	 */
	private boolean checkStillOurs() {
		int activeHolds;
		if (this.lockFile == null || this.lost) {
			return true;
		}
		if (!this.fileLock.tryLock()) {
			return false;
		}
		try {
			OwnedLockFile file = this.lockFile;
			if (file == null || this.lost || file.isStillAtPath()) {
				return true;
			}
			this.lost = true;
			this.holds.joinable(false);
			Instant lostAt = this.clock.instant();
			this.lastLost = lostAt;
			activeHolds = this.holds.count();
			publish((sequence) -> new UpdateLockLostEvent(this.path, lostAt, activeHolds, sequence));
		}
		finally {
			this.fileLock.unlock();
		}
		logger.log(Level.WARNING, () -> "Update lock " + this.path + " was taken away while " + activeHolds
				+ " hold(s) were active (override, force update or deletion): the running work is no longer "
				+ "protected and an update may stop this application");
		return true;
	}

	/**
	 * Called by the directory watch, on its thread, when the lock path may have changed:
	 * wakes whoever waits for the lock and has the held file checked on the scheduler. Each
	 * of them looks at the path again; an event is never taken for the truth.
	 */
	private void lockPathChanged() {
		for (Thread sleeper : this.sleepers) {
			LockSupport.unpark(sleeper);
		}
		for (Runnable waker : this.backgroundWakers) {
			waker.run();
		}
		requestCheck();
	}

	/** Schedules a look at the path unless one is scheduled already or there is nothing of ours to check. */
	private void requestCheck() {
		if (this.lockFile != null && !this.lost && this.checkRequested.compareAndSet(false, true)) {
			this.scheduler.schedule(this::checkOnChange, Duration.ZERO);
		}
	}

	private void checkOnChange() {
		this.checkRequested.set(false);
		try {
			if (!this.closed && !checkStillOurs() && this.checkRequested.compareAndSet(false, true)) {
				// Our own acquisition or release is running: look again shortly rather than at the next round.
				this.scheduler.schedule(this::checkOnChange, CHECK_AGAIN_AFTER);
			}
		}
		catch (Throwable ex) {
			logger.log(Level.WARNING, "Update lock check after a change of " + this.path + " failed", ex);
		}
	}

	private void demandDirectoryEvents() {
		if (this.directoryWatch != null) {
			this.directoryWatch.demand();
		}
	}

	private void undemandDirectoryEvents() {
		if (this.directoryWatch != null) {
			this.directoryWatch.undemand();
		}
	}

	/**
	 * While holds run unprotected, tries once per round to create the lock file, so that
	 * protection starts as soon as the directory becomes usable (the Supervisor makes it 1777
	 * only once it has taken a lock itself). A lost lock is not retried here: re-creating the
	 * file would fight the override; only a new hold takes it again.
	 */
	private void retryUnprotected() {
		if (this.lockFile != null || this.runningAsSupervisorUid || this.holds.count() == 0
				|| !this.fileLock.tryLock()) {
			return;
		}
		try {
			if (this.closed || this.lockFile != null || this.holds.count() == 0) {
				return;
			}
			String holder = this.holds.oldestName();
			OwnedLockFile file = OwnedLockFile.create(this.nativePath, flockWantedAndPossible(), this.self,
					this.clock.instant());
			takeFileOrGiveBack(file, holder);
			this.holds.joinable(true);
			announceTaken(file, holder);
		}
		catch (LockFileCreationException ex) {
			switch (ex.reason()) {
				case DIRECTORY_MISSING -> this.directoryProblem = UpdateLockProblem.LOCK_DIRECTORY_MISSING;
				case NOT_WRITABLE -> {
					this.directoryProblem = UpdateLockProblem.LOCK_DIRECTORY_NOT_WRITABLE;
					this.directoryDetail = ex.getMessage();
				}
				case SUPERVISOR_OWNER -> this.directoryProblem = UpdateLockProblem.RUNNING_AS_SUPERVISOR_UID;
				case EXISTS -> {
					this.directoryProblem = null;
					// A stale file of ours in the way is reclaimed now; anyone else's is left alone.
					examineExisting();
				}
				default -> {
					// Someone else's flock: try again next round.
				}
			}
		}
		catch (IOException ex) {
			this.creationFailure = ex.getMessage();
			logger.log(Level.DEBUG, () -> "Could not create update lock " + this.path + ": " + ex.getMessage());
		}
		finally {
			this.fileLock.unlock();
		}
	}

	/** Warns once about each hold that has lived longer than the long-hold warning. */
	private void reportLongHolds() {
		if (this.longHoldWarning.isZero() || this.holds.count() == 0) {
			return;
		}
		Instant now = this.clock.instant();
		for (ActiveHold hold : this.holds.markLongRunning(nanoTime(), this.longHoldWarning.toNanos(),
				this.watchInterval.toNanos())) {
			Duration age = hold.age();
			logger.log(Level.WARNING, () -> "Hold '" + hold.name() + "' (#" + hold.id() + ") on update lock "
					+ this.path + " has been active for " + age.withNanos(0) + ", since " + hold.since()
					+ ": updates of this application wait until it ends. If the work is stuck or the hold was never "
					+ "released, fix the caller; an operator can override the lock.");
			publish((sequence) -> new UpdateLockLongHoldEvent(this.path, now, hold, age, sequence));
		}
	}

	private UpdateLockStatus status(OwnedLockFile file, UpdateLockBlocker currentBlocker) {
		if (this.holds.count() > 0) {
			if (file == null) {
				return UpdateLockStatus.UNAVAILABLE;
			}
			return this.lost ? UpdateLockStatus.LOST : UpdateLockStatus.HELD;
		}
		if (currentBlocker != null && this.waiters.get() > 0) {
			return UpdateLockStatus.WAITING;
		}
		return warnings().stream().anyMatch((warning) -> warning.problem().preventsLocking())
				? UpdateLockStatus.UNAVAILABLE : UpdateLockStatus.RELEASED;
	}

	private List<UpdateLockWarning> warnings() {
		UpdateLockProblem directory = this.directoryProblem;
		String flock = this.flockProblem;
		String creation = this.creationFailure;
		String removal = this.unremoved.failure();
		if (directory == null && flock == null && creation == null && removal == null) {
			return this.fixedWarnings.get();
		}
		List<UpdateLockWarning> warnings = new ArrayList<>(this.fixedWarnings.get());
		if (directory != null) {
			warnings.add(0, LockEnvironment.warning(directory, this.path,
					(directory == UpdateLockProblem.LOCK_DIRECTORY_NOT_WRITABLE) ? this.directoryDetail : null));
		}
		if (flock != null && this.flockEnabled && this.libcBinding.get().available()) {
			warnings.add(LockEnvironment.warning(UpdateLockProblem.FLOCK_UNAVAILABLE, this.path, flock));
		}
		if (creation != null) {
			warnings.add(LockEnvironment.warning(UpdateLockProblem.CREATION_FAILED, this.path, creation));
		}
		if (removal != null) {
			warnings.add(0, LockEnvironment.warning(UpdateLockProblem.REMOVAL_FAILED, this.path, removal));
		}
		return warnings;
	}

	/** Whether to ask for a flock: not where no libc binding loaded, which leaves nothing to take it with. */
	private boolean flockWantedAndPossible() {
		return this.flockEnabled && this.libcBinding.get().available();
	}

	private IllegalStateException closedException() {
		return new IllegalStateException("UpdateLockManager for " + this.path + " is closed");
	}

	private UpdateLockUnavailableException unavailable(UpdateLockProblem problem) {
		UpdateLockWarning warning = LockEnvironment.warning(problem, this.path, null);
		return new UpdateLockUnavailableException(warning.message(), List.of(warning));
	}

	private UpdateLockTimeoutException timeout(String holder, UpdateLockBlocker by, Duration waited) {
		CoarseClock.Reading since = this.blockedSince;
		Duration blockedFor = (since != null) ? Duration.ofNanos(nanoTime() - since.nanos()) : waited;
		String who = switch (by) {
			case SUPERVISOR -> "the Supervisor (an update is being applied)";
			case LIVE_INSTANCE -> "another live instance of this application";
			case FOREIGN -> "another program (an entry without our marker)";
		};
		return new UpdateLockTimeoutException("Could not take update lock " + this.path + " for '" + holder
				+ "' within " + waited.toMillis() + " ms: held by " + who + ", seen for " + blockedFor.toMillis()
				+ " ms", by, blockedFor);
	}

	private void publishHoldAcquired(UpdateLockHold hold, Duration waited) {
		if (!this.holdListeners.isEmpty()) {
			UpdateLockStatus status = status(this.lockFile, null);
			ActiveHold acquired = hold.info(nanoTime());
			this.events.publish(this.holdListeners, (sequence) -> new UpdateLockHoldAcquiredEvent(this.path,
					hold.since(), acquired, waited, status, sequence));
		}
	}

	/**
	 * Queues the event of a hold's release; the registry calls it for a hold that was not the last.
	 * @param releasedAt when it was released, or {@code null} when no listener wanted the event
	 */
	void publishHoldReleased(UpdateLockHold hold, @Nullable Instant releasedAt) {
		if (releasedAt != null) {
			// Its age on the monotonic clock: the wall clock may have stepped since the hold began.
			ActiveHold released = hold.info(nanoTime());
			this.events.publish(this.holdListeners, (sequence) -> new UpdateLockHoldReleasedEvent(this.path,
					releasedAt, released, released.age(), sequence));
		}
	}

	private void publish(LongFunction<UpdateLockEvent> event) {
		this.events.publish(this.listeners, event);
	}

	private void logStartup() {
		LibcBinding binding = this.libcBinding.get();
		logger.log(Level.INFO, () -> "Update lock at " + this.path + " (flock "
				+ (this.flockEnabled ? (binding.available() ? "on" : "unavailable") : "off: app updates only")
				+ ", native: " + binding.name() + ")");
		for (UpdateLockWarning warning : warnings()) {
			logger.log(Level.WARNING, warning.message());
		}
	}

	/** A wait of "practically forever" (a startup hold) must not overflow {@link Duration#toNanos()}. */
	private static long saturatedNanos(Duration duration) {
		return (duration.getSeconds() >= Long.MAX_VALUE / 4_000_000_000L) ? Long.MAX_VALUE / 4 : duration.toNanos();
	}

	/** From {@code /proc}, which needs no native binding; through libc only where {@code /proc} cannot tell. */
	private static int effectiveUid() {
		int uid = Uids.effective();
		return (uid < 0 && NativeAccess.available()) ? Libc.geteuid() : uid;
	}

	private static <T> Supplier<T> memoized(Supplier<T> source) {
		return new Supplier<>() {

			private volatile T value;

			@Override
			public T get() {
				T known = this.value;
				if (known == null) {
					known = source.get();
					this.value = known;
				}
				return known;
			}

		};
	}

	private record Attempt(UpdateLockHold hold, UpdateLockBlocker blocker, UpdateLockProblem unavailable) {

		static Attempt granted(UpdateLockHold hold) {
			return new Attempt(hold, null, null);
		}

		static Attempt blocked(UpdateLockBlocker blocker) {
			return new Attempt(null, blocker, null);
		}

		static Attempt refused(UpdateLockProblem problem) {
			return new Attempt(null, null, problem);
		}

	}

	/**
	 * Builds an {@link UpdateLockManager}.
	 */
	public static final class Builder {

		private static final Set<String> LOCK_FILE_NAMES = Set.of("updates.lock", "resin-updates.lock");

		private Path lockPath;

		private Map<String, String> environment = System.getenv();

		private boolean flock = true;

		private Duration acquireTimeout = Duration.ofSeconds(10);

		private Duration initialBackoff = Duration.ofMillis(50);

		private Duration maxBackoff = Duration.ofSeconds(2);

		private Duration watchInterval = Duration.ofMillis(500);

		private Duration longHoldWarning = Duration.ofHours(1);

		private UnavailableLockPolicy unavailablePolicy = UnavailableLockPolicy.RUN_UNPROTECTED;

		private Clock clock = Clock.systemUTC();

		private MonotonicClock monotonicClock = MonotonicClock.SYSTEM;

		private boolean shutdownHook = true;

		private final List<UpdateLockListener> listeners = new ArrayList<>();

		private Integer effectiveUid;

		private LibcBinding libcBinding;

		private UpdateLockScheduler scheduler;

		private boolean directoryEvents = true;

		private Builder() {
		}

		/**
		 * The lock file. Default: {@code BALENA_APP_LOCK_PATH}, then {@code RESIN_APP_LOCK_PATH},
		 * then {@code /tmp/balena/updates.lock}.
		 * @param lockPath the lock file, or {@code null} for the default resolution
		 * @return this builder
		 */
		public Builder lockPath(@Nullable Path lockPath) {
			if (lockPath != null) {
				Path fileName = lockPath.getFileName();
				if (fileName == null || !LOCK_FILE_NAMES.contains(fileName.toString())) {
					// The Supervisor and the host OS probe look for these names only: any other
					// file would be a lock that protects nothing.
					throw new IllegalArgumentException("lockPath must name a file called updates.lock (or the legacy "
							+ "resin-updates.lock), was " + lockPath);
				}
			}
			this.lockPath = lockPath;
			return this;
		}

		/**
		 * The environment read for the lock path and override variables. Default: the process environment.
		 * @param environment the variables
		 * @return this builder
		 */
		public Builder environment(Map<String, String> environment) {
			this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
			return this;
		}

		/**
		 * Whether to hold a {@code flock(2)} on the lock file, so that host OS updates wait too. Default: {@code true}.
		 * @param flock whether to flock
		 * @return this builder
		 */
		public Builder flock(boolean flock) {
			this.flock = flock;
			return this;
		}

		/**
		 * How long {@link UpdateLockManager#acquire(String)} waits for a lock held elsewhere. Default: 10 s.
		 * @param acquireTimeout zero or more
		 * @return this builder
		 */
		public Builder acquireTimeout(Duration acquireTimeout) {
			this.acquireTimeout = DurationRules.requireNotNegative(acquireTimeout, "acquireTimeout");
			return this;
		}

		/**
		 * The first pause between two tries while waiting; it doubles up to the maximum. Default: 50 ms.
		 * @param initialBackoff more than zero
		 * @return this builder
		 */
		public Builder initialBackoff(Duration initialBackoff) {
			this.initialBackoff = DurationRules.requirePositive(initialBackoff, "initialBackoff");
			return this;
		}

		/**
		 * The longest pause between two tries while waiting. A change of the lock path wakes
		 * the wait at once where the file system reports changes; this bounds how late a freed
		 * lock is noticed where it does not. Default: 2 s.
		 * @param maxBackoff more than zero
		 * @return this builder
		 */
		public Builder maxBackoff(Duration maxBackoff) {
			this.maxBackoff = DurationRules.requirePositive(maxBackoff, "maxBackoff");
			return this;
		}

		/**
		 * How often a held lock file is checked to still be ours. A change of the lock path has
		 * it checked at once where the file system reports changes; this is the fallback.
		 * Default: 500 ms.
		 * @param watchInterval more than zero
		 * @return this builder
		 */
		public Builder watchInterval(Duration watchInterval) {
			this.watchInterval = DurationRules.requirePositive(watchInterval, "watchInterval");
			return this;
		}

		/**
		 * How long a hold may live before a warning names it (once, in the log and as an
		 * {@link UpdateLockLongHoldEvent}), and snapshots mark it
		 * {@link ActiveHold#longRunning() long-running}: a hold that never ends blocks updates
		 * until an operator overrides the lock. Default: 1 h; {@link Duration#ZERO} switches
		 * the warning off.
		 * @param longHoldWarning zero or more
		 * @return this builder
		 */
		public Builder longHoldWarning(Duration longHoldWarning) {
			this.longHoldWarning = DurationRules.requireNotNegative(longHoldWarning, "longHoldWarning");
			return this;
		}

		/**
		 * What an acquisition does when the lock cannot protect anything here. Default:
		 * {@link UnavailableLockPolicy#RUN_UNPROTECTED}.
		 * @param unavailablePolicy the policy
		 * @return this builder
		 */
		public Builder unavailablePolicy(UnavailableLockPolicy unavailablePolicy) {
			this.unavailablePolicy = Objects.requireNonNull(unavailablePolicy, "unavailablePolicy");
			return this;
		}

		/**
		 * The wall clock for the instants shown to people ({@code since} and the time of each
		 * event). No duration is measured with it: see {@link #monotonicClock(MonotonicClock)}.
		 * Default: the UTC system clock.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * The clock every duration is measured with: ages, waits, the long-hold warning, for
		 * how long a blocker was seen. Default: {@link MonotonicClock#SYSTEM}; tests move it
		 * apart from the wall clock.
		 * @param monotonicClock the clock
		 * @return this builder
		 */
		public Builder monotonicClock(MonotonicClock monotonicClock) {
			this.monotonicClock = Objects.requireNonNull(monotonicClock, "monotonicClock");
			return this;
		}

		/**
		 * Whether a JVM shutdown hook closes the manager. Default: {@code true}; frameworks that
		 * close it themselves switch it off.
		 * @param shutdownHook whether to register the hook
		 * @return this builder
		 */
		public Builder shutdownHook(boolean shutdownHook) {
			this.shutdownHook = shutdownHook;
			return this;
		}

		/**
		 * Adds a listener.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(UpdateLockListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/**
		 * Where the watch and the delayed tasks of holds built on the manager run. Default:
		 * a daemon thread of the manager's own, stopped by {@link UpdateLockManager#close()};
		 * a scheduler passed here is left running.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(UpdateLockScheduler scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
			return this;
		}

		/** For tests only: the uid to behave as, since a test JVM cannot switch uid. */
		Builder effectiveUid(int effectiveUid) {
			this.effectiveUid = effectiveUid;
			return this;
		}

		/**
		 * For tests only: whether to watch the lock directory for changes; without, waiting
		 * and the lost-lock watch only poll, as on a file system that delivers no events.
		 */
		Builder directoryEvents(boolean directoryEvents) {
			this.directoryEvents = directoryEvents;
			return this;
		}

		/**
		 * For tests only: as if no libc binding had loaded in this JVM (native access denied,
		 * JNA missing), so that no flock is taken; the file is still created through the
		 * binding that did load.
		 */
		Builder libcBinding(LibcBinding libcBinding) {
			this.libcBinding = libcBinding;
			return this;
		}

		/**
		 * Builds the manager. Logs the lock path and every problem found.
		 * @return a new manager
		 */
		public UpdateLockManager build() {
			if (this.maxBackoff.compareTo(this.initialBackoff) < 0) {
				throw new IllegalArgumentException(
						"maxBackoff (" + this.maxBackoff + ") must not be less than initialBackoff ("
								+ this.initialBackoff + ")");
			}
			return new UpdateLockManager(this);
		}

	}

}
