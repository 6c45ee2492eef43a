package io.github.updatelock.supervisor;

import java.util.Map;

import io.github.updatelock.balena.internal.LimitedJson;

/**
 * The device as {@code GET /v1/device} reports it (the fields this library uses).
 *
 * @param commit the release running now, or {@code null} when the Supervisor does not know it yet
 * @param status the first service's status ({@code Idle} for running, {@code Downloading},
 * {@code Stopping}, ...), or {@code null}
 * @param downloadProgress the download progress in percent, or {@code null}
 * @param updatePending whether the Supervisor has an update to apply
 * @param updateDownloaded whether that update is downloaded
 * @param updateFailed whether applying it failed (an update lock, a network failure, ...);
 * the Supervisor retries with backoff
 * @param supervisorVersion the Supervisor version, or {@code null}
 */
public record SupervisorDeviceState(String commit, String status, Long downloadProgress, boolean updatePending,
		boolean updateDownloaded, boolean updateFailed, String supervisorVersion) {

	static SupervisorDeviceState from(Map<String, Object> json) {
		return new SupervisorDeviceState(LimitedJson.string(json, "commit"), LimitedJson.string(json, "status"),
				LimitedJson.integer(json, "download_progress"), LimitedJson.bool(json, "update_pending"),
				LimitedJson.bool(json, "update_downloaded"), LimitedJson.bool(json, "update_failed"),
				LimitedJson.string(json, "supervisor_version"));
	}

}
