package io.github.updatelock.actuate.endpoint;

import java.util.Objects;

import io.github.updatelock.supervisor.SupervisorApiException;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.SupervisorUpdateAnswer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * The {@code forceupdate} endpoint: {@code POST /actuator/forceupdate} asks the balena
 * Supervisor to apply its update now with {@code POST /v1/update {"force": true}}, which
 * overrides every update lock, this application's included.
 * <p>
 * It is the one operation that stops work the lock protects, so the endpoint does not
 * exist unless the operator opens it on its own with
 * {@code management.endpoint.forceupdate.access=unrestricted} (and exposes it); the access
 * of the {@code updatelock} and {@code updatewindow} endpoints does not reach it.
 * <p>
 * It keeps no state of its own: every request is one call to the {@link SupervisorClient}.
 * The Supervisor's answer is passed on as it was sent, status and body, and is never
 * retried; a failed request is an answer with a message, never an exception.
 */
@Endpoint(id = "forceupdate", defaultAccess = Access.NONE)
@ImportRuntimeHints(ForceUpdateEndpointRuntimeHints.class)
public class ForceUpdateEndpoint {

	private static final Log logger = LogFactory.getLog(ForceUpdateEndpoint.class);

	private final SupervisorClient client;

	/**
	 * Creates an endpoint.
	 * @param client the client that asks the Supervisor
	 */
	public ForceUpdateEndpoint(SupervisorClient client) {
		this.client = Objects.requireNonNull(client, "client");
	}

	/**
	 * Asks the Supervisor to apply its update now, overriding every update lock.
	 * @return what happened
	 */
	@WriteOperation
	public ForceUpdateDescriptor forceUpdate() {
		SupervisorUpdateAnswer answer;
		try {
			answer = this.client.forceUpdate();
		}
		catch (SupervisorApiException ex) {
			logger.warn("Operator asked the Supervisor to apply the update now, which failed: " + ex.getMessage());
			if (ex.getStatusCode() == 0) {
				return new ForceUpdateDescriptor(ForceUpdateOutcome.SUPERVISOR_UNAVAILABLE, ex.getMessage(), null,
						null);
			}
			return new ForceUpdateDescriptor(ForceUpdateOutcome.UPDATE_REFUSED, ex.getMessage(), ex.getStatusCode(),
					ex.getBody());
		}
		logger.warn("Operator asked the Supervisor to apply the update now, overriding every update lock: HTTP "
				+ answer.statusCode());
		if (answer.triggered()) {
			return new ForceUpdateDescriptor(ForceUpdateOutcome.UPDATE_TRIGGERED,
					"The Supervisor applies the update now (HTTP 204), overriding every update lock, this "
							+ "application's included",
					answer.statusCode(), answer.body());
		}
		return new ForceUpdateDescriptor(ForceUpdateOutcome.UPDATE_IGNORED, "The Supervisor ignored the request (HTTP "
				+ answer.statusCode() + "): it is not ready for updates yet, or instant updates are switched off",
				answer.statusCode(), answer.body());
	}

}
