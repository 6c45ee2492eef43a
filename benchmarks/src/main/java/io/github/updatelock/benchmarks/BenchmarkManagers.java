package io.github.updatelock.benchmarks;

import java.nio.file.Path;
import java.util.Map;

import io.github.updatelock.UpdateLockListener;
import io.github.updatelock.UpdateLockManager;

/**
 * Managers configured the same way for every benchmark.
 */
final class BenchmarkManagers {

	private BenchmarkManagers() {
	}

	static UpdateLockManager create(Path directory, UpdateLockListener... listeners) {
		UpdateLockManager.Builder builder = UpdateLockManager.builder()
			.lockPath(directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false);
		for (UpdateLockListener listener : listeners) {
			builder.listener(listener);
		}
		return builder.build();
	}

}
