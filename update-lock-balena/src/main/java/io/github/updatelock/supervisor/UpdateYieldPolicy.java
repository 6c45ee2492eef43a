package io.github.updatelock.supervisor;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

import io.github.updatelock.DurationRules;

/**
 * How the application gives way to an update that waits on its lock.
 * <p>
 * Only the holds named here are ever released, and only through a {@link HoldYielder}:
 * they are the holds that express a preference ("not during startup", "only in my update
 * window"), not the ones that protect running work. With {@link UpdateYieldMode#WHEN_IDLE}
 * they are released as soon as an update is pending and no other hold is active: the lock
 * file goes away at once and the update proceeds.
 * <p>
 * With a maximum deferral they are also released once the update has been pending that
 * long, even while other holds (critical sections) are active. Those holds are never
 * touched: the lock stays held until the last of them ends, and the update then proceeds
 * at that first idle moment instead of waiting for the startup or window hold too. Holds
 * taken in the meantime join the lock and can extend the wait; nothing is ever cut short.
 *
 * @param mode whether to give way
 * @param holdNames the names of the holds that may be released; ignored for {@code NEVER}
 * @param maxDeferral how long a pending update may wait on the yieldable holds while other
 * holds are active, or {@code null} to wait for an idle moment however long it takes;
 * ignored for {@code NEVER}
 */
public record UpdateYieldPolicy(UpdateYieldMode mode, Set<String> holdNames, Duration maxDeferral) {

	private static final UpdateYieldPolicy NEVER = new UpdateYieldPolicy(UpdateYieldMode.NEVER, Set.of(), null);

	/**
	 * Checks the policy.
	 * @param mode whether to give way
	 * @param holdNames the names of the holds that may be released; ignored for {@code NEVER}
	 * @param maxDeferral how long a pending update may wait on the yieldable holds while other
	 * holds are active, or {@code null} to wait for an idle moment however long it takes;
	 * ignored for {@code NEVER}
	 */
	public UpdateYieldPolicy {
		Objects.requireNonNull(mode, "mode");
		holdNames = Set.copyOf(Objects.requireNonNull(holdNames, "holdNames"));
		if (holdNames.stream().anyMatch(String::isBlank)) {
			throw new IllegalArgumentException("holdNames must not contain blank names");
		}
		if (mode == UpdateYieldMode.WHEN_IDLE && holdNames.isEmpty()) {
			throw new IllegalArgumentException("holdNames must name at least one hold when mode is WHEN_IDLE");
		}
		if (maxDeferral != null) {
			DurationRules.requirePositive(maxDeferral, "maxDeferral");
		}
	}

	/**
	 * Never give way (the default).
	 * @return the policy
	 */
	public static UpdateYieldPolicy never() {
		return NEVER;
	}

	/**
	 * Release the named holds when an update is pending and no other hold is active.
	 * @param holdNames the names of the yieldable holds, at least one
	 * @return the policy, without a maximum deferral
	 */
	public static UpdateYieldPolicy whenIdle(String... holdNames) {
		return new UpdateYieldPolicy(UpdateYieldMode.WHEN_IDLE, Set.copyOf(Arrays.asList(holdNames)), null);
	}

	/**
	 * A copy that also releases the yieldable holds once an update has been pending for
	 * {@code maxDeferral}, while other holds are active.
	 * @param maxDeferral more than zero
	 * @return the new policy
	 */
	public UpdateYieldPolicy withMaxDeferral(Duration maxDeferral) {
		return new UpdateYieldPolicy(this.mode, this.holdNames, Objects.requireNonNull(maxDeferral, "maxDeferral"));
	}

	/**
	 * Whether a hold of this name may be yielded.
	 * @param holdName a hold name
	 * @return {@code true} if the mode is {@code WHEN_IDLE} and the name is listed
	 */
	public boolean yields(String holdName) {
		return this.mode == UpdateYieldMode.WHEN_IDLE && this.holdNames.contains(holdName);
	}

}
