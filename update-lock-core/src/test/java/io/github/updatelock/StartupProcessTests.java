package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What starting the manager and taking a hold costs a process beyond the lock itself. Run in
 * a child JVM that logs every class it loads, since this JVM's other tests load anything:
 * every way to start a process ({@code Runtime.exec} too) goes through
 * {@code java.lang.ProcessBuilder}. JNA starts one ({@code ldconfig -p}, to learn the
 * library path) when it first loads a library, unless the application gives it that path
 * ({@code jna.platform.library.path}); the FFM binding of Java 22 and later needs neither.
 */
class StartupProcessTests {

	@TempDir
	Path directory;

	@Test
	@Tag(JavaVersions.JAVA_22)
	void startsNoProcessOnJava22AndLater() throws IOException, InterruptedException {
		String loaded = runChild("-Xlog:class+load=info:file=%s", TakeAndRelease.class);
		assertThat(loaded).as("the FFM binding took the lock")
			.contains(" io.github.updatelock.internal.FfmNativeCalls ");
		assertThat(loaded).as("classes loaded").doesNotContain(" java.lang.ProcessBuilder ")
			.doesNotContain(" com.sun.jna.NativeLibrary ");
	}

	@Test
	void startsNoProcessWhenJnaIsGivenItsPlatformLibraryPath() throws IOException, InterruptedException {
		String loaded = runChild("-Xlog:class+load=info:file=%s", TakeAndRelease.class,
				"-Djna.platform.library.path=/lib:/usr/lib");
		if (Runtime.version().feature() < 22) {
			assertThat(loaded).as("the JNA binding took the lock")
				.contains(" io.github.updatelock.internal.JnaNativeCalls ");
		}
		assertThat(loaded).as("classes loaded").doesNotContain(" java.lang.ProcessBuilder ");
	}

	@Test
	void loadsTheNativeBindingOnTheManagersThreadNotTheCallers() throws IOException, InterruptedException {
		String loaded = runChild("-Xlog:class+load=info:file=%s:tid", BuildOnly.class);
		String callerThread = threadThatLoaded(loaded, BuildOnly.class.getName());
		String bindingThread = threadThatLoaded(loaded, "io.github.updatelock.internal.NativeAccess");
		assertThat(bindingThread).as("thread that loaded the native binding").isNotEqualTo(callerThread);
	}

	/**
	 * Runs a child to its end.
	 * @param classLogOption the {@code -Xlog} option, {@code %s} standing for its file
	 * @param main the child's main class, whose one argument is a lock file
	 * @param jvmOptions more options of the child JVM
	 * @return the class load log
	 */
	private String runChild(String classLogOption, Class<?> main, String... jvmOptions)
			throws IOException, InterruptedException {
		Path classLog = this.directory.resolve("classes.log");
		Path output = this.directory.resolve("child.out");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add(classLogOption.formatted(classLog));
		command.addAll(List.of(jvmOptions));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(),
				this.directory.resolve("updates.lock").toString()));
		Process child = new ProcessBuilder(command)
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child done").isTrue();
		assertThat(child.exitValue()).as("exit status; output: " + Files.readString(output)).isZero();
		return Files.readString(classLog);
	}

	/** The thread id decoration of the line that logged loading {@code className}. */
	private static String threadThatLoaded(String classLog, String className) {
		return classLog.lines()
			.filter((line) -> line.contains("] " + className + " source:"))
			.map((line) -> line.substring(0, line.indexOf(']') + 1))
			.findFirst()
			.orElseThrow(() -> new AssertionError(className + " was not loaded"));
	}

	/** The child: starts a manager, takes a hold with flock, releases it and exits. */
	static final class TakeAndRelease {

		public static void main(String[] args) {
			try (UpdateLockManager manager = UpdateLockManager.builder()
				.lockPath(Path.of(args[0]))
				.environment(Map.of())
				.shutdownHook(false)
				.build()) {
				UpdateLockHold hold = manager.acquire("startup-check", Duration.ZERO);
				if (!manager.snapshot().flockHeld()) {
					throw new IllegalStateException("no flock held: " + manager.snapshot());
				}
				hold.release();
			}
		}

	}

	/**
	 * The child: starts a manager and waits for its startup line, which the manager logs
	 * once the native binding has loaded.
	 */
	static final class BuildOnly {

		public static void main(String[] args) throws InterruptedException {
			CountDownLatch logged = new CountDownLatch(1);
			Logger logger = Logger.getLogger(UpdateLockManager.class.getName());
			logger.addHandler(new Handler() {

				@Override
				public void publish(LogRecord record) {
					if (record.getMessage().startsWith("Update lock at")) {
						logged.countDown();
					}
				}

				@Override
				public void flush() {
				}

				@Override
				public void close() {
				}

			});
			try (UpdateLockManager manager = UpdateLockManager.builder()
				.lockPath(Path.of(args[0]))
				.environment(Map.of())
				.shutdownHook(false)
				.build()) {
				if (!logged.await(30, TimeUnit.SECONDS)) {
					throw new IllegalStateException("no startup line logged");
				}
			}
		}

	}

}
