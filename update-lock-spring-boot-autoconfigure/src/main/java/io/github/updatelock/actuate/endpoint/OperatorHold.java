package io.github.updatelock.actuate.endpoint;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import io.github.updatelock.UpdateLockHold;
import org.jspecify.annotations.Nullable;

/**
 * A hold taken through the {@link UpdateLockEndpoint}, with when it ends by itself.
 */
final class OperatorHold {

	private final UpdateLockHold hold;

	private final @Nullable Instant expiresAt;

	private volatile @Nullable ScheduledFuture<?> expiry;

	private volatile boolean expiryCancelled;

	OperatorHold(UpdateLockHold hold, @Nullable Instant expiresAt) {
		this.hold = hold;
		this.expiresAt = expiresAt;
	}

	UpdateLockHold hold() {
		return this.hold;
	}

	@Nullable Instant expiresAt() {
		return this.expiresAt;
	}

	/**
	 * Remembers the task that ends this hold, so that a release by hand can cancel it.
	 * @param expiry the scheduled task
	 */
	void expiresWith(ScheduledFuture<?> expiry) {
		this.expiry = expiry;
		// A release by hand may have come between taking the hold and scheduling its end.
		if (this.expiryCancelled) {
			expiry.cancel(false);
		}
	}

	void cancelExpiry() {
		this.expiryCancelled = true;
		ScheduledFuture<?> scheduled = this.expiry;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

}
