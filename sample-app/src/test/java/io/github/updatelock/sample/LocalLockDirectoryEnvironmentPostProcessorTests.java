package io.github.updatelock.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the sample moves its lock into the local demo directory, and above all when it
 * leaves the path alone: on a device, or wherever someone chose a path.
 */
@ExtendWith(OutputCaptureExtension.class)
class LocalLockDirectoryEnvironmentPostProcessorTests {

	@TempDir
	Path tempDir;

	private Path balenaDirectory;

	private Path localDirectory;

	private final ConfigurableEnvironment environment = new StandardEnvironment();

	@BeforeEach
	void directories() {
		// Neither exists yet: the machine is not a device until a test says so.
		this.balenaDirectory = this.tempDir.resolve("balena");
		this.localDirectory = this.tempDir.resolve("local").resolve("update-lock-sample");
	}

	@Test
	void offDeviceAndUnconfiguredUsesTheLocalDirectoryAndSaysSo(CapturedOutput output) {
		postProcess(Map.of());
		Path lockFile = this.localDirectory.resolve("updates.lock");
		assertThat(this.environment.getProperty("update-lock.path")).isEqualTo(lockFile.toString());
		assertThat(this.localDirectory).isDirectory();
		assertThat(lockFile).doesNotExist();
		assertThat(output).contains("NOT on balenaOS", "using local demo lock directory " + this.localDirectory);
	}

	@Test
	void theLocalPathGivesWayToAnyConfigurationAddedLater() {
		postProcess(Map.of());
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("later", Map.of("update-lock.path", "/data/updates.lock")));
		assertThat(this.environment.getProperty("update-lock.path")).isEqualTo("/data/updates.lock");
	}

	@Test
	void aBlankSupervisorVariableDoesNotMakeADevice() {
		postProcess(Map.of("BALENA_APP_LOCK_PATH", "  "));
		assertThat(this.environment.getProperty("update-lock.path")).endsWith("update-lock-sample/updates.lock");
	}

	@Test
	void aConfiguredPathIsLeftAlone(CapturedOutput output) {
		configure(Map.of("update-lock.path", "/srv/lock/updates.lock"));
		postProcess(Map.of());
		assertLeftAlone(output);
		assertThat(this.environment.getProperty("update-lock.path")).isEqualTo("/srv/lock/updates.lock");
	}

	@Test
	void aPathConfiguredAsAnEnvironmentVariableIsLeftAlone(CapturedOutput output) {
		this.environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("env", Map.of("UPDATE_LOCK_PATH", "/srv/updates.lock")));
		postProcess(Map.of());
		assertLeftAlone(output);
		assertThat(this.environment.getProperty("update-lock.path")).isEqualTo("/srv/updates.lock");
	}

	@Test
	void theBalenaLockPathVariableMeansADevice(CapturedOutput output) {
		postProcess(Map.of("BALENA_APP_LOCK_PATH", "/tmp/balena/updates.lock"));
		assertLeftAlone(output);
	}

	@Test
	void theLegacyResinLockPathVariableMeansADevice(CapturedOutput output) {
		postProcess(Map.of("RESIN_APP_LOCK_PATH", "/tmp/resin/updates.lock"));
		assertLeftAlone(output);
	}

	@Test
	void anExistingBalenaDirectoryMeansADevice(CapturedOutput output) throws IOException {
		Files.createDirectories(this.balenaDirectory);
		postProcess(Map.of());
		assertLeftAlone(output);
	}

	@Test
	void aDisabledLockIsLeftAlone(CapturedOutput output) {
		configure(Map.of("update-lock.enabled", "false"));
		postProcess(Map.of());
		assertLeftAlone(output);
	}

	private void configure(Map<String, Object> properties) {
		this.environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
	}

	private void postProcess(Map<String, String> processEnvironment) {
		new LocalLockDirectoryEnvironmentPostProcessor(LogFactory.getLog(getClass()), processEnvironment,
				this.balenaDirectory, this.localDirectory)
			.postProcessEnvironment(this.environment, new SpringApplication());
	}

	private void assertLeftAlone(CapturedOutput output) {
		assertThat(this.environment.getPropertySources()
			.contains(LocalLockDirectoryEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
		assertThat(this.localDirectory).doesNotExist();
		assertThat(output).doesNotContain("NOT on balenaOS");
	}

}
