package io.github.updatelock.context;

import java.util.Objects;

import io.github.updatelock.context.UpdateLockLifecycle;
import io.github.updatelock.window.UpdateWindowGuard;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link UpdateWindowGuard} with the application and closes it on shutdown.
 * <p>
 * Its phase is just above {@link UpdateLockLifecycle#PHASE}: it starts right after the
 * startup hold is taken and stops right before the update lock's own shutdown, which waits
 * for the remaining holds to end. Closing the guard first releases the window hold, so that
 * wait covers only holds that protect running work. A closed guard cannot be started again.
 */
public final class UpdateWindowLifecycle implements SmartLifecycle {

	/** The phase: one above the update lock's own lifecycle. */
	public static final int PHASE = UpdateLockLifecycle.PHASE + 1;

	private final UpdateWindowGuard guard;

	private volatile boolean running;

	/**
	 * Creates the lifecycle.
	 * @param guard the guard to start and close
	 */
	public UpdateWindowLifecycle(UpdateWindowGuard guard) {
		this.guard = Objects.requireNonNull(guard, "guard");
	}

	@Override
	public void start() {
		this.guard.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.guard.close();
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
