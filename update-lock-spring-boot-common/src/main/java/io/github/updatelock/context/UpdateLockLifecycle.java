package io.github.updatelock.context;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.UpdateLockProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Takes the startup hold as the application starts and, on an orderly shutdown (such as a
 * SIGTERM from {@code docker stop}), releases it and gives running holds a bounded time to
 * end before Spring closes the {@link UpdateLockManager}, which releases whatever is left
 * and removes the lock file.
 * <p>
 * Its {@linkplain #PHASE phase} is very low: it starts before other lifecycle beans (so
 * that an application that waits for its startup hold serves nothing before it has it) and
 * stops after them (so that web requests, listener containers and schedulers wind down
 * while the lock still protects their work).
 */
public final class UpdateLockLifecycle implements SmartLifecycle {

	/** The phase: well below the default phase of lifecycle beans and Spring's web servers. */
	public static final int PHASE = Integer.MIN_VALUE / 2;

	private static final Log logger = LogFactory.getLog(UpdateLockLifecycle.class);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	private final UpdateLockManager manager;

	private final UpdateLockStartupHold startupHold;

	private final UpdateLockProperties properties;

	private volatile boolean running;

	/**
	 * Creates the lifecycle.
	 * @param manager the manager whose holds shutdown waits for
	 * @param startupHold the startup hold
	 * @param properties the configuration: hold on startup, startup and shutdown waits
	 */
	public UpdateLockLifecycle(UpdateLockManager manager, UpdateLockStartupHold startupHold,
			UpdateLockProperties properties) {
		this.manager = Objects.requireNonNull(manager, "manager");
		this.startupHold = Objects.requireNonNull(startupHold, "startupHold");
		this.properties = Objects.requireNonNull(properties, "properties");
	}

	@Override
	public void start() {
		this.running = true;
		if (this.properties.isHoldOnStartup()) {
			takeStartupHold();
		}
	}

	private void takeStartupHold() {
		UpdateLockProperties.Startup startup = this.properties.getStartup();
		this.startupHold.take();
		if (!startup.getWait().isZero()) {
			this.startupHold.awaitHeld(startup.getWait());
		}
		UpdateLockStartupHold.State state = this.startupHold.state();
		if (state == UpdateLockStartupHold.State.HELD) {
			return;
		}
		if (startup.isRequired() && state != UpdateLockStartupHold.State.RELEASED) {
			// Described before the release: stopping the wait also forgets who blocked it.
			RuntimeException failure = this.startupHold.failure();
			String message = startupFailure(state, failure);
			this.startupHold.release();
			this.running = false;
			throw new UpdateLockStartupException(message, this.startupHold.name(), this.manager.path(), state,
					failure);
		}
		if (state == UpdateLockStartupHold.State.WAITING) {
			logger.info("Startup hold '" + this.startupHold.name() + "' is waiting: " + this.manager.path()
					+ " is held by " + blockerName() + "; the application starts and takes the hold as soon as the "
					+ "lock is free");
		}
	}

	private String startupFailure(UpdateLockStartupHold.State state, RuntimeException failure) {
		if (state == UpdateLockStartupHold.State.FAILED) {
			return "Could not take the startup hold '" + this.startupHold.name() + "' on " + this.manager.path()
					+ ": " + ((failure != null) ? failure.getMessage() : "unknown reason");
		}
		return "The startup hold '" + this.startupHold.name() + "' on " + this.manager.path()
				+ " was not taken within " + this.properties.getStartup().getWait() + ": the lock was held by "
				+ blockerName();
	}

	private String blockerName() {
		UpdateLockBlocker blocker = this.manager.snapshot().blocker();
		return (blocker != null) ? blocker.name() : "someone else";
	}

	@Override
	public void stop() {
		this.running = false;
		this.startupHold.release();
		awaitHoldsEnded(this.properties.getShutdown().getWait());
	}

	private void awaitHoldsEnded(Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		List<ActiveHold> holds = this.manager.snapshot().holds();
		while (!holds.isEmpty() && deadline - System.nanoTime() > 0) {
			LockSupport.parkNanos(Math.min(POLL_NANOS, deadline - System.nanoTime()));
			holds = this.manager.snapshot().holds();
		}
		if (!holds.isEmpty()) {
			logger.warn(holds.size() + " update lock hold(s) still active after " + wait + " of shutdown: "
					+ holds.stream().map(ActiveHold::name).toList()
					+ "; they are released when the manager closes, with their work unfinished");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
