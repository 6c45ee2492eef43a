package io.github.updatelock.supervisor;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.updatelock.UpdateLockHold;

/**
 * A {@link HoldYielder} for plain Java: register the holds that may give way (a startup
 * hold, say) with {@link #track(UpdateLockHold)}, and a yield releases those of the asked
 * name. Thread-safe.
 */
public final class YieldableHolds implements HoldYielder {

	private final Set<UpdateLockHold> holds = ConcurrentHashMap.newKeySet();

	/**
	 * Makes a hold yieldable. Release it yourself as usual when it ends first.
	 * @param hold an active hold
	 * @return the same hold
	 */
	public UpdateLockHold track(UpdateLockHold hold) {
		this.holds.add(Objects.requireNonNull(hold, "hold"));
		return hold;
	}

	@Override
	public boolean yieldHolds(String holdName) {
		boolean released = false;
		for (UpdateLockHold hold : this.holds) {
			if (hold.isReleased()) {
				this.holds.remove(hold);
			}
			else if (hold.name().equals(holdName) && this.holds.remove(hold)) {
				hold.release();
				released = true;
			}
		}
		return released;
	}

}
