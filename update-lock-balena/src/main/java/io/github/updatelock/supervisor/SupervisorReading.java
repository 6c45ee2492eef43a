package io.github.updatelock.supervisor;

import java.util.List;
import java.util.Objects;

/**
 * One poll's answers, and what they mean for this process's lock. An update counts as
 * waiting on the lock when the target release is downloaded while another one runs, or when
 * {@code GET /v1/device} says an update is pending or failed: those are the signs the
 * Supervisor shows while it retries against a lock (the monitor only asks while the lock is
 * held or awaited, so "failed" is read as "failed on our lock").
 */
record SupervisorReading(List<SupervisorApplication> applications, SupervisorDeviceState device) {

	SupervisorReading {
		applications = List.copyOf(applications);
		Objects.requireNonNull(device, "device");
	}

	String currentCommit() {
		return this.device.commit();
	}

	/** The application whose release is moving, else the first one, else {@code null}. */
	SupervisorApplication target() {
		return this.applications.stream()
			.filter((application) -> application.applyingChanges() || awaitingApply(application))
			.findFirst()
			.orElse(this.applications.isEmpty() ? null : this.applications.get(0));
	}

	String targetCommit() {
		SupervisorApplication target = target();
		return (target != null) ? target.commit() : null;
	}

	String updateStatus() {
		SupervisorApplication target = target();
		return (target != null) ? target.updateStatus() : null;
	}

	boolean applying() {
		return this.applications.stream().anyMatch(SupervisorApplication::applyingChanges);
	}

	boolean updatePending() {
		return this.device.updatePending() || this.device.updateFailed()
				|| this.applications.stream().anyMatch(this::awaitingApply);
	}

	/**
	 * What identifies the pending update: its target release when the Supervisor shows one
	 * that differs from the running release, else {@code null}.
	 */
	String pendingRelease() {
		String target = targetCommit();
		return (target != null && !target.equals(currentCommit())) ? target : null;
	}

	private boolean awaitingApply(SupervisorApplication application) {
		return application.downloaded() && !Objects.equals(application.commit(), currentCommit());
	}

}
