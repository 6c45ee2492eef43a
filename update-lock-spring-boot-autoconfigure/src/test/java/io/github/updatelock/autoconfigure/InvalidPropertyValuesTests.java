package io.github.updatelock.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class InvalidPropertyValuesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UpdateLockAutoConfiguration.class));

	@TempDir
	Path tempDir;

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			update-lock.path                   | /tmp/balena/app.lock | lockPath must name a file called updates.lock (or the legacy resin-updates.lock), was /tmp/balena/app.lock
			update-lock.acquire-timeout        | -1s                  | acquireTimeout must be zero or more, was PT-1S
			update-lock.initial-backoff        | 0s                   | initialBackoff must be more than zero, was PT0S
			update-lock.max-backoff            | -5ms                 | maxBackoff must be more than zero, was PT-0.005S
			update-lock.watch-interval         | 0                    | watchInterval must be more than zero, was PT0S
			update-lock.watch-interval         | 200000d              | watchInterval must be at most 36500 days (PT876000H), was PT4800000H
			update-lock.long-hold-warning      | -1h                  | longHoldWarning must be zero or more, was PT-1H
			update-lock.startup.name           | ''                   | name must not be blank, was ''
			update-lock.startup.wait           | -1m                  | startupWait must be zero or more, was PT-1M
			update-lock.startup.wait           | 36501d               | startupWait must be at most 36500 days (PT876000H), was PT876024H
			update-lock.shutdown.wait          | -10s                 | shutdownWait must be zero or more, was PT-10S
			update-lock.advice.if-not-obtained | default              | The default policy must be THROW or SKIP, was DEFAULT
			""")
	void rejectsAnInvalidValueNamingKeyValueOriginAndReason(String property, String value, String reason,
			CapturedOutput output) {
		this.contextRunner.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo(property);
					assertThat(ex.getReason()).isEqualTo(reason);
				});
		});
		List<String> args = new ArrayList<>();
		if (!property.equals("update-lock.path")) {
			args.add("--update-lock.path=" + this.tempDir.resolve("updates.lock"));
		}
		args.add("--" + property + "=" + value);
		SpringApplication application = new SpringApplication(InvalidConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(args.toArray(String[]::new)));
		assertThat(output).contains("Invalid value '" + value + "' for configuration property '" + property
				+ "' (originating from '\"" + property + "\" from property source \"commandLineArgs\"')")
			.contains("Validation failed for the following reason:" + System.lineSeparator()
					+ System.lineSeparator() + reason)
			.contains("Review the value of the property with the provided reason.");
	}

	@Test
	void rejectsAMaximumBackoffBelowTheInitialOne() {
		this.contextRunner.withPropertyValues("update-lock.initial-backoff=3s", "update-lock.max-backoff=1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
						assertThat(ex.getName()).isEqualTo("update-lock.max-backoff");
						assertThat(ex.getReason())
							.isEqualTo("maxBackoff (PT1S) must not be less than initialBackoff (PT3S)");
					});
			});
	}

	@Test
	void acceptsBothLockFileNames() {
		this.contextRunner.withPropertyValues("update-lock.path=" + this.tempDir.resolve("resin-updates.lock"))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(UpdateLockAutoConfiguration.class)
	static class InvalidConfiguration {

	}

}
