package io.github.updatelock.actuate.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockProblem;
import io.github.updatelock.UpdateLockSnapshot;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockWarning;
import io.github.updatelock.fleet.FleetPublisherState;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.supervisor.SupervisorView;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import org.jspecify.annotations.Nullable;

/**
 * What the update lock's health contributor, {@code updateLock}, reports, for both Spring
 * Boot lines: each line's health indicator turns a {@link UpdateLockHealthReport} into its own
 * {@code Health}.
 * <p>
 * Holding the lock, not holding it, and waiting while the Supervisor applies an update
 * are all normal: the indicator is {@code UP} with details. It is {@code DOWN} only for
 * faults that leave work unprotected and need an operator:
 * <ol>
 * <li>the lock was {@code LOST}: taken away by an override, a {@code force} update or a
 * deletion while holds were active;</li>
 * <li>a release could not remove our lock file (its unlink failed, with {@code EROFS}
 * say): the file stays and keeps updates out while its removal is retried;</li>
 * <li>the lock directory is not writable, so no lock can be taken (or removed);</li>
 * <li>the process runs as uid 65534, whose lock files the Supervisor adopts and deletes;</li>
 * <li>holds are active but run unprotected, because the lock directory is missing (or the
 * lock is otherwise {@code UNAVAILABLE}). A missing directory with no hold active is
 * {@code UP} with a warning: that is an application running off-device.</li>
 * <li>{@code flock(2)} is wanted (the default) but cannot be held, on a device (the lock
 * directory exists): no libc binding loaded, or the file system refuses {@code flock}. App
 * updates would wait, host OS updates would not. With {@code update-lock.flock=false} this
 * is a choice, not a fault: {@code UP}, and {@code protection} says
 * {@code APP_UPDATES_ONLY}.</li>
 * </ol>
 * When the application is set to refuse work without a lock, refused work holds nothing
 * and so does not turn the indicator {@code DOWN}; the caller gets the exception.
 * <p>
 * A check costs the manager's in-memory snapshot plus a {@code stat} and an access check
 * of the lock directory. The indicator is not a member of the liveness or readiness
 * groups unless configured so: a lost lock is no reason to restart the application.
 * <p>
 * Details: {@code reason} (only when {@code DOWN}), {@code lockStatus}, {@code path},
 * {@code flockHeld}, {@code protection} (which updates wait now: {@code NONE},
 * {@code APP_UPDATES_ONLY} or {@code APP_AND_HOST_OS_UPDATES}), {@code holds} (names), and when present {@code longHolds} (the holds
 * older than {@code update-lock.long-hold-warning}, with their start; they block updates for
 * that long, but that alone is no fault), {@code blocker}, {@code lastLost} and
 * {@code warnings} (messages).
 * <p>
 * With the Supervisor API in use, a {@code supervisor} detail shows what the last polls
 * saw: {@code reachable}, {@code updatePending}, {@code applying}, and when present
 * {@code pendingSince} and {@code lastErrorKind}. It comes from the monitor's memory, never
 * from a call, and never changes the status: an unreachable Supervisor or a pending update
 * is no fault of the lock.
 * <p>
 * With fleet visibility on, a {@code fleet} detail shows what was last written to
 * balenaCloud: {@code tags}, {@code consecutiveFailures}, and when present
 * {@code lastPublishedAt}, {@code lastErrorKind} and {@code nextAttemptAt}. It comes from the
 * publisher's memory and never changes the status either: the tags only show the lock, so a
 * refused key or an unreachable API protects nothing less.
 */
public class UpdateLockHealthCheck {

	private final UpdateLockManager manager;

	private final @Nullable UpdatePendingMonitor pendingMonitor;

	private final @Nullable FleetTagPublisher fleetPublisher;

	/**
	 * Creates a check.
	 * @param manager the manager to check
	 * @param pendingMonitor the Supervisor monitor, or {@code null} when the Supervisor API is
	 * not used
	 * @param fleetPublisher the fleet tag publisher, or {@code null} when fleet visibility is off
	 */
	public UpdateLockHealthCheck(UpdateLockManager manager, @Nullable UpdatePendingMonitor pendingMonitor,
			@Nullable FleetTagPublisher fleetPublisher) {
		this.manager = Objects.requireNonNull(manager, "manager");
		this.pendingMonitor = pendingMonitor;
		this.fleetPublisher = fleetPublisher;
	}

	/**
	 * Checks the lock now.
	 * @return the status and its details, in the order they are shown
	 */
	public UpdateLockHealthReport check() {
		UpdateLockSnapshot snapshot = this.manager.snapshot();
		Optional<UpdateLockWarning> directory = this.manager.checkLockDirectory();
		List<UpdateLockWarning> warnings = merge(snapshot.warnings(), directory);
		String fault = fault(snapshot, directory, warnings);
		Map<String, Object> details = new LinkedHashMap<>();
		if (fault != null) {
			details.put("reason", fault);
		}
		details.put("lockStatus", snapshot.status().name());
		details.put("path", snapshot.path().toString());
		details.put("flockHeld", snapshot.flockHeld());
		details.put("protection", snapshot.protection().name());
		details.put("holds", snapshot.holds().stream().map(ActiveHold::name).toList());
		List<String> longHolds = snapshot.holds()
			.stream()
			.filter(ActiveHold::longRunning)
			.map((hold) -> hold.name() + " since " + hold.since())
			.toList();
		if (!longHolds.isEmpty()) {
			details.put("longHolds", longHolds);
		}
		if (snapshot.blocker() != null) {
			details.put("blocker", snapshot.blocker().name());
		}
		if (snapshot.lastLost() != null) {
			details.put("lastLost", snapshot.lastLost().toString());
		}
		if (!warnings.isEmpty()) {
			details.put("warnings", warnings.stream().map(UpdateLockWarning::message).toList());
		}
		if (this.pendingMonitor != null) {
			details.put("supervisor", supervisorDetails(this.pendingMonitor.view()));
		}
		if (this.fleetPublisher != null) {
			details.put("fleet", fleetDetails(this.fleetPublisher.state()));
		}
		return new UpdateLockHealthReport(fault == null, details);
	}

	private static Map<String, Object> fleetDetails(FleetPublisherState state) {
		Map<String, Object> details = new LinkedHashMap<>();
		if (state.lastPublishedAt() != null) {
			details.put("lastPublishedAt", state.lastPublishedAt().toString());
		}
		if (state.lastErrorKind() != null) {
			details.put("lastErrorKind", state.lastErrorKind().name());
		}
		details.put("consecutiveFailures", state.consecutiveFailures());
		if (state.nextAttemptAt() != null) {
			details.put("nextAttemptAt", state.nextAttemptAt().toString());
		}
		details.put("tags", state.tags());
		return details;
	}

	private static Map<String, Object> supervisorDetails(SupervisorView view) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("reachable", view.reachable());
		details.put("updatePending", view.updatePending());
		if (view.pendingSince() != null) {
			details.put("pendingSince", view.pendingSince().toString());
		}
		details.put("applying", view.applying());
		if (view.lastErrorKind() != null) {
			details.put("lastErrorKind", view.lastErrorKind().name());
		}
		return details;
	}

	private static @Nullable String fault(UpdateLockSnapshot snapshot, Optional<UpdateLockWarning> directory,
			List<UpdateLockWarning> warnings) {
		int holds = snapshot.holds().size();
		if (snapshot.status() == UpdateLockStatus.LOST) {
			return "Update lock " + snapshot.path() + " was taken away (override, force update or deletion) while "
					+ holds + " hold(s) were active: their work is no longer protected and an update may stop "
					+ "this application";
		}
		Optional<UpdateLockWarning> unremoved = find(warnings, UpdateLockProblem.REMOVAL_FAILED);
		if (unremoved.isPresent()) {
			return unremoved.get().message();
		}
		Optional<UpdateLockWarning> notWritable = directory
			.filter((warning) -> warning.problem() == UpdateLockProblem.LOCK_DIRECTORY_NOT_WRITABLE);
		if (notWritable.isPresent()) {
			return notWritable.get().message();
		}
		Optional<UpdateLockWarning> supervisorUid = find(warnings, UpdateLockProblem.RUNNING_AS_SUPERVISOR_UID);
		if (supervisorUid.isPresent()) {
			return supervisorUid.get().message();
		}
		boolean directoryMissing = directory
			.filter((warning) -> warning.problem() == UpdateLockProblem.LOCK_DIRECTORY_MISSING)
			.isPresent();
		Optional<UpdateLockWarning> noFlock = find(warnings, UpdateLockProblem.FLOCK_UNAVAILABLE);
		if (noFlock.isPresent() && (!directoryMissing || snapshot.status() == UpdateLockStatus.HELD)) {
			return noFlock.get().message();
		}
		if (holds > 0 && (snapshot.status() == UpdateLockStatus.UNAVAILABLE || directoryMissing)) {
			return holds + " hold(s) asked for the update lock but run unprotected: " + warnings.stream()
				.filter((warning) -> warning.problem().preventsLocking())
				.map(UpdateLockWarning::message)
				.collect(Collectors.joining(" "));
		}
		return null;
	}

	/**
	 * The snapshot's warnings plus what the directory check found now. The snapshot only
	 * looks at the directory when a hold is asked for, so it can be behind.
	 */
	private static List<UpdateLockWarning> merge(List<UpdateLockWarning> warnings,
			Optional<UpdateLockWarning> directory) {
		if (directory.isEmpty() || find(warnings, directory.get().problem()).isPresent()) {
			return warnings;
		}
		List<UpdateLockWarning> merged = new ArrayList<>(warnings.size() + 1);
		merged.add(directory.get());
		merged.addAll(warnings);
		return merged;
	}

	private static Optional<UpdateLockWarning> find(List<UpdateLockWarning> warnings, UpdateLockProblem problem) {
		return warnings.stream().filter((warning) -> warning.problem() == problem).findFirst();
	}

}
