package io.github.updatelock.benchmarks;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Switches off the library's log for benchmarks that take, lose or wait for the lock
 * thousands of times: one INFO or WARN line per time would flood JMH's output.
 */
final class QuietLog {

	/** Held, so that the level is not lost when the logger is collected. */
	private static final Logger libraryLogger = Logger.getLogger("io.github.updatelock");

	private QuietLog() {
	}

	static void apply() {
		libraryLogger.setLevel(Level.OFF);
	}

}
