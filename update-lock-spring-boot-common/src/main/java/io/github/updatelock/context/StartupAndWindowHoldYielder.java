package io.github.updatelock.context;

import io.github.updatelock.context.UpdateLockStartupHold;
import io.github.updatelock.supervisor.HoldYielder;
import io.github.updatelock.window.UpdateWindowGuard;

/**
 * Yields the two holds the starter takes for the application's preference rather than for
 * running work: the {@link UpdateLockStartupHold} (released, as if by the application) and
 * the {@link UpdateWindowGuard}'s hold (released until the window schedule's next transition,
 * see {@link UpdateWindowGuard#yieldHold()}). Other names are never released.
 */
public final class StartupAndWindowHoldYielder implements HoldYielder {

	private final UpdateLockStartupHold startupHold;

	private final UpdateWindowGuard windowGuard;

	/**
	 * Creates a yielder.
	 * @param startupHold the startup hold, or {@code null} when there is none
	 * @param windowGuard the window guard, or {@code null} when no windows are configured
	 */
	public StartupAndWindowHoldYielder(UpdateLockStartupHold startupHold, UpdateWindowGuard windowGuard) {
		this.startupHold = startupHold;
		this.windowGuard = windowGuard;
	}

	@Override
	public boolean yieldHolds(String holdName) {
		boolean released = false;
		if (this.startupHold != null && this.startupHold.name().equals(holdName)
				&& this.startupHold.state() == UpdateLockStartupHold.State.HELD) {
			this.startupHold.release();
			released = true;
		}
		if (this.windowGuard != null && this.windowGuard.holdName().equals(holdName)) {
			released |= this.windowGuard.yieldHold();
		}
		return released;
	}

}
