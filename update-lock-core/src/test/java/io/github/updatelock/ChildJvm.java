package io.github.updatelock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.updatelock.testsupport.LockPeers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link HoldUntilKilled} JVM: another instance of the application, which the crash tests
 * kill with SIGKILL as the OOM killer or {@code docker kill} would.
 */
final class ChildJvm implements AutoCloseable {

	/**
	 * The command that starts a child, where it is not the binary of this JVM: under
	 * qemu-user, which cannot start a foreign binary by itself, a launcher that runs the
	 * same JVM under qemu again.
	 */
	static final String JAVA_PROPERTY = "updatelock.test.child-java";

	/**
	 * Whether the JVMs run under qemu-user, which answers a process's own
	 * {@code /proc/self/stat} with a start time of its own making: the start time a child
	 * writes into its marker then differs from the one the kernel reports for its pid, so
	 * without a flock a live child looks like a reused pid.
	 */
	static final String START_TIME_EMULATED_PROPERTY = "updatelock.test.start-time-emulated";

	private final Process process;

	private final BufferedReader output;

	private final Path log;

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
		ChildJvm child = start(logDirectory, lockFile.toString(), flock ? "flock" : "no-flock");
		child.expect(HoldUntilKilled.READY);
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
		ChildJvm child = start(logDirectory, lockFile.toString(), "flock", "churn", Long.toString(seed));
		child.expect(HoldUntilKilled.READY_TO_CHURN);
		return child;
	}

	private static ChildJvm start(Path logDirectory, String... arguments) throws IOException {
		String java = System.getProperty(JAVA_PROPERTY);
		if (java == null) {
			java = ProcessHandle.current()
				.info()
				.command()
				.orElseThrow(() -> new AssertionError("Cannot tell which java binary runs this test"));
		}
		Path log = Files.createTempFile(logDirectory, "child", ".log");
		List<String> command = new ArrayList<>(List.of(java,
				// Start-up dominates a child's life: C1 alone and one GC thread start it fastest on a small machine.
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
				HoldUntilKilled.class.getName()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
		return new ChildJvm(process,
				new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), log);
	}

	static boolean startTimeEmulated() {
		return Boolean.getBoolean(START_TIME_EMULATED_PROPERTY);
	}

	long pid() {
		return this.process.pid();
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
