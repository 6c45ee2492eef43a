package io.github.updatelock.supervisor;

/**
 * Releases holds the {@link UpdatePendingMonitor} does not own, when its
 * {@link UpdateYieldPolicy} says to give way to a pending update. Whoever took the startup
 * or update-window hold implements it (a framework, or {@link YieldableHolds}), so the
 * monitor never reaches into the lock manager.
 */
@FunctionalInterface
public interface HoldYielder {

	/**
	 * Releases this process's yieldable hold(s) of that name, if any is active. Called on the
	 * monitor's poll thread, only for names the policy lists; an exception is logged.
	 * @param holdName the hold's name
	 * @return whether a hold was released
	 */
	boolean yieldHolds(String holdName);

}
