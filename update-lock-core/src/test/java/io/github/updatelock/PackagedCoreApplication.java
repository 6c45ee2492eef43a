package io.github.updatelock;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

import com.sun.jna.Native;
import io.github.updatelock.testsupport.LockPeers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small application built against the jar {@code package} made, the way users build
 * theirs, and run in a JVM of its own: it takes a hold, prints its snapshot's status and
 * protection, and releases once its input ends. For the integration tests that need the
 * packaged multi-release jar rather than class folders.
 */
final class PackagedCoreApplication implements AutoCloseable {

	/** The jar {@code package} built, handed over by the build. */
	static final String CORE_JAR_PROPERTY = "updatelock.test.core-jar";

	private static final String MODULE_INFO = """
			module app {
				requires io.github.updatelock;
			}
			""";

	private static final String MAIN = """
			package app;

			import java.io.BufferedReader;
			import java.io.InputStreamReader;
			import java.nio.file.Path;
			import java.util.Map;

			import io.github.updatelock.UpdateLockHold;
			import io.github.updatelock.UpdateLockManager;
			import io.github.updatelock.UpdateLockSnapshot;

			public class Main {

				public static void main(String[] args) throws Exception {
					try (UpdateLockManager manager = UpdateLockManager.builder().lockPath(Path.of(args[0]))
						.environment(Map.of()).shutdownHook(false).build()) {
						UpdateLockHold hold = manager.acquire("packaged");
						UpdateLockSnapshot snapshot = manager.snapshot();
						System.out.println(snapshot.status() + " " + snapshot.protection());
						System.out.flush();
						new BufferedReader(new InputStreamReader(System.in)).readLine();
						hold.release();
					}
				}

			}
			""";

	private final Process process;

	private final Path log;

	private final String held;

	private PackagedCoreApplication(Process process, Path log) throws IOException {
		this.process = process;
		this.log = log;
		BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		this.held = LockPeers.readLine(output, process, "application; its log:\n" + Files.readString(log));
	}

	/** The packaged core jar. */
	static Path coreJar() {
		String jar = System.getProperty(CORE_JAR_PROPERTY);
		assertThat(jar).as("system property " + CORE_JAR_PROPERTY).isNotNull();
		assertThat(Path.of(jar)).isRegularFile();
		return Path.of(jar);
	}

	/** JNA's jar, as the build resolved it. */
	static Path jnaJar() throws URISyntaxException {
		return Path.of(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	/**
	 * Compiles the application against the packaged core and JNA.
	 * @param directory where its sources and classes go
	 * @param asModule whether it is a module that requires only the core, or plain classes
	 * @return its classes
	 */
	static Path compile(Path directory, boolean asModule) throws IOException, URISyntaxException {
		Path sources = directory.resolve("src");
		Files.createDirectories(sources.resolve("app"));
		List<String> files = new ArrayList<>(List.of(sources.resolve("app").resolve("Main.java").toString()));
		Files.writeString(sources.resolve("app").resolve("Main.java"), MAIN);
		if (asModule) {
			Files.writeString(sources.resolve("module-info.java"), MODULE_INFO);
			files.add(sources.resolve("module-info.java").toString());
		}
		Path classes = directory.resolve("app-classes");
		List<String> arguments = new ArrayList<>(List.of(asModule ? "--module-path" : "--class-path",
				coreJar() + File.pathSeparator + jnaJar(), "-d", classes.toString()));
		arguments.addAll(files);
		ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
		assertThat(javac.run(System.out, System.err, arguments.toArray(String[]::new))).as("javac exit code").isZero();
		return classes;
	}

	/**
	 * Starts the application with this JVM's {@code java}, once it holds.
	 * @param log where its standard error goes
	 * @param arguments what follows {@code java}
	 * @return the application, holding
	 */
	static PackagedCoreApplication start(Path log, List<String> arguments) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElseThrow());
		command.addAll(arguments);
		return new PackagedCoreApplication(new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
	}

	/** What it printed once it held: its snapshot's status and protection. */
	String held() {
		return this.held;
	}

	/** Its standard error so far. */
	String log() throws IOException {
		return Files.readString(this.log);
	}

	/** Ends its input: it releases its hold and exits. */
	void stop() throws IOException {
		try (OutputStream input = this.process.getOutputStream()) {
			input.write('\n');
		}
		assertThat(LockPeers.waitFor(this.process, "application")).as("exit code").isZero();
	}

	@Override
	public void close() {
		this.process.destroyForcibly();
	}

}
