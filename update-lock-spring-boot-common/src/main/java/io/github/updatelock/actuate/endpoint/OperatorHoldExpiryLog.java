package io.github.updatelock.actuate.endpoint;

import java.time.Duration;

import io.github.updatelock.OperatorHold;
import io.github.updatelock.OperatorHolds;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs the end of operator holds whose ttl ran out, in the application's logging like the
 * endpoint's own lines: nobody waits for an expiry, so it is said here or never seen.
 */
public final class OperatorHoldExpiryLog implements OperatorHolds.Listener {

	private static final Log logger = LogFactory.getLog(UpdateLockEndpoint.class);

	@Override
	public void expired(OperatorHold hold, Duration ttl) {
		logger.info("Operator hold '" + hold.name() + "' ended by itself: its ttl of " + ttl + " ran out");
	}

	@Override
	public void expiryFailed(OperatorHold hold, Duration ttl, RuntimeException failure) {
		logger.warn("Operator hold '" + hold.name() + "' reached the end of its ttl of " + ttl
				+ " but could not be released", failure);
	}

}
