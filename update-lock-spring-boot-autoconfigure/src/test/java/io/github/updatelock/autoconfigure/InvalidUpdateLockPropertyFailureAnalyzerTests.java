package io.github.updatelock.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class InvalidUpdateLockPropertyFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UpdateLockAutoConfiguration.class));

	@TempDir
	Path tempDir;

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			update-lock.path                   | /tmp/balena/app.lock | update-lock.path must name a file called updates.lock (or the legacy resin-updates.lock), was /tmp/balena/app.lock
			update-lock.acquire-timeout        | -1s                  | update-lock.acquire-timeout must be zero or more, was PT-1S
			update-lock.initial-backoff        | 0s                   | update-lock.initial-backoff must be more than zero, was PT0S
			update-lock.max-backoff            | -5ms                 | update-lock.max-backoff must be more than zero, was PT-0.005S
			update-lock.watch-interval         | 0                    | update-lock.watch-interval must be more than zero, was PT0S
			update-lock.long-hold-warning      | -1h                  | update-lock.long-hold-warning must be zero or more, was PT-1H
			update-lock.startup.name           | ''                   | update-lock.startup.name must not be blank, was ''
			update-lock.startup.wait           | -1m                  | update-lock.startup.wait must be zero or more, was PT-1M
			update-lock.shutdown.wait          | -10s                 | update-lock.shutdown.wait must be zero or more, was PT-10S
			update-lock.advice.if-not-obtained | default              | update-lock.advice.if-not-obtained must be THROW or SKIP, was DEFAULT
			""")
	void rejectsAnInvalidValueNamingTheKey(String property, String value, String message) {
		this.contextRunner.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidUpdateLockPropertyException.class)
				.hasMessage(message);
			FailureAnalysis analysis = analyze(context, new MockEnvironment().withProperty(property, value));
			assertThat(analysis.getDescription()).startsWith("Invalid update lock configuration: " + message + ".")
				.contains("Property: " + property)
				.contains("Value: \"" + value + "\"");
			assertThat(analysis.getAction()).startsWith("Fix " + property + " in your configuration: it must ");
		});
	}

	@Test
	void rejectsAMaximumBackoffBelowTheInitialOne() {
		this.contextRunner.withPropertyValues("update-lock.initial-backoff=3s", "update-lock.max-backoff=1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidUpdateLockPropertyException.class)
					.hasMessage("update-lock.max-backoff must not be less than update-lock.initial-backoff (PT3S), "
							+ "was PT1S");
				assertThat(analyze(context, new MockEnvironment()).getAction()).isEqualTo("Fix update-lock.max-backoff in your configuration: "
						+ "it must not be less than update-lock.initial-backoff (PT3S). Leave it unset to use the "
						+ "default.");
			});
	}

	@Test
	void showsTheExampleInsteadOfTheDefaultWhenThereIsOne() {
		InvalidUpdateLockPropertyException failure = new InvalidUpdateLockPropertyException("update-lock.window.zone",
				"Mars/Olympus", "is not a time zone ID", "update-lock.window.zone=Europe/Berlin");
		assertThat(failure).hasMessage("update-lock.window.zone is not a time zone ID, was Mars/Olympus. A valid "
				+ "example: update-lock.window.zone=Europe/Berlin");
		FailureAnalysis analysis = new InvalidUpdateLockPropertyFailureAnalyzer(
				new MockEnvironment().withProperty("update-lock.window.zone", "Mars/Olympus"))
			.analyze(new IllegalStateException("context failed", failure));
		assertThat(analysis.getDescription()).contains("Value: \"Mars/Olympus\"");
		assertThat(analysis.getAction()).isEqualTo("Fix update-lock.window.zone in your configuration: it is not a "
				+ "time zone ID. A valid example: update-lock.window.zone=Europe/Berlin");
	}

	@Test
	void acceptsBothLockFileNames() {
		this.contextRunner
			.withPropertyValues("update-lock.path=" + this.tempDir.resolve("resin-updates.lock"))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void winsOverSpringBootsBindFailureAnalysisAtStartup(CapturedOutput output) {
		SpringApplication application = new SpringApplication(InvalidConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--update-lock.initial-backoff=0ms"));
		assertThat(output).contains("Invalid update lock configuration: update-lock.initial-backoff must be more "
				+ "than zero, was PT0S.")
			.contains("Origin: \"update-lock.initial-backoff\" from property source \"commandLineArgs\"")
			.contains("Fix update-lock.initial-backoff in your configuration");
	}

	private FailureAnalysis analyze(AssertableApplicationContext context, Environment environment) {
		FailureAnalysis analysis = new InvalidUpdateLockPropertyFailureAnalyzer(environment)
			.analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(UpdateLockAutoConfiguration.class)
	static class InvalidConfiguration {

	}

}
