package io.github.updatelock.actuate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.updatelock.UpdateLockManager;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A small application for the HTTP tests: full auto-configuration, and the lock manager
 * defined by the user, pointing at a test directory. Until the main auto-configuration
 * exists, this is also how an application without it gets the actuator support.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class UpdateLockTestApplication {

	/** Where the lock file is; each test class sets it to a directory of its own. */
	public static final String LOCK_PATH_PROPERTY = "test.update-lock.path";

	@Bean(destroyMethod = "close")
	UpdateLockManager updateLockManager(Environment environment) {
		return UpdateLockManager.builder()
			.lockPath(Path.of(environment.getRequiredProperty(LOCK_PATH_PROPERTY)))
			.environment(Map.of())
			.shutdownHook(false)
			// Short intervals keep the tests quick; the behaviour is the same as with the defaults.
			.watchInterval(Duration.ofMillis(100))
			.initialBackoff(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(200))
			.build();
	}

}
