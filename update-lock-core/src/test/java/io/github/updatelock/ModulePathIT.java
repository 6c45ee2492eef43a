package io.github.updatelock;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;

import io.github.updatelock.testsupport.LockPeers;
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

	@TempDir
	Path directory;

	@Test
	void exportsTheApiButNotTheInternals() {
		ModuleDescriptor descriptor = ModuleFinder.of(PackagedCoreApplication.coreJar())
			.find("io.github.updatelock")
			.orElseThrow()
			.descriptor();
		assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source)
			.containsExactlyInAnyOrder("io.github.updatelock", "io.github.updatelock.event",
					"io.github.updatelock.window");
		assertThat(descriptor.isAutomatic()).isFalse();
	}

	@Test
	void anApplicationModuleThatRequiresOnlyTheCoreHoldsTheFlock() throws Exception {
		Path modules = PackagedCoreApplication.compile(this.directory, true);
		Path lockFile = LockPeers.lockDirectory(this.directory).resolve("updates.lock");
		String modulePath = String.join(File.pathSeparator, modules.toString(),
				PackagedCoreApplication.coreJar().toString(), PackagedCoreApplication.jnaJar().toString());
		try (PackagedCoreApplication application = PackagedCoreApplication.start(
				this.directory.resolve("application.log"),
				List.of("-p", modulePath, "-m", "app/app.Main", lockFile.toString()))) {
			assertThat(application.held()).isEqualTo("HELD APP_AND_HOST_OS_UPDATES");
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).as("flock held").isTrue();
			String expectedBinding = (Runtime.version().feature() >= 22) ? "FFM" : "JNA";
			// The manager logs its start-up line from its own thread.
			await().atMost(LockPeers.TIMEOUT)
				.untilAsserted(() -> assertThat(application.log())
					.contains("(flock on, native: " + expectedBinding + ")"));
			if (Runtime.version().feature() >= 22) {
				// Started with no flag at all: the JDK warns about the native access, and the flock is held all the same.
				assertThat(application.log()).contains("WARNING: A restricted method in java.lang.foreign.Linker");
			}
			application.stop();
		}
		assertThat(lockFile).doesNotExist();
	}

}
