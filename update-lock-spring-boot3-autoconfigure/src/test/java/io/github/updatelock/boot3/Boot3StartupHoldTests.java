package io.github.updatelock.boot3;

import java.nio.file.Path;
import java.time.Duration;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.boot3.health.UpdateLockHealthIndicator;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The application's life with the lock on Spring Boot 3.5: the startup hold taken before
 * the application is ready and given back at shutdown, the properties bound from
 * {@code update-lock.*}, and a bad value refused at startup with a report that names it.
 */
@ExtendWith(OutputCaptureExtension.class)
class Boot3StartupHoldTests {

	@TempDir
	Path directory;

	@Test
	void startupHoldIsTakenAtStartAndGivenBackAtShutdown() {
		Path lockFile = this.directory.resolve("updates.lock");
		try (ConfigurableApplicationContext context = run("--update-lock.path=" + lockFile,
				"--update-lock.hold-on-startup=true", "--update-lock.startup.name=boot3-startup")) {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> manager.snapshot().status() == UpdateLockStatus.HELD);
			assertThat(manager.snapshot().holds()).extracting("name").containsExactly("boot3-startup");
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).isTrue();
			assertThat(context.getBean(UpdateLockHealthIndicator.class).health().getStatus().getCode())
				.isEqualTo("UP");
		}
		assertThat(lockFile).doesNotExist();
	}

	@Test
	void badValueIsRefusedWithTheKeyNamed(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> run("--update-lock.path=" + this.directory.resolve("updates.lock"),
					"--update-lock.watch-interval=-1s").close())
			.havingRootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.withMessageContaining("update-lock.watch-interval");
		assertThat(output).contains("APPLICATION FAILED TO START").contains("update-lock.watch-interval");
	}

	private static ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(Boot3TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run(args);
	}

}
