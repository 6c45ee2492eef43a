package io.github.updatelock.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The real programs that play the balena Supervisor and the host OS against the sample.
 * <p>
 * A test that needs one asks for it first ({@link #requireSupervisor()},
 * {@link #requireHostOsProbe()}). Where it is missing the test is skipped, so that the
 * suite runs on any laptop; with {@value #REQUIRE_PEERS}{@code =true}, as in CI, it fails
 * instead, so that a missing peer can never pass for a green build.
 */
final class SamplePeers {

	static final String REQUIRE_PEERS = "UPDATE_LOCK_REQUIRE_PEERS";

	/** What procmail's {@code lockfile -r 0} exits with when the file is already there. */
	static final int LOCKFILE_EXISTS = 73;

	/** The Supervisor takes its locks as nobody; its files belong to this uid. */
	static final int SUPERVISOR_UID = 65534;

	private SamplePeers() {
	}

	/**
	 * Needs procmail's {@code lockfile} and {@code setpriv}, and root to switch to uid 65534.
	 */
	static void requireSupervisor() {
		requireCommand("lockfile", "procmail");
		requireCommand("setpriv", "util-linux");
		requirePeer("0".equals(run("id", "-u").output().strip()),
				"the Supervisor peer switches to uid " + SUPERVISOR_UID + ", which only root may do");
	}

	/**
	 * Needs util-linux's {@code flock}, which the host OS {@code safe_reboot} probe runs.
	 */
	static void requireHostOsProbe() {
		requireCommand("flock", "util-linux");
	}

	/**
	 * Prepares a lock directory the way the Supervisor leaves it: mode 1777, reachable by
	 * uid 65534 even though the test's temporary directory is private.
	 * @param tempDir the test's temporary directory
	 * @return the lock directory
	 */
	static Path lockDirectory(Path tempDir) throws IOException {
		Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path directory = Files.createDirectories(tempDir.resolve("balena"));
		// The sticky bit is out of Java's reach.
		assertThat(run("chmod", "1777", directory.toString()).exitCode()).isZero();
		return directory;
	}

	/**
	 * Takes the lock as the Supervisor does before it touches the application's services.
	 * @param lockFile the lock file
	 * @return {@code lockfile}'s exit code: 0 when taken, {@value #LOCKFILE_EXISTS} when
	 * the file exists
	 */
	static int supervisorLock(Path lockFile) {
		requireSupervisor();
		return run("setpriv", "--reuid=" + SUPERVISOR_UID, "--regid=0", "--clear-groups", "lockfile", "-r", "0",
				lockFile.toString())
			.exitCode();
	}

	/**
	 * Takes the lock as the Supervisor does, and fails the test if it cannot.
	 * @param lockFile the lock file
	 */
	static void takeSupervisorLock(Path lockFile) {
		assertThat(supervisorLock(lockFile)).as("lockfile exit code for %s", lockFile).isZero();
	}

	/**
	 * Overrides the application's lock as the Supervisor does under
	 * {@code BALENA_SUPERVISOR_OVERRIDE_LOCK} or a {@code force} update: it unlinks
	 * whatever is there and takes its own lock in its place.
	 * @param lockFile the lock file
	 */
	static void overrideLock(Path lockFile) {
		requireSupervisor();
		assertThat(run("rm", "-f", lockFile.toString()).exitCode()).isZero();
		takeSupervisorLock(lockFile);
	}

	/**
	 * Asks what a host OS update asks before its final reboot: can an exclusive
	 * {@code flock} be had on the lock file, from a read-only descriptor, without waiting?
	 * @param lockFile the lock file, which must exist
	 * @return {@code true} when some process holds a flock on it, so the reboot would wait
	 */
	static boolean hostOsProbeFindsLockBusy(Path lockFile) {
		requireHostOsProbe();
		Result probe = run("bash", "-c", "exec {fd}<\"$1\"; flock -n -x $fd", "_", lockFile.toString());
		if (probe.exitCode() > 1) {
			fail("The host OS probe could not run on " + lockFile + ": " + probe);
		}
		return probe.exitCode() == 1;
	}

	/**
	 * The owner of a file, as the Supervisor sees it.
	 * @param file the file
	 * @return its uid
	 */
	static int ownerUid(Path file) throws IOException {
		return (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
	}

	private static void requireCommand(String command, String debianPackage) {
		requirePeer(run("bash", "-c", "command -v \"$1\"", "_", command).exitCode() == 0,
				"'" + command + "' is not installed (Debian package " + debianPackage + ")");
	}

	private static void requirePeer(boolean present, String missing) {
		if (present) {
			return;
		}
		if (Boolean.parseBoolean(System.getenv(REQUIRE_PEERS))) {
			fail("A lock peer is missing and " + REQUIRE_PEERS + " is true: " + missing);
		}
		abort("A lock peer is missing: " + missing);
	}

	private static Result run(String... command) {
		try {
			Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
			process.getOutputStream().close();
			// Read after the wait, so that a hung peer times out; the peers say a line at most.
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				fail("No answer within 30 s from " + List.of(command));
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			// Cannot even start: a missing program reads like "command not found".
			return new Result(127, ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + List.of(command), ex);
		}
	}

	private record Result(int exitCode, String output) {
	}

}
