package io.github.updatelock.supervisor;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.updatelock.balena.internal.LimitedJson;

/**
 * One application as {@code GET /v2/applications/state} reports it. The Supervisor shows
 * only the applications the key is scoped to: normally just this service's own.
 *
 * @param name the application name (the key of the answer's object)
 * @param appId the numeric application id, or {@code null} when absent
 * @param commit the release the Supervisor <em>targets</em> (its database's commit for the
 * app), which differs from the running one while an update waits; or {@code null}
 * @param updateStatus how far the update to that release is: {@code rejected},
 * {@code downloading}, {@code downloaded}, {@code applying changes}, {@code aborted} or
 * {@code done}; or {@code null} when absent
 * @param serviceStatuses the status of each service of the target release, by service name
 */
public record SupervisorApplication(String name, Long appId, String commit, String updateStatus,
		Map<String, String> serviceStatuses) {

	/** The release is downloaded and waits to be applied: with the old release still running, it waits on a lock. */
	public static final String DOWNLOADED = "downloaded";

	/** The Supervisor is stopping and starting services for the release. */
	public static final String APPLYING_CHANGES = "applying changes";

	/**
	 * Creates the state of one application, with its own copy of the service statuses.
	 * @param name the application name (the key of the answer's object)
	 * @param appId the numeric application id, or {@code null} when absent
	 * @param commit the release the Supervisor <em>targets</em> (its database's commit for the
	 * app), which differs from the running one while an update waits; or {@code null}
	 * @param updateStatus how far the update to that release is: {@code rejected},
	 * {@code downloading}, {@code downloaded}, {@code applying changes}, {@code aborted} or
	 * {@code done}; or {@code null} when absent
	 * @param serviceStatuses the status of each service of the target release, by service name
	 */
	public SupervisorApplication {
		serviceStatuses = Map.copyOf(serviceStatuses);
	}

	/**
	 * Whether the target release is downloaded and not applied yet.
	 * @return {@code true} for {@code updateStatus} {@value #DOWNLOADED}
	 */
	public boolean downloaded() {
		return DOWNLOADED.equals(this.updateStatus);
	}

	/**
	 * Whether the Supervisor is applying the target release now.
	 * @return {@code true} for {@code updateStatus} {@value #APPLYING_CHANGES}
	 */
	public boolean applyingChanges() {
		return APPLYING_CHANGES.equals(this.updateStatus);
	}

	static SupervisorApplication from(String name, Map<String, Object> json) {
		Map<String, String> statuses = new LinkedHashMap<>();
		Map<String, Object> services = LimitedJson.object(json, "services");
		for (String service : services.keySet()) {
			String status = LimitedJson.string(LimitedJson.object(services, service), "status");
			if (status != null) {
				statuses.put(service, status);
			}
		}
		return new SupervisorApplication(name, LimitedJson.integer(json, "appId"),
				LimitedJson.string(json, "commit"), LimitedJson.string(json, "updateStatus"), statuses);
	}

}
