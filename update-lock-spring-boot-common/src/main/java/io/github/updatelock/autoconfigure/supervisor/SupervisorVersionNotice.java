package io.github.updatelock.autoconfigure.supervisor;

import java.util.concurrent.CompletionException;

import io.github.updatelock.supervisor.SupervisorClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InitializingBean;

/**
 * Says once, as the application starts, which Supervisor answers: what it does with the
 * lock depends on its version (the hand-over strategy, for one, stopped taking the lock in
 * v16.2.0). The version is asked without waiting, so that neither startup nor the lock
 * waits on the Supervisor; when it does not answer nothing is said here, since the
 * {@code UpdatePendingMonitor} reports an unreachable Supervisor where it matters.
 */
final class SupervisorVersionNotice implements InitializingBean {

	private static final Log logger = LogFactory.getLog(SupervisorVersionNotice.class);

	private final SupervisorClient client;

	SupervisorVersionNotice(SupervisorClient client) {
		this.client = client;
	}

	@Override
	public void afterPropertiesSet() {
		this.client.versionAsync().whenComplete((version, failure) -> {
			if (failure == null) {
				logger.info("Supervisor API at " + this.client.settings().address() + ": Supervisor " + version);
			}
			else if (logger.isDebugEnabled()) {
				Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure;
				logger.debug("Supervisor version unknown: " + cause.getMessage());
			}
		});
	}

}
