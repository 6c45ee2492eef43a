package io.github.updatelock.testsupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real programs that share the balenaOS update lock with us (semantics page, section
 * 7), each run as a separate process with a timeout: the balena Supervisor (procmail's
 * {@code lockfile} as uid 65534), the host OS {@code safe_reboot} flock probe, and npm
 * {@code lockfile} 1.0.4 under node.
 * <p>
 * Every method that needs a peer checks for it first. A peer that is not installed skips
 * the calling test on a developer machine, and fails it where
 * {@value #REQUIRE_PEERS_VARIABLE} is {@code true} (CI), so that a broken CI image cannot
 * turn the interop tests into silent skips. The message says what to install.
 */
public final class LockPeers {

	/** The environment variable that turns a missing peer from a skip into a failure. */
	public static final String REQUIRE_PEERS_VARIABLE = "UPDATE_LOCK_REQUIRE_PEERS";

	/** The environment variable naming the directory npm {@code lockfile} is installed under. */
	public static final String NPM_PEER_DIR_VARIABLE = "UPDATE_LOCK_NPM_PEER_DIR";

	/** Where npm {@code lockfile} is looked for when {@value #NPM_PEER_DIR_VARIABLE} is not set. */
	public static final Path DEFAULT_NPM_PEER_DIR = Path.of("/tmp/update-lock-npm-peer");

	/** The uid the Supervisor runs procmail's {@code lockfile} as (nobody); its lock files belong to it. */
	public static final int SUPERVISOR_UID = 65534;

	/** procmail's {@code lockfile} exit code when the file already exists and no retry is allowed. */
	public static final int LOCKFILE_EXISTS = 73;

	/**
	 * System property that multiplies {@link #TIMEOUT}, for JVMs that run emulated (a child
	 * JVM under qemu-user may take longer than 30 s to start on a busy machine).
	 */
	public static final String TIMEOUT_FACTOR_PROPERTY = "updatelock.test.timeout-factor";

	/**
	 * How long any peer process may take. Generous, because CI machines are shared; a peer that hangs this long is broken.
	 * Multiplied by {@value #TIMEOUT_FACTOR_PROPERTY} where that is set.
	 */
	public static final Duration TIMEOUT = Duration.ofSeconds(30).multipliedBy(timeoutFactor());

	private static final List<String> AS_SUPERVISOR = List.of("setpriv", "--reuid=" + SUPERVISOR_UID, "--regid=0",
			"--clear-groups");

	/**
	 * What the host OS runs on each {@code updates.lock} it finds, every 5 s: open it
	 * read-only, try a non-blocking exclusive flock. The existence check stands for its loop
	 * over the entries that exist: with no entry there is nothing to wait for.
	 */
	private static final String HOST_OS_PROBE = "[ -e \"$1\" ] || exit 0; exec {fd}<\"$1\" || exit 0; "
			+ "flock -n -x \"$fd\"";

	/** Takes the lock with npm lockfile, says so, and lets go when its standard input ends. */
	private static final String NPM_HOLDER = """
			const [module, file] = process.argv.slice(1);
			const lockfile = require(module);
			try {
				lockfile.lockSync(file);
			} catch (error) {
				console.log('refused ' + error.code);
				process.exit(0);
			}
			console.log('locked');
			process.stdin.on('data', () => {});
			process.stdin.on('end', () => {
				lockfile.unlockSync(file);
				console.log('unlocked');
				process.exit(0);
			});
			""";

	private static final Map<Peer, String> problems = new ConcurrentHashMap<>();

	private LockPeers() {
	}

	/**
	 * A program that shares the update lock with us.
	 */
	public enum Peer {

		/** procmail's {@code lockfile}, run as uid 65534 through util-linux {@code setpriv} (which needs root). */
		SUPERVISOR,

		/** bash and util-linux {@code flock}, as the host OS {@code safe_reboot} uses them. */
		HOST_OS_PROBE,

		/** node with npm {@code lockfile} 1.0.4 installed under {@value #NPM_PEER_DIR_VARIABLE}. */
		NPM_LOCKFILE

	}

	/**
	 * What the host OS probe concluded.
	 */
	public enum Probe {

		/** No flock on the file (or no file): the host OS would reboot now. */
		FREE,

		/** Someone holds a flock on the file: the host OS waits. */
		BUSY

	}

	/**
	 * Skips or fails the calling test when the peer is not usable here.
	 * @param peer the peer the test needs
	 */
	public static void require(Peer peer) {
		String problem = problems.computeIfAbsent(peer, (key) -> {
			String found = findProblem(key);
			return (found != null) ? found : "";
		});
		if (!problem.isEmpty()) {
			missing(problem);
		}
	}

	/**
	 * Skips the calling test because something it needs is not installed, or fails it where
	 * {@value #REQUIRE_PEERS_VARIABLE} is {@code true}.
	 * @param problem what is missing and how to install it
	 */
	public static void missing(String problem) {
		String required = System.getenv(REQUIRE_PEERS_VARIABLE);
		if (required != null && required.trim().equalsIgnoreCase("true")) {
			Assertions.fail("Lock peer missing: " + problem + " (" + REQUIRE_PEERS_VARIABLE
					+ "=true: peer tests must not skip here)");
		}
		Assumptions.abort("Lock peer missing: " + problem + " (skipped; with " + REQUIRE_PEERS_VARIABLE
				+ "=true this fails)");
	}

	/**
	 * Skips or fails the calling test unless the Supervisor peer can run: procmail's
	 * {@code lockfile} and util-linux's {@code setpriv}, run by root.
	 */
	public static void requireSupervisor() {
		require(Peer.SUPERVISOR);
	}

	/**
	 * Skips or fails the calling test unless the host OS probe can run: bash and util-linux's
	 * {@code flock}.
	 */
	public static void requireHostOsProbe() {
		require(Peer.HOST_OS_PROBE);
	}

	/**
	 * Skips or fails the calling test unless npm {@code lockfile} 1.0.4 can run under node.
	 */
	public static void requireNpmLockfile() {
		require(Peer.NPM_LOCKFILE);
	}

	/**
	 * Makes a lock directory inside a test's temporary directory that uid 65534 can reach,
	 * as the Supervisor's is: JUnit creates temporary directories with mode 0700, so the
	 * temporary directory is opened for traversal and the lock directory made mode 1777.
	 * @param temporary the test's temporary directory
	 * @return the lock directory, {@code balena} inside it
	 * @throws IOException if the directory cannot be made
	 */
	public static Path lockDirectory(Path temporary) throws IOException {
		Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path directory = Files.createDirectories(temporary.resolve("balena"));
		makeWorldWritable(directory);
		return directory;
	}

	/**
	 * The Supervisor takes its lock: {@code lockfile -r 0} as uid 65534, after making the
	 * directory mode 1777 as it does.
	 * @param lockFile the lock file
	 * @return {@code true} if it created the file, {@code false} if one was already there
	 */
	public static boolean supervisorLocks(Path lockFile) {
		require(Peer.SUPERVISOR);
		makeWorldWritable(lockFile.getParent());
		requireReachableBySupervisor(lockFile.getParent());
		Result result = run(asSupervisor("lockfile", "-r", "0", lockFile.toString()));
		if (result.exitCode() == 0) {
			return true;
		}
		if (result.exitCode() == LOCKFILE_EXISTS) {
			return false;
		}
		throw result.unexpected("procmail lockfile");
	}

	/**
	 * The Supervisor takes its lock, and the test fails if the file was already there.
	 * @param lockFile the lock file
	 */
	public static void takeSupervisorLock(Path lockFile) {
		Assertions.assertTrue(supervisorLocks(lockFile), () -> "lockfile could not take " + lockFile
				+ ": it already exists");
	}

	/**
	 * The Supervisor lets go of its lock (it deletes the files it took).
	 * @param lockFile the lock file
	 */
	public static void supervisorUnlocks(Path lockFile) {
		require(Peer.SUPERVISOR);
		Result result = run(asSupervisor("rm", "-f", lockFile.toString()));
		if (result.exitCode() != 0) {
			throw result.unexpected("rm as uid " + SUPERVISOR_UID);
		}
	}

	/**
	 * The Supervisor overrides the application's lock ({@code BALENA_SUPERVISOR_OVERRIDE_LOCK}
	 * or a {@code force} update): it unlinks whatever is at the path and takes its own lock.
	 * @param lockFile the lock file
	 */
	public static void supervisorOverrides(Path lockFile) {
		require(Peer.SUPERVISOR);
		Result removed = run(List.of("rm", "-f", lockFile.toString()));
		if (removed.exitCode() != 0) {
			throw removed.unexpected("rm");
		}
		Assertions.assertTrue(supervisorLocks(lockFile),
				() -> "the Supervisor could not take " + lockFile + " right after removing it");
	}

	/**
	 * Runs the host OS {@code safe_reboot} probe on the lock file: open it read-only, try
	 * {@code flock -n -x}.
	 * @param lockFile the lock file
	 * @return whether the host OS would reboot now; {@link Probe#FREE} when there is no file
	 */
	public static Probe hostOsProbe(Path lockFile) {
		require(Peer.HOST_OS_PROBE);
		Result result = run(List.of("bash", "-c", HOST_OS_PROBE, "safe_reboot", lockFile.toString()));
		return switch (result.exitCode()) {
			case 0 -> Probe.FREE;
			case 1 -> Probe.BUSY;
			default -> throw result.unexpected("host OS flock probe");
		};
	}

	/**
	 * Whether the host OS probe finds a flock held on an existing lock file, so that the
	 * reboot would wait. The test fails if the file does not exist.
	 * @param lockFile the lock file, which must exist
	 * @return {@code true} when some process holds a flock on it
	 */
	public static boolean hostOsProbeFindsLockBusy(Path lockFile) {
		require(Peer.HOST_OS_PROBE);
		Assertions.assertTrue(Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS),
				() -> "the host OS probe needs " + lockFile + " to exist");
		return hostOsProbe(lockFile) == Probe.BUSY;
	}

	/**
	 * npm lockfile tries once to take the lock and, if it got it, lets it go again.
	 * @param lockFile the lock file
	 * @return whether it got the lock
	 */
	public static boolean npmLockfileTakes(Path lockFile) {
		try (NpmHolder holder = npmLockfileHolds(lockFile)) {
			return holder.locked();
		}
	}

	/**
	 * Starts a node process that takes the lock with npm lockfile and keeps it until
	 * {@link NpmHolder#close()}.
	 * @param lockFile the lock file
	 * @return the running holder; check {@link NpmHolder#locked()}
	 */
	public static NpmHolder npmLockfileHolds(Path lockFile) {
		require(Peer.NPM_LOCKFILE);
		Path module = npmPeerDirectory().resolve("node_modules").resolve("lockfile");
		try {
			Process process = new ProcessBuilder("node", "-e", NPM_HOLDER, module.toString(), lockFile.toString())
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			String first = readLine(output, process, "npm lockfile holder");
			if (!first.equals("locked") && !first.startsWith("refused ")) {
				process.destroyForcibly();
				Assertions.fail("npm lockfile holder said '" + first + "'");
			}
			return new NpmHolder(process, output, first);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start node", ex);
		}
	}

	/**
	 * The owner of a file, as the Supervisor sees it.
	 * @param file the file
	 * @return its uid
	 * @throws IOException if the file cannot be read
	 */
	public static int ownerUid(Path file) throws IOException {
		return (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
	}

	/**
	 * Makes a directory unwritable for this process until the returned handle is closed:
	 * {@code chmod 555} for an ordinary user, the immutable attribute for root (whom
	 * permissions do not stop). Not a lock peer: where the attribute cannot be set (no
	 * {@code CAP_LINUX_IMMUTABLE}, a file system without it) the test is skipped, even in CI.
	 * @param directory the directory
	 * @return a handle that makes it writable again
	 */
	public static AutoCloseable makeUnwritable(Path directory) {
		String path = directory.toString();
		boolean root = "0".equals(run(List.of("id", "-u")).stdout().strip());
		List<String> lock = root ? List.of("chattr", "+i", path) : List.of("chmod", "555", path);
		List<String> unlock = root ? List.of("chattr", "-i", path) : List.of("chmod", "755", path);
		Result locked = run(lock);
		Assumptions.assumeTrue(locked.exitCode() == 0 && !Files.isWritable(directory),
				() -> "Cannot make " + path + " unwritable for this process: " + locked.stderr());
		return () -> {
			Result unlocked = run(unlock);
			Assertions.assertEquals(0, unlocked.exitCode(), unlocked.stderr());
		};
	}

	/**
	 * Reads one line a child process prints, failing the test if none comes within
	 * {@link #TIMEOUT}.
	 * @param output the child's standard output
	 * @param process the child, killed when it does not answer
	 * @param what the child, for the failure message
	 * @return the line
	 */
	public static String readLine(BufferedReader output, Process process, String what) {
		CompletableFuture<String> line = new CompletableFuture<>();
		// A thread of its own: a read cannot be interrupted, and the common pool may have one thread.
		Thread reader = new Thread(() -> {
			try {
				line.complete(output.readLine());
			}
			catch (IOException | RuntimeException ex) {
				line.completeExceptionally(ex);
			}
		}, "peer-output-reader");
		reader.setDaemon(true);
		reader.start();
		try {
			String read = line.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (read == null) {
				throw new AssertionError(what + " ended without saying anything (exit code "
						+ exitCodeOrNone(process) + ")");
			}
			return read;
		}
		catch (TimeoutException ex) {
			process.destroyForcibly();
			throw new AssertionError(what + " said nothing within " + TIMEOUT, ex);
		}
		catch (ExecutionException ex) {
			throw new AssertionError("Could not read from " + what, ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new AssertionError("Interrupted while reading from " + what, ex);
		}
	}

	/**
	 * Waits for a child process to end, killing it and failing the test if it does not
	 * within {@link #TIMEOUT}.
	 * @param process the child
	 * @param what the child, for the failure message
	 * @return its exit code
	 */
	public static int waitFor(Process process, String what) {
		try {
			if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new AssertionError(what + " did not end within " + TIMEOUT);
			}
			return process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new AssertionError("Interrupted while waiting for " + what, ex);
		}
	}

	private static String exitCodeOrNone(Process process) {
		try {
			return process.waitFor(1, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "none, still running";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

	private static long timeoutFactor() {
		String value = System.getProperty(TIMEOUT_FACTOR_PROPERTY, "1");
		try {
			long factor = Long.parseLong(value.trim());
			if (factor >= 1) {
				return factor;
			}
		}
		catch (NumberFormatException ex) {
			// Reported below, like a factor below 1.
		}
		throw new IllegalArgumentException(
				TIMEOUT_FACTOR_PROPERTY + " must be a whole number of at least 1, was '" + value + "'");
	}

	private static List<String> asSupervisor(String... command) {
		List<String> full = new ArrayList<>(AS_SUPERVISOR);
		full.addAll(Arrays.asList(command));
		return full;
	}

	private static void makeWorldWritable(Path directory) {
		// Java cannot set the sticky bit, and the sticky bit is what the Supervisor's 1777 has.
		Result result = run(List.of("chmod", "1777", directory.toString()));
		if (result.exitCode() != 0) {
			throw result.unexpected("chmod 1777");
		}
	}

	/** uid 65534 needs search permission on every directory above the lock directory. */
	private static void requireReachableBySupervisor(Path directory) {
		for (Path current = directory.toAbsolutePath(); current != null; current = current.getParent()) {
			Set<PosixFilePermission> permissions;
			try {
				permissions = Files.getPosixFilePermissions(current);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the permissions of " + current, ex);
			}
			if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
				Assertions.fail("uid " + SUPERVISOR_UID + " cannot reach " + directory + " because " + current
						+ " is not searchable by others; put the temporary directory (java.io.tmpdir) somewhere "
						+ "every user may enter, such as /tmp");
			}
		}
	}

	private static Path npmPeerDirectory() {
		String configured = System.getenv(NPM_PEER_DIR_VARIABLE);
		return (configured != null && !configured.isBlank()) ? Path.of(configured.trim()) : DEFAULT_NPM_PEER_DIR;
	}

	private static String findProblem(Peer peer) {
		switch (peer) {
			case SUPERVISOR:
				if (!onPath("lockfile")) {
					return "procmail's lockfile is not on the PATH: install the Debian package procmail "
							+ "(apt-get install procmail)";
				}
				if (!onPath("setpriv")) {
					return "setpriv is not on the PATH: install the Debian package util-linux";
				}
				Result probe = run(asSupervisor("true"));
				if (probe.exitCode() != 0) {
					return "cannot run commands as uid " + SUPERVISOR_UID + " with setpriv (" + probe.stderr().strip()
							+ "): setpriv needs root to switch to that uid, so run the tests as root, as CI does";
				}
				return null;
			case HOST_OS_PROBE:
				if (!onPath("bash") || !onPath("flock")) {
					return "bash and flock are needed for the host OS probe: install the Debian packages bash "
							+ "and util-linux";
				}
				return null;
			case NPM_LOCKFILE:
				if (!onPath("node")) {
					return "node is not on the PATH: install Node.js (apt-get install nodejs npm)";
				}
				Path directory = npmPeerDirectory();
				if (!Files.isRegularFile(directory.resolve("node_modules/lockfile/package.json"))) {
					return "npm lockfile 1.0.4 is not installed under " + directory + ": run 'npm install --prefix "
							+ directory + " lockfile@1.0.4' (or point " + NPM_PEER_DIR_VARIABLE
							+ " at a directory where it is installed)";
				}
				return null;
			default:
				throw new IllegalArgumentException(peer.name());
		}
	}

	private static boolean onPath(String program) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(":")) {
			if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
				return true;
			}
		}
		return false;
	}

	private static Result run(List<String> command) {
		Path output = null;
		Path errors = null;
		try {
			output = Files.createTempFile("update-lock-peer", ".out");
			errors = Files.createTempFile("update-lock-peer", ".err");
			// Files rather than pipes: a peer can never block on a full pipe nobody reads.
			Process process = new ProcessBuilder(command)
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.redirectOutput(output.toFile())
				.redirectError(errors.toFile())
				.start();
			int exitCode = waitFor(process, String.join(" ", command));
			return new Result(command, exitCode, Files.readString(output), Files.readString(errors));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		finally {
			deleteQuietly(output);
			deleteQuietly(errors);
		}
	}

	private static void deleteQuietly(Path file) {
		if (file != null) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// A leftover temporary file of a few bytes harms nothing.
			}
		}
	}

	/**
	 * What a finished peer process did.
	 *
	 * @param command what ran
	 * @param exitCode its exit code
	 * @param stdout its standard output
	 * @param stderr its standard error
	 */
	private record Result(List<String> command, int exitCode, String stdout, String stderr) {

		AssertionError unexpected(String what) {
			return new AssertionError(what + " exited with " + this.exitCode + " (" + String.join(" ", this.command)
					+ "): " + this.stderr.strip());
		}

	}

	/**
	 * A node process that took (or was refused) the lock with npm lockfile. Closing it makes
	 * it unlock, as an application calling {@code unlockSync} would.
	 */
	public static final class NpmHolder implements AutoCloseable {

		private final Process process;

		private final BufferedReader output;

		private final boolean locked;

		private NpmHolder(Process process, BufferedReader output, String answer) {
			this.process = process;
			this.output = output;
			this.locked = answer.equals("locked");
		}

		/**
		 * Whether npm lockfile created the lock file.
		 * @return {@code false} when it found the file already there
		 */
		public boolean locked() {
			return this.locked;
		}

		/**
		 * Makes the holder unlock and waits for it to end.
		 */
		@Override
		public void close() {
			try (OutputStream input = this.process.getOutputStream()) {
				// Closing standard input is the holder's signal to unlock and exit.
			}
			catch (IOException ex) {
				// It has already ended; waitFor below says how.
			}
			if (this.locked) {
				String said = readLine(this.output, this.process, "npm lockfile holder");
				Assertions.assertEquals("unlocked", said, "npm lockfile holder did not unlock");
			}
			int exitCode = waitFor(this.process, "npm lockfile holder");
			Assertions.assertEquals(0, exitCode, "npm lockfile holder exit code");
		}

	}

}
