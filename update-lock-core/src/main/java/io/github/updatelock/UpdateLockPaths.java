package io.github.updatelock;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where the lock file is: the explicit path, then {@code BALENA_APP_LOCK_PATH}, then
 * {@code RESIN_APP_LOCK_PATH} (Supervisors before 7.22), then {@link #DEFAULT_PATH}.
 */
public final class UpdateLockPaths {

	/** The lock file inside a balenaOS container. */
	public static final Path DEFAULT_PATH = Path.of("/tmp/balena/updates.lock");

	/** The variables the Supervisor sets to the lock path, in the order they are trusted. */
	public static final List<String> PATH_VARIABLES = List.of("BALENA_APP_LOCK_PATH", "RESIN_APP_LOCK_PATH");

	private UpdateLockPaths() {
	}

	/**
	 * Resolves the lock file path.
	 * @param explicit the configured path, or {@code null}
	 * @param environment the process environment
	 * @return the absolute, normalized lock path
	 */
	public static Path resolve(@Nullable Path explicit, Map<String, String> environment) {
		if (explicit != null) {
			return explicit.toAbsolutePath().normalize();
		}
		for (String variable : PATH_VARIABLES) {
			String value = environment.get(variable);
			if (value != null && !value.isBlank()) {
				return Path.of(value.trim()).toAbsolutePath().normalize();
			}
		}
		return DEFAULT_PATH;
	}

}
