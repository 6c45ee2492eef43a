package io.github.updatelock;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.sun.jna.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core as a module on the module path, as an application that uses modules loads it:
 * it resolves with JNA, exports its API but not its internals, and takes a real lock with
 * {@code flock} there too (JNA binds the internal libc classes it may reflect on).
 */
class ModulePathTests {

	private static final String MODULE = "io.github.updatelock";

	@TempDir
	Path directory;

	@Test
	void exportsTheApiButNotTheInternals() throws Exception {
		Module module = loadModule().findModule(MODULE).orElseThrow();
		assertThat(module.getDescriptor().exports()).extracting((exports) -> exports.source())
			.contains("io.github.updatelock", "io.github.updatelock.event", "io.github.updatelock.window")
			.doesNotContain("io.github.updatelock.internal");
		assertThat(module.isExported("io.github.updatelock.internal")).isFalse();
	}

	@Test
	void takesALockWithFlockFromTheModulePath() throws Exception {
		ModuleLayer layer = loadModule();
		ClassLoader loader = layer.findLoader(MODULE);
		Class<?> managerType = loader.loadClass("io.github.updatelock.UpdateLockManager");
		assertThat(managerType.getModule().getName()).isEqualTo(MODULE);
		Object builder = managerType.getMethod("builder").invoke(null);
		Class<?> builderType = builder.getClass();
		builderType.getMethod("lockPath", Path.class).invoke(builder, this.directory.resolve("updates.lock"));
		builderType.getMethod("environment", Map.class).invoke(builder, Map.of());
		builderType.getMethod("shutdownHook", boolean.class).invoke(builder, false);
		try (AutoCloseable manager = (AutoCloseable) builderType.getMethod("build").invoke(builder)) {
			Object hold = managerType.getMethod("acquire", String.class, Duration.class)
				.invoke(manager, "from-the-module-path", Duration.ZERO);
			Object snapshot = managerType.getMethod("snapshot").invoke(manager);
			assertThat(call(snapshot, "protecting")).isEqualTo(true);
			assertThat(call(snapshot, "flockHeld")).as("flock through JNA inside the module").isEqualTo(true);
			assertThat(this.directory.resolve("updates.lock")).exists();
			hold.getClass().getMethod("release").invoke(hold);
		}
		assertThat(this.directory.resolve("updates.lock")).doesNotExist();
	}

	private static Object call(Object target, String method) throws Exception {
		Method accessor = target.getClass().getMethod(method);
		return accessor.invoke(target);
	}

	/** The core's classes and JNA's jar as modules in a layer of their own. */
	private static ModuleLayer loadModule() throws URISyntaxException {
		ModuleFinder finder = ModuleFinder.of(locationOf(UpdateLockManager.class), locationOf(Native.class));
		Configuration configuration = ModuleLayer.boot()
			.configuration()
			.resolve(finder, ModuleFinder.of(), Set.of(MODULE, "com.sun.jna"));
		return ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
	}

	private static Path locationOf(Class<?> type) throws URISyntaxException {
		return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

}
