package io.github.updatelock.actuate.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check of the update lock's health.
 * @param up whether the lock protects what it claims to; {@code false} only for the faults
 * that {@link UpdateLockHealthCheck} lists, and then {@code details} starts with a
 * {@code reason}
 * @param details what the check saw, in the order it is shown
 */
public record UpdateLockHealthReport(boolean up, Map<String, Object> details) {

	public UpdateLockHealthReport {
		details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
	}

}
