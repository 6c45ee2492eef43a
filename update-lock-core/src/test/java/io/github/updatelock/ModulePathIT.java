package io.github.updatelock;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

import com.sun.jna.Native;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged core jar as a module on the module path, in the module graph an application
 * that uses modules has: its own module {@code requires io.github.updatelock} and nothing
 * more, started with {@code java -p ... -m}, no {@code --add-modules}. The lock must hold its
 * flock there as on the class path: through JNA on Java 17 to 21, through FFM from the
 * multi-release jar's {@code META-INF/versions/22} on Java 22 and later. An integration
 * test, since it needs the jar that {@code package} builds.
 */
class ModulePathIT {

	private static final String MODULE = "io.github.updatelock";

	/** The jar {@code package} built, handed over by the build. */
	private static final String CORE_JAR_PROPERTY = "updatelock.test.core-jar";

	private static final String APPLICATION_MODULE = """
			module app {
				requires io.github.updatelock;
			}
			""";

	private static final String APPLICATION = """
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
						UpdateLockHold hold = manager.acquire("from-the-module-path");
						UpdateLockSnapshot snapshot = manager.snapshot();
						System.out.println(snapshot.status() + " " + snapshot.protection());
						System.out.flush();
						new BufferedReader(new InputStreamReader(System.in)).readLine();
						hold.release();
					}
				}

			}
			""";

	@TempDir
	Path directory;

	private Path coreJar;

	@BeforeEach
	void findThePackagedJar() {
		String jar = System.getProperty(CORE_JAR_PROPERTY);
		assertThat(jar).as("system property " + CORE_JAR_PROPERTY).isNotNull();
		this.coreJar = Path.of(jar);
		assertThat(this.coreJar).isRegularFile();
	}

	@Test
	void exportsTheApiButNotTheInternals() {
		ModuleDescriptor descriptor = ModuleFinder.of(this.coreJar).find(MODULE).orElseThrow().descriptor();
		assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source)
			.containsExactlyInAnyOrder("io.github.updatelock", "io.github.updatelock.event",
					"io.github.updatelock.window");
		assertThat(descriptor.isAutomatic()).isFalse();
	}

	@Test
	void anApplicationModuleThatRequiresOnlyTheCoreHoldsTheFlock() throws Exception {
		Path modules = compileApplication();
		Path lockFile = LockPeers.lockDirectory(this.directory).resolve("updates.lock");
		Path log = this.directory.resolve("application.log");
		String java = ProcessHandle.current().info().command().orElseThrow();
		String modulePath = String.join(File.pathSeparator, modules.toString(), this.coreJar.toString(),
				locationOf(Native.class).toString());
		Process process = new ProcessBuilder(java, "-p", modulePath, "-m", "app/app.Main", lockFile.toString())
			.redirectError(log.toFile())
			.start();
		try {
			BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			String held = LockPeers.readLine(output, process, "application on the module path");
			String expectedBinding = (Runtime.version().feature() >= 22) ? "FFM" : "JNA";
			assertThat(held).as("its snapshot; its log:%n%s", Files.readString(log))
				.isEqualTo("HELD APP_AND_HOST_OS_UPDATES");
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).as("flock held").isTrue();
			// The manager logs its start-up line from its own thread.
			await().atMost(LockPeers.TIMEOUT)
				.untilAsserted(() -> assertThat(Files.readString(log))
					.contains("(flock on, native: " + expectedBinding + ")"));
			if (Runtime.version().feature() >= 22) {
				// Started with no flag at all: the JDK warns about the native access, and the flock is held all the same.
				assertThat(Files.readString(log)).contains("WARNING: A restricted method in java.lang.foreign.Linker");
			}
			try (OutputStream input = process.getOutputStream()) {
				input.write('\n');
			}
			assertThat(LockPeers.waitFor(process, "application on the module path")).isZero();
		}
		finally {
			process.destroyForcibly();
		}
		assertThat(lockFile).doesNotExist();
	}

	/** The application module, compiled against the packaged jar as a user's build would. */
	private Path compileApplication() throws IOException, URISyntaxException {
		Path sources = this.directory.resolve("src");
		Files.createDirectories(sources.resolve("app"));
		Files.writeString(sources.resolve("module-info.java"), APPLICATION_MODULE);
		Files.writeString(sources.resolve("app").resolve("Main.java"), APPLICATION);
		Path classes = this.directory.resolve("app-classes");
		List<String> arguments = new ArrayList<>(List.of("--module-path",
				this.coreJar + File.pathSeparator + locationOf(Native.class), "-d", classes.toString(),
				sources.resolve("module-info.java").toString(), sources.resolve("app").resolve("Main.java").toString()));
		ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
		assertThat(javac.run(System.out, System.err, arguments.toArray(String[]::new))).as("javac exit code").isZero();
		return classes;
	}

	private static Path locationOf(Class<?> type) throws URISyntaxException {
		return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

}
