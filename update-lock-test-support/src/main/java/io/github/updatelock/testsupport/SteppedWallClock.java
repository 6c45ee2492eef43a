package io.github.updatelock.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

/**
 * The wall clock of a child process, stepped from outside its JVM as NTP steps the clock of
 * a device without a real-time clock: Debian's {@code faketime} package preloads
 * libfaketime into the process, which shows the real time plus an offset read from a file
 * that {@link #offset(Duration)} rewrites. The monotonic clock is left alone
 * ({@code FAKETIME_DONT_FAKE_MONOTONIC=1}), as a clock step leaves {@code CLOCK_MONOTONIC}
 * alone.
 * <p>
 * Without libfaketime the calling test is skipped, or fails where
 * {@value LockPeers#REQUIRE_PEERS_VARIABLE} is {@code true}.
 */
public final class SteppedWallClock {

	/** How often the process reads the offset file again, in seconds: a step shows within that. */
	public static final int REREAD_SECONDS = 1;

	private final Path library;

	private final Path offsetFile;

	private SteppedWallClock(Path library, Path offsetFile) {
		this.library = library;
		this.offsetFile = offsetFile;
	}

	/**
	 * Prepares a wall clock that shows the real time until it is stepped.
	 * @param directory where the offset file goes
	 * @return the clock
	 */
	public static SteppedWallClock create(Path directory) {
		Path library = findLibrary();
		if (library == null) {
			LockPeers.missing("libfaketime (install Debian's faketime package)");
		}
		SteppedWallClock clock = new SteppedWallClock(library, directory.resolve("faketime-offset"));
		clock.offset(Duration.ZERO);
		return clock;
	}

	/**
	 * The environment that makes a child process see this clock.
	 * @return the variables to add to its environment
	 */
	public Map<String, String> environment() {
		return Map.of("LD_PRELOAD", this.library.toString(), "FAKETIME_TIMESTAMP_FILE", this.offsetFile.toString(),
				"FAKETIME_CACHE_DURATION", String.valueOf(REREAD_SECONDS), "FAKETIME_DONT_FAKE_MONOTONIC", "1",
				// With its fix for timed waits on the monotonic clock, libfaketime 0.9.10 makes every timed
				// wait of a JVM take many times as long: a Spring Boot start takes minutes instead of seconds.
				"FAKETIME_FORCE_MONOTONIC_FIX", "0");
	}

	/**
	 * Steps the clock so that it shows the real time plus {@code offset}.
	 * @param offset how far from the real time, in whole seconds, either way
	 */
	public void offset(Duration offset) {
		// Written aside and moved, so that the process never reads half a line.
		Path written = this.offsetFile.resolveSibling(this.offsetFile.getFileName() + ".new");
		try {
			Files.writeString(written, String.format("%+d%n", offset.toSeconds()), StandardCharsets.US_ASCII);
			Files.move(written, this.offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Debian installs it under the architecture's library directory, such as x86_64-linux-gnu. */
	private static Path findLibrary() {
		try (DirectoryStream<Path> found = Files.newDirectoryStream(Path.of("/usr/lib"),
				(entry) -> Files.isRegularFile(entry.resolve("faketime/libfaketime.so.1")))) {
			for (Path architecture : found) {
				return architecture.resolve("faketime/libfaketime.so.1");
			}
			return null;
		}
		catch (IOException ex) {
			return null;
		}
	}

}
