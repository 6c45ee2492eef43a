package io.github.updatelock;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged core repacked into one executable jar with JNA and an application, as the
 * shade or assembly plugin does, without {@code Multi-Release: true}: the JVM then never
 * reads {@code META-INF/versions/22}, so on Java 22 and later JNA serves, and the log says
 * why FFM was skipped. The flock is held either way.
 */
class UberJarIT {

	@TempDir
	Path directory;

	@Test
	void jnaServesAnUberJarWithoutMultiReleaseAndTheLogSaysWhyFfmWasSkipped() throws Exception {
		Path uberJar = repack();
		// Only a JDK 22 or later builds the FFM classes into the core jar (the ffm profile); the
		// tests run on the JDK that built it.
		if (Runtime.version().feature() >= 22) {
			try (ZipFile jar = new ZipFile(uberJar.toFile())) {
				assertThat(jar.getEntry("META-INF/versions/22/io/github/updatelock/internal/FfmNativeCalls.class"))
					.as("the FFM classes, carried along unread")
					.isNotNull();
			}
		}
		Path lockFile = LockPeers.lockDirectory(this.directory).resolve("updates.lock");
		List<String> arguments = List.of("-jar", uberJar.toString(), lockFile.toString());
		try (PackagedCoreApplication application = PackagedCoreApplication
			.start(this.directory.resolve("application.log"), arguments)) {
			assertThat(application.held()).isEqualTo("HELD APP_AND_HOST_OS_UPDATES");
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).as("flock held").isTrue();
			await().atMost(LockPeers.TIMEOUT)
				.untilAsserted(() -> assertThat(application.log()).contains("(flock on, native: JNA)"));
			if (Runtime.version().feature() >= 22) {
				assertThat(application.log()).contains("INFO: libc through JNA: FFM skipped: ", "Multi-Release");
			}
			application.stop();
		}
		assertThat(lockFile).doesNotExist();
	}

	/** The application's classes, the core's and JNA's entries in one jar, with a manifest of its own. */
	private Path repack() throws Exception {
		Path classes = PackagedCoreApplication.compile(this.directory, false);
		Path contents = this.directory.resolve("uber");
		unpack(PackagedCoreApplication.jnaJar(), contents);
		unpack(PackagedCoreApplication.coreJar(), contents);
		Files.deleteIfExists(contents.resolve("META-INF").resolve("MANIFEST.MF"));
		Path manifest = this.directory.resolve("MANIFEST.MF");
		Files.writeString(manifest, "Main-Class: app.Main\n");
		Path uberJar = this.directory.resolve("uber.jar");
		ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
		assertThat(jar.run(System.out, System.err, "--create", "--file", uberJar.toString(), "--manifest",
				manifest.toString(), "-C", contents.toString(), ".", "-C", classes.toString(), "."))
			.as("jar exit code")
			.isZero();
		return uberJar;
	}

	private static void unpack(Path jar, Path into) throws IOException {
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			for (ZipEntry entry : zip.stream().filter((entry) -> !entry.isDirectory()).toList()) {
				Path target = into.resolve(entry.getName()).normalize();
				assertThat(target).startsWithRaw(into);
				Files.createDirectories(target.getParent());
				try (InputStream input = zip.getInputStream(entry)) {
					Files.copy(input, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

}
