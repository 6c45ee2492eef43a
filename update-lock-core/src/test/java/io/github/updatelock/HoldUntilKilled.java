package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The other instance in the crash tests, run in a JVM of its own: takes the lock, prints
 * {@value #READY} and holds until it is killed or its standard input ends. Ending on end of
 * input also means it cannot outlive a test JVM that died.
 * <p>
 * Arguments: the lock file, then {@code flock} or {@code no-flock}.
 */
public final class HoldUntilKilled {

	static final String READY = "held";

	static final String RELEASED = "released";

	private HoldUntilKilled() {
	}

	public static void main(String[] args) throws IOException {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(Path.of(args[0]))
			.environment(Map.of())
			.flock(args[1].equals("flock"))
			.acquireTimeout(Duration.ZERO)
			.build();
		UpdateLockHold hold = manager.acquire("child");
		System.out.println(READY);
		System.out.flush();
		while (System.in.read() != -1) {
			// Only the end of input matters.
		}
		hold.release();
		manager.close();
		System.out.println(RELEASED);
		System.out.flush();
	}

}
