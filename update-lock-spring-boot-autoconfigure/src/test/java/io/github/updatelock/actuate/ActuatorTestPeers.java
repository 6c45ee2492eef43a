package io.github.updatelock.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real programs that stand for the Supervisor and the host OS in the actuator tests
 * (see the semantics document, section 7). A test that needs a missing peer is skipped,
 * unless {@code UPDATE_LOCK_REQUIRE_PEERS=true} (as in CI), where it fails.
 */
public final class ActuatorTestPeers {

	/** The owner of the Supervisor's lock files (nobody). */
	public static final int SUPERVISOR_UID = 65534;

	/** The exit code of procmail's {@code lockfile} when the lock already exists. */
	private static final int LOCKFILE_EXISTS = 73;

	// Exactly what the Supervisor runs: a world-writable sticky directory, then procmail as nobody.
	private static final String SUPERVISOR_LOCK = "chmod 1777 \"$(dirname \"$1\")\" && "
			+ "setpriv --reuid=65534 --regid=0 --clear-groups lockfile -r 0 \"$1\"";

	private ActuatorTestPeers() {
	}

	/**
	 * The Supervisor takes its lock at {@code lockPath}, as it does before it stops or
	 * updates the services of an app. The lock directory must be traversable by uid 65534.
	 * @param lockPath the lock file
	 */
	public static void supervisorLocks(Path lockPath) {
		requireSupervisorPeer();
		expectSupervisorLock(run("sh", "-c", SUPERVISOR_LOCK, "sh", lockPath.toString()), lockPath);
	}

	/**
	 * The Supervisor overrides the application's lock ({@code BALENA_SUPERVISOR_OVERRIDE_LOCK}
	 * or a {@code force} update): it unlinks the file and takes its own.
	 * @param lockPath the lock file
	 */
	public static void supervisorOverrides(Path lockPath) {
		requireSupervisorPeer();
		expectSupervisorLock(run("sh", "-c", "rm -f \"$1\" && " + SUPERVISOR_LOCK, "sh", lockPath.toString()),
				lockPath);
	}

	/**
	 * Whether the host OS update's {@code safe_reboot} probe would find the lock busy: it
	 * opens the file read-only and tries {@code flock -n -x} on it.
	 * @param lockPath the lock file
	 * @return {@code true} if the probe cannot take the flock, so the reboot would wait
	 */
	public static boolean hostOsProbeFindsLockBusy(Path lockPath) {
		requirePeer("flock");
		Result probe = run("bash", "-c", "exec {fd}<\"$1\" && flock -n -x \"$fd\"", "bash", lockPath.toString());
		return probe.exitCode() != 0;
	}

	/**
	 * Makes a directory unwritable for this process until the returned handle is closed:
	 * {@code chmod 555} for an ordinary user, the immutable attribute for root (whom
	 * permissions do not stop). Not a lock peer: where the attribute cannot be set (no
	 * {@code CAP_LINUX_IMMUTABLE}, a file system without it) the test is skipped.
	 * @param directory the directory
	 * @return a handle that makes it writable again
	 */
	public static AutoCloseable makeUnwritable(Path directory) {
		String path = directory.toString();
		boolean root = "0".equals(run("id", "-u").output().strip());
		List<String> lock = root ? List.of("chattr", "+i", path) : List.of("chmod", "555", path);
		List<String> unlock = root ? List.of("chattr", "-i", path) : List.of("chmod", "755", path);
		Result locked = run(lock.toArray(String[]::new));
		Assumptions.assumeTrue(locked.exitCode() == 0 && !Files.isWritable(directory),
				() -> "Cannot make " + path + " unwritable for this process: " + locked.output());
		return () -> {
			Result unlocked = run(unlock.toArray(String[]::new));
			Assertions.assertEquals(0, unlocked.exitCode(), unlocked.output());
		};
	}

	private static void expectSupervisorLock(Result result, Path lockPath) {
		if (result.exitCode() == LOCKFILE_EXISTS) {
			Assertions.fail("The Supervisor peer found " + lockPath + " already there: " + result.output());
		}
		Assertions.assertEquals(0, result.exitCode(), () -> "The Supervisor peer failed: " + result.output());
	}

	private static void requireSupervisorPeer() {
		requirePeer("lockfile", "setpriv");
		// setpriv needs root to switch to uid 65534; an ordinary user cannot play the Supervisor.
		if (!"0".equals(run("id", "-u").output().strip())) {
			missingPeer("the Supervisor peer runs procmail as uid 65534, which needs root");
		}
	}

	private static void requirePeer(String... commands) {
		for (String command : commands) {
			if (run("sh", "-c", "command -v \"$1\"", "sh", command).exitCode() != 0) {
				missingPeer("'" + command + "' is not installed");
			}
		}
	}

	private static void missingPeer(String reason) {
		String message = "Lock peer unavailable: " + reason;
		if ("true".equals(System.getenv("UPDATE_LOCK_REQUIRE_PEERS"))) {
			Assertions.fail(message + " (UPDATE_LOCK_REQUIRE_PEERS=true)");
		}
		Assumptions.abort(message);
	}

	private static Result run(String... command) {
		Process process;
		try {
			process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			// Not installed: answer like a shell would, so callers treat it as a failed peer.
			return new Result(127, ex.getMessage());
		}
		try {
			process.getOutputStream().close();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				Assertions.fail("Peer " + String.join(" ", command) + " did not finish within 10 s");
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private record Result(int exitCode, String output) {
	}

}
