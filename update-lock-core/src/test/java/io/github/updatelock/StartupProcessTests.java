package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What starting the manager and taking a hold costs a process beyond the lock itself. Run in
 * a child JVM that logs every class it loads, since this JVM's other tests load anything:
 * every way to start a process ({@code Runtime.exec} too) goes through
 * {@code java.lang.ProcessBuilder}. JNA starts one
 * ({@code ldconfig -p}, to learn the library path) whenever it loads a library, so only the
 * FFM binding of Java 22 and later can do without.
 */
class StartupProcessTests {

	@TempDir
	Path directory;

	@Test
	void startsNoProcessOnJava22AndLater() throws IOException, InterruptedException {
		assumeTrue(Runtime.version().feature() >= 22, "JNA starts ldconfig; FFM needs Java 22");
		Path classLog = this.directory.resolve("classes.log");
		Path lockFile = this.directory.resolve("updates.lock");
		Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xlog:class+load=info:file=" + classLog, "-cp", System.getProperty("java.class.path"),
				TakeAndRelease.class.getName(), lockFile.toString()))
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("child.out").toFile())
			.start();
		assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child done").isTrue();
		assertThat(child.exitValue()).as("exit status; output: " + Files.readString(this.directory.resolve("child.out")))
			.isZero();
		String loaded = Files.readString(classLog);
		assertThat(loaded).as("the FFM binding took the lock")
			.contains(" io.github.updatelock.internal.FfmNativeCalls ");
		assertThat(loaded).as("classes loaded").doesNotContain(" java.lang.ProcessBuilder ")
			.doesNotContain(" com.sun.jna.NativeLibrary ");
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

}
