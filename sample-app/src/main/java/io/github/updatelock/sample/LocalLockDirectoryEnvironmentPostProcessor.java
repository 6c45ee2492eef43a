package io.github.updatelock.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.updatelock.UpdateLockPaths;
import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets the sample show the real lock on a laptop: off balenaOS there is no
 * {@code /tmp/balena}, so the lock would protect nothing and no file would ever appear.
 * There, and only there, {@code update-lock.path} is pointed at a local demo directory
 * ({@value #LOCAL_DIRECTORY_NAME} under {@code java.io.tmpdir}), and the log says so.
 * <p>
 * Nothing changes when {@code update-lock.path} is configured in any way, when the
 * Supervisor's {@code BALENA_APP_LOCK_PATH} or {@code RESIN_APP_LOCK_PATH} is set, or when
 * {@code /tmp/balena} exists: that is a device, or someone who chose a path.
 */
public class LocalLockDirectoryEnvironmentPostProcessor implements EnvironmentPostProcessor {

	/** The name of the local demo directory. */
	public static final String LOCAL_DIRECTORY_NAME = "update-lock-sample";

	static final String PROPERTY_SOURCE_NAME = "updateLockSampleLocalLockPath";

	private final Log logger;

	private final Map<String, String> processEnvironment;

	private final Path balenaDirectory;

	private final Path localDirectory;

	public LocalLockDirectoryEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this(logFactory.getLog(LocalLockDirectoryEnvironmentPostProcessor.class), System.getenv(),
				UpdateLockPaths.DEFAULT_PATH.getParent(),
				Path.of(System.getProperty("java.io.tmpdir"), LOCAL_DIRECTORY_NAME));
	}

	LocalLockDirectoryEnvironmentPostProcessor(Log logger, Map<String, String> processEnvironment,
			Path balenaDirectory, Path localDirectory) {
		this.logger = logger;
		this.processEnvironment = processEnvironment;
		this.balenaDirectory = balenaDirectory;
		this.localDirectory = localDirectory;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!lockPathLeftOpen(environment) || onDevice()) {
			return;
		}
		Path lockFile = this.localDirectory.resolve(UpdateLockPaths.DEFAULT_PATH.getFileName());
		try {
			Files.createDirectories(this.localDirectory);
		}
		catch (IOException ex) {
			// The lock then reports the directory as missing, in its log, endpoint and health.
			this.logger.warn("Could not create the local demo lock directory " + this.localDirectory + ": " + ex);
		}
		// Last: nothing configured the path, so this is only the default of last resort.
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("update-lock.path", lockFile.toString())));
		this.logger.warn("NOT on balenaOS (no " + this.balenaDirectory + ", no " + UpdateLockPaths.PATH_VARIABLES.get(0)
				+ "): using local demo lock directory " + this.localDirectory + ", lock file " + lockFile
				+ ". On a device the real path is used; set update-lock.path to choose another.");
	}

	private static boolean lockPathLeftOpen(ConfigurableEnvironment environment) {
		Binder binder = Binder.get(environment);
		boolean enabled = binder.bind("update-lock.enabled", Boolean.class).orElse(true);
		return enabled && !binder.bind("update-lock.path", String.class).isBound();
	}

	private boolean onDevice() {
		boolean pathVariableSet = UpdateLockPaths.PATH_VARIABLES.stream()
			.map(this.processEnvironment::get)
			.anyMatch((value) -> value != null && !value.isBlank());
		return pathVariableSet || Files.exists(this.balenaDirectory);
	}

}
