package io.github.updatelock.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real programs that stand for the balena Supervisor and the host OS in tests. A test
 * that needs one calls the matching {@code require...} method first: where a peer is
 * missing the test is skipped, unless {@value #REQUIRE_PEERS} is {@code true} (as in CI),
 * where it fails instead.
 */
public final class LockPeers {

	/** The environment variable that turns a missing peer from a skip into a failure. */
	public static final String REQUIRE_PEERS = "UPDATE_LOCK_REQUIRE_PEERS";

	/** Exit code of procmail's {@code lockfile} when the file already exists. */
	public static final int LOCKFILE_EXISTS = 73;

	private LockPeers() {
	}

	/**
	 * Makes sure the Supervisor peer can run: procmail's {@code lockfile} and util-linux's
	 * {@code setpriv}, run by root (switching to uid 65534 needs it).
	 */
	public static void requireSupervisor() {
		requireCommand("lockfile", "procmail");
		requireCommand("setpriv", "util-linux");
		require(isRoot(), "the Supervisor peer runs lockfile as uid 65534, which needs root");
	}

	/**
	 * Makes sure the host OS probe can run: util-linux's {@code flock}.
	 */
	public static void requireHostOsProbe() {
		requireCommand("flock", "util-linux");
	}

	/**
	 * Creates a lock directory like the one the Supervisor prepares, mode 1777, inside a
	 * test's temporary directory (opened for traversal so that uid 65534 reaches it).
	 * @param tempDir the test's temporary directory
	 * @return the lock directory
	 */
	public static Path lockDirectory(Path tempDir) throws IOException {
		Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path directory = Files.createDirectories(tempDir.resolve("balena"));
		// Java cannot set the sticky bit, the Supervisor's chmod can.
		Assertions.assertEquals(0, run(List.of("chmod", "1777", directory.toString())).exitCode());
		return directory;
	}

	/**
	 * Takes the lock the way the Supervisor does: {@code lockfile -r 0} as uid 65534.
	 * @param lockFile the lock file
	 * @return the exit code of {@code lockfile}: 0 when taken, {@value #LOCKFILE_EXISTS}
	 * when the file exists
	 */
	public static int supervisorLock(Path lockFile) {
		requireSupervisor();
		return run(List.of("setpriv", "--reuid=65534", "--regid=0", "--clear-groups", "lockfile", "-r", "0",
				lockFile.toString())).exitCode();
	}

	/**
	 * Takes the lock the way the Supervisor does and fails the test if that does not work.
	 * @param lockFile the lock file
	 */
	public static void takeSupervisorLock(Path lockFile) {
		int exitCode = supervisorLock(lockFile);
		Assertions.assertEquals(0, exitCode, "lockfile could not take " + lockFile);
	}

	/**
	 * Asks like the host OS {@code safe_reboot} probe whether some process holds a flock on
	 * the lock file: {@code flock -n -x} on a read-only descriptor.
	 * @param lockFile the lock file
	 * @return {@code true} when a flock is held (the probe could not take it)
	 */
	public static boolean hostOsProbeFindsFlock(Path lockFile) {
		requireHostOsProbe();
		Result result = run(List.of("sh", "-c", "exec 9<\"$1\" && flock -n -x 9", "probe", lockFile.toString()));
		Assertions.assertTrue(result.exitCode() == 0 || result.exitCode() == 1,
				"unexpected probe result " + result);
		return result.exitCode() == 1;
	}

	private static void requireCommand(String command, String debianPackage) {
		boolean found = run(List.of("sh", "-c", "command -v \"$1\"", "which", command)).exitCode() == 0;
		require(found, "'" + command + "' is not installed (Debian package " + debianPackage + ")");
	}

	private static void require(boolean condition, String reason) {
		if (condition) {
			return;
		}
		if ("true".equals(System.getenv(REQUIRE_PEERS))) {
			Assertions.fail("Lock peer missing while " + REQUIRE_PEERS + "=true: " + reason);
		}
		Assumptions.abort("Lock peer missing: " + reason);
	}

	private static boolean isRoot() {
		return "0".equals(run(List.of("id", "-u")).output().trim());
	}

	private static Result run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				Assertions.fail("Timed out: " + command);
			}
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			return new Result(127, ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private record Result(int exitCode, String output) {
	}

}
