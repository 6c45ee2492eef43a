package io.github.updatelock.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.updatelock.UpdateLockPaths;
import io.github.updatelock.UpdateLockProblem;
import io.github.updatelock.UpdateLockWarning;
import org.jspecify.annotations.Nullable;

/**
 * The checks that tell, before any file is touched, how much this process's lock can
 * protect, and the messages that say so.
 */
public final class LockEnvironment {

	/** Variables that make the Supervisor override locks; normally not visible inside a container. */
	static final List<String> OVERRIDE_VARIABLES = List.of("BALENA_SUPERVISOR_OVERRIDE_LOCK",
			"RESIN_SUPERVISOR_OVERRIDE_LOCK", "BALENA_OVERRIDE_LOCK", "RESIN_OVERRIDE_LOCK");

	private static final Set<String> TRUE_VALUES = Set.of("1", "true", "on");

	private LockEnvironment() {
	}

	/**
	 * The problems known from configuration and the process alone.
	 */
	public static List<UpdateLockWarning> fixedWarnings(Path path, Map<String, String> environment, boolean flockEnabled,
			@Nullable String bindingFailure, int effectiveUid) {
		List<UpdateLockWarning> warnings = new ArrayList<>();
		if (effectiveUid == ExistingLockFile.SUPERVISOR_UID) {
			warnings.add(warning(UpdateLockProblem.RUNNING_AS_SUPERVISOR_UID, path, null));
		}
		if (!flockEnabled) {
			warnings.add(warning(UpdateLockProblem.FLOCK_DISABLED, path, null));
		}
		else if (bindingFailure != null) {
			warnings.add(warning(UpdateLockProblem.FLOCK_UNAVAILABLE, path, bindingFailure));
		}
		for (String variable : OVERRIDE_VARIABLES) {
			String value = environment.get(variable);
			if (value != null && TRUE_VALUES.contains(value.trim().toLowerCase(Locale.ROOT))) {
				warnings.add(warning(UpdateLockProblem.OVERRIDE_VARIABLE_SET, path, variable + "=" + value));
			}
		}
		return warnings;
	}

	/**
	 * Whether the Supervisor set the lock path: then this runs on a balena device.
	 */
	public static boolean pathFromSupervisor(Map<String, String> environment) {
		return UpdateLockPaths.PATH_VARIABLES.stream()
			.map(environment::get)
			.anyMatch((value) -> value != null && !value.isBlank());
	}

	/**
	 * Whether the lock matters here: the Supervisor set the lock path, or the lock directory
	 * exists. Off a device (a developer's machine, a CI run without {@code /tmp/balena})
	 * neither is true.
	 */
	public static boolean onDevice(Path path, boolean pathFromSupervisor) {
		Path directory = path.getParent();
		return pathFromSupervisor || (directory != null && Files.isDirectory(directory));
	}

	/**
	 * The problem with the lock directory as {@code stat} sees it now, or {@code null}.
	 */
	public static UpdateLockProblem directoryProblem(Path path) {
		Path directory = path.getParent();
		if (directory == null || !Files.isDirectory(directory)) {
			return UpdateLockProblem.LOCK_DIRECTORY_MISSING;
		}
		return Files.isWritable(directory) ? null : UpdateLockProblem.LOCK_DIRECTORY_NOT_WRITABLE;
	}

	public static UpdateLockWarning warning(UpdateLockProblem problem, Path path, String detail) {
		String message = switch (problem) {
			case LOCK_DIRECTORY_MISSING -> "Lock directory " + path.getParent() + " does not exist: this is probably "
					+ "not a balenaOS container, or the lock path is wrong (on balenaOS it is "
					+ UpdateLockPaths.DEFAULT_PATH + ", also given by BALENA_APP_LOCK_PATH).";
			case LOCK_DIRECTORY_NOT_WRITABLE -> "Cannot create " + path + ": the lock directory is not writable"
					+ ((detail != null) ? " (" + detail + ")" : "") + ". Run as a user that may write there "
					+ "(root, or any user once the Supervisor has made it mode 1777), but never as uid 65534.";
			case RUNNING_AS_SUPERVISOR_UID -> "This process runs as uid 65534 (or the files it creates there are owned "
					+ "by it), the owner the Supervisor gives its own lock files: it would adopt " + path + " as its own and delete it, so no lock is taken. Run the "
					+ "container as root or another non-root user.";
			case FLOCK_UNAVAILABLE -> "flock(2) is not available" + ((detail != null) ? " (" + detail + ")" : "")
					+ ": " + path + " protects against app updates only; host OS updates will not wait for it.";
			case FLOCK_DISABLED -> "flock(2) is switched off by configuration: " + path
					+ " protects against app updates only, on purpose; host OS updates will not wait for it.";
			case OVERRIDE_VARIABLE_SET -> detail + " is set in the environment: the Supervisor overrides update "
					+ "locks, so " + path + " may be removed during an update.";
			case CREATION_FAILED -> "Could not create " + path + " (" + detail + "): the hold that asked for it was "
					+ "refused; the next one tries again.";
			case REMOVAL_FAILED -> "Could not remove our " + path + " at release (" + detail + "): it stays, with its "
					+ "flock, and keeps app and host OS updates out while its removal is retried. Make the lock "
					+ "directory writable again, or delete the file.";
		};
		return new UpdateLockWarning(problem, message);
	}

}
