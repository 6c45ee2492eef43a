package io.github.updatelock.autoconfigure;

import io.github.updatelock.context.UpdateLockStartupException;
import io.github.updatelock.context.UpdateLockStartupHold;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link UpdateLockStartupException}: the application was configured to start
 * only with its startup hold, and did not get it.
 */
public class UpdateLockStartupFailureAnalyzer extends AbstractFailureAnalyzer<UpdateLockStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UpdateLockStartupException cause) {
		String action;
		if (cause.getState() == UpdateLockStartupHold.State.FAILED) {
			action = "Make the lock usable here (see the update lock warnings logged above: lock directory, user id), "
					+ "or set update-lock.unavailable-policy=RUN_UNPROTECTED to run without protection where it "
					+ "cannot protect, or set update-lock.startup.required=false.";
		}
		else {
			action = "The Supervisor holds the lock while it applies an update or starts this application's services; "
					+ "another instance or program may hold it too. Raise update-lock.startup.wait, or set "
					+ "update-lock.startup.required=false so that the application starts and takes the hold in the "
					+ "background as soon as the lock is free.";
		}
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
