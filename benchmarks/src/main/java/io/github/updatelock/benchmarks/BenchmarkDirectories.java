package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where benchmark lock files live. A device's lock directory is tmpfs, so {@code /dev/shm}
 * (tmpfs on Linux) is preferred; the report says which one was used.
 */
final class BenchmarkDirectories {

	private static final Path TMPFS = Path.of("/dev/shm");

	private BenchmarkDirectories() {
	}

	static Path create() throws IOException {
		Path parent = (Files.isDirectory(TMPFS) && Files.isWritable(TMPFS)) ? TMPFS
				: Path.of(System.getProperty("java.io.tmpdir"));
		return Files.createTempDirectory(parent, "update-lock-bench");
	}

	static void delete(Path directory) throws IOException {
		try (var entries = Files.list(directory)) {
			for (Path entry : (Iterable<Path>) entries::iterator) {
				Files.deleteIfExists(entry);
			}
		}
		Files.deleteIfExists(directory);
	}

}
