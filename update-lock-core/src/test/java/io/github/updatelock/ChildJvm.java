package io.github.updatelock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.github.updatelock.testsupport.LockPeers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link HoldUntilKilled} JVM: another instance of the application, which the crash tests
 * kill with SIGKILL as the OOM killer or {@code docker kill} would.
 */
final class ChildJvm implements AutoCloseable {

	/**
	 * How a child is started: like this JVM, or lacking what a test takes away. All but
	 * {@link #PLAIN} and {@link #WITHOUT_JNA} need root.
	 */
	enum Launch {

		PLAIN(List.of(), true),

		/**
		 * Without the JNA jar and the Java 22 classes on its class path, so that no native
		 * binding can load.
		 */
		WITHOUT_JNA(List.of(), false),

		/** Without the JNA jar, but with the Java 22 classes: the FFM binding, which needs no JNA. */
		WITHOUT_JNA_WITH_FFM(List.of(), false, true),

		/**
		 * With JNA, without the Java 22 classes: what an uber jar repacked without
		 * {@code Multi-Release: true} gives a JVM, which then never reads its
		 * {@code META-INF/versions/22}.
		 */
		WITHOUT_FFM_CLASSES(List.of(), true, false),

		/** Native access denied, as {@code --illegal-native-access=deny} does from Java 24 on: to FFM and JNA alike. */
		NATIVE_ACCESS_DENIED(List.of(), true, true, List.of("--illegal-native-access=deny")),

		/** Without JNA, as uid 65534: an application whose image runs as nobody. */
		WITHOUT_JNA_AS_SUPERVISOR_UID(List.of("setpriv", "--reuid=65534", "--regid=0", "--clear-groups"), false),

		/**
		 * In a pid namespace of its own, with the same hostname: a container with
		 * {@code network_mode: host}. Killing the child kills the JVM inside too.
		 */
		OWN_PID_NAMESPACE(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child"), true),

		/**
		 * Sees its own uid as the kernel's overflow uid (bind-mounted over
		 * {@code /proc/sys/kernel/overflowuid} in a mount namespace of its own), so that the
		 * files it creates look to it as a user namespace that does not map its uid shows
		 * them: owned by the uid the Supervisor takes for its own.
		 */
		OVERFLOW_UID_IS_ITS_OWN(overflowUidIsItsOwn(), true),

		/** {@link #OVERFLOW_UID_IS_ITS_OWN}, without JNA. */
		OVERFLOW_UID_IS_ITS_OWN_WITHOUT_JNA(overflowUidIsItsOwn(), false);

		/** Replaced by the directory a child may leave files in. */
		private static final String DIRECTORY = "{directory}";

		private final List<String> prefix;

		private final boolean jna;

		private final boolean ffm;

		private final List<String> options;

		Launch(List<String> prefix, boolean jna) {
			this(prefix, jna, jna);
		}

		Launch(List<String> prefix, boolean jna, boolean ffm) {
			this(prefix, jna, ffm, List.of());
		}

		Launch(List<String> prefix, boolean jna, boolean ffm, List<String> options) {
			this.prefix = prefix;
			this.jna = jna;
			this.ffm = ffm;
			this.options = options;
		}

		private static List<String> overflowUidIsItsOwn() {
			return List.of("unshare", "--mount", "sh", "-c", "id -u > \"$0/overflowuid\" && mount --bind "
					+ "\"$0/overflowuid\" /proc/sys/kernel/overflowuid && exec \"$@\"", DIRECTORY);
		}

		List<String> prefix(Path directory) {
			return this.prefix.stream().map((part) -> part.equals(DIRECTORY) ? directory.toString() : part).toList();
		}

		String classPath() {
			String classPath = System.getProperty("java.class.path");
			if (this.jna && this.ffm) {
				return classPath;
			}
			// The tests run from class folders, where the FFM classes are a folder of their own.
			return Arrays.stream(classPath.split(File.pathSeparator))
				.filter((entry) -> this.jna || !Path.of(entry).getFileName().toString().startsWith("jna-"))
				.filter((entry) -> this.ffm || !Path.of(entry).endsWith(Path.of("META-INF", "versions", "22")))
				.collect(Collectors.joining(File.pathSeparator));
		}

	}

	/**
	 * The command that starts a child, where it is not the binary of this JVM: under
	 * qemu-user, which cannot start a foreign binary by itself, a launcher that runs the
	 * same JVM under qemu again.
	 */
	static final String JAVA_PROPERTY = "updatelock.test.child-java";

	private final Process process;

	private final BufferedReader output;

	private final Path log;

	private String heldState;

	private ChildJvm(Process process, BufferedReader output, Path log) {
		this.process = process;
		this.output = output;
		this.log = log;
	}

	/**
	 * Starts a child that takes the lock once and holds it.
	 * @param lockFile the lock file
	 * @param flock whether the child takes a flock
	 * @param logDirectory where the child's standard error goes
	 * @return the child, once it holds the lock
	 */
	static ChildJvm holding(Path lockFile, boolean flock, Path logDirectory) throws IOException {
		return holding(lockFile, flock, logDirectory, Launch.PLAIN);
	}

	/**
	 * Starts a child that takes the lock once and holds it, started the given way.
	 * @param lockFile the lock file
	 * @param flock whether the child takes a flock
	 * @param logDirectory where the child's standard error goes
	 * @param launch how to start it
	 * @return the child, once it holds the lock (or runs unprotected)
	 */
	static ChildJvm holding(Path lockFile, boolean flock, Path logDirectory, Launch launch) throws IOException {
		ChildJvm child = start(logDirectory, launch, lockFile.toString(), flock ? "flock" : "no-flock");
		child.expect(HoldUntilKilled.READY);
		child.heldState = LockPeers.readLine(child.output, child.process, "child JVM");
		return child;
	}

	/**
	 * Starts a child that takes and releases holds as fast as it can once told to
	 * {@link #go()}.
	 * @param lockFile the lock file
	 * @param seed the seed of the child's own choices (nesting, release order)
	 * @param logDirectory where the child's standard error goes
	 * @return the child, started but not yet churning
	 */
	static ChildJvm churning(Path lockFile, long seed, Path logDirectory) throws IOException {
		ChildJvm child = start(logDirectory, Launch.PLAIN, lockFile.toString(), "flock", "churn", Long.toString(seed));
		child.expect(HoldUntilKilled.READY_TO_CHURN);
		return child;
	}

	private static ChildJvm start(Path logDirectory, Launch launch, String... arguments) throws IOException {
		String java = System.getProperty(JAVA_PROPERTY);
		if (java == null) {
			java = ProcessHandle.current()
				.info()
				.command()
				.orElseThrow(() -> new AssertionError("Cannot tell which java binary runs this test"));
		}
		Path log = Files.createTempFile(logDirectory, "child", ".log");
		List<String> command = new ArrayList<>(launch.prefix(logDirectory));
		command.addAll(List.of(java,
				// Start-up dominates a child's life: C1 alone and one GC thread start it fastest on a small machine.
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
		command.addAll(launch.options);
		command.addAll(List.of("-cp", launch.classPath(), HoldUntilKilled.class.getName()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
		return new ChildJvm(process,
				new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), log);
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * What a {@link #holding} child said of its lock once it held: its snapshot's status and
	 * warnings, as {@link HoldUntilKilled#describe} writes them.
	 */
	String heldState() {
		return this.heldState;
	}

	/** What the child has written to its standard error so far: its log. */
	String log() throws IOException {
		return Files.readString(this.log);
	}

	/** Lets a {@link #churning} child start taking and releasing holds. */
	void go() throws IOException {
		OutputStream input = this.process.getOutputStream();
		input.write('\n');
		input.flush();
	}

	/** SIGKILL: no shutdown hook, no finally block, nothing runs. */
	void kill() {
		this.process.destroyForcibly();
		LockPeers.waitFor(this.process, "killed child JVM");
	}

	/** Ends the child's input: it releases its holds and exits. */
	void stop() throws IOException {
		try (OutputStream input = this.process.getOutputStream()) {
			// Closing is the message.
		}
		expect(HoldUntilKilled.RELEASED);
		assertThat(LockPeers.waitFor(this.process, "child JVM")).as("child exit code").isZero();
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

	private void expect(String line) throws IOException {
		String said;
		try {
			said = LockPeers.readLine(this.output, this.process, "child JVM");
		}
		catch (AssertionError ex) {
			this.process.destroyForcibly();
			throw new AssertionError(ex.getMessage() + "; its log:\n" + Files.readString(this.log), ex);
		}
		assertThat(said).as("child JVM said").isEqualTo(line);
	}

}
