package io.github.updatelock.sample;

import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.aop.HoldUpdateLockSkippedEvent;
import io.github.updatelock.event.StaleUpdateLockReclaimedEvent;
import io.github.updatelock.event.UpdateLockLostEvent;
import io.github.updatelock.event.UpdateLockWaitingEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Reacts to the lock's events the way a device application would: when an update is about
 * to stop it, this is where it saves what it has not saved yet. The sample only logs, and
 * every such line starts with {@value #UPDATE_IMMINENT} so that it is easy to find.
 */
@Component
public class UpdateImminentListener {

	/** The start of every log line that announces an update. */
	public static final String UPDATE_IMMINENT = "Update imminent, saving work";

	private static final Log logger = LogFactory.getLog(UpdateImminentListener.class);

	/**
	 * The lock was taken away while held: an override or a {@code force} update will stop
	 * this application any moment now.
	 * @param event the loss
	 */
	@EventListener
	public void onLockLost(UpdateLockLostEvent event) {
		logger.warn(UPDATE_IMMINENT + ": the update lock " + event.path() + " was taken away (override or force "
				+ "update) while " + event.activeHolds() + " hold(s) were active");
	}

	/**
	 * Someone else holds the lock. When it is the Supervisor, it is applying an update and
	 * may stop this application as soon as the update is ready.
	 * @param event the wait
	 */
	@EventListener
	public void onWaiting(UpdateLockWaitingEvent event) {
		if (event.blocker() == UpdateLockBlocker.SUPERVISOR) {
			logger.warn(UPDATE_IMMINENT + ": the Supervisor holds " + event.path() + " for an update, '"
					+ event.holder() + "' waits for it");
		}
		else {
			logger.info("'" + event.holder() + "' waits for " + event.path() + ", held by " + event.blocker());
		}
	}

	/**
	 * A job with the skip policy did not run because the lock was taken.
	 * @param event the skip
	 */
	@EventListener
	public void onSkipped(HoldUpdateLockSkippedEvent event) {
		logger.info("Skipped '" + event.holdName() + "': the update lock is taken; the next run catches up");
	}

	/**
	 * A lock file left by a killed instance of this application was removed, so updates
	 * are no longer blocked by it.
	 * @param event the reclaim
	 */
	@EventListener
	public void onStaleLockReclaimed(StaleUpdateLockReclaimedEvent event) {
		logger.info("Removed the update lock " + event.path() + " left by a dead instance: " + event.previousOwner());
	}

}
