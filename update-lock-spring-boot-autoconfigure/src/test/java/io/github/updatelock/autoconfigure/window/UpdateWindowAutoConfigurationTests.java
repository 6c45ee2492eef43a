package io.github.updatelock.autoconfigure.window;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.context.UpdateWindowLifecycle;
import io.github.updatelock.testsupport.MutableClock;
import io.github.updatelock.window.UpdateWindowGuard;
import io.github.updatelock.window.UpdateWindowReason;
import io.github.updatelock.window.UpdateWindowSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link UpdateWindowAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class UpdateWindowAutoConfigurationTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	/** Updates only between 02:00 and 04:00 Europe/Berlin on weekdays. */
	private static final String[] WEEKDAY_NIGHTS = { "update-lock.window.zone=Europe/Berlin",
			"update-lock.window.ranges[0].days=MON-FRI", "update-lock.window.ranges[0].from=02:00",
			"update-lock.window.ranges[0].to=04:00" };

	@TempDir
	Path tempDir;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(UpdateLockAutoConfiguration.class, UpdateWindowAutoConfiguration.class));

	private ApplicationContextRunner withLockFile() {
		return this.contextRunner.withPropertyValues("update-lock.path=" + lockFile());
	}

	private Path lockFile() {
		return this.tempDir.resolve("updates.lock");
	}

	/** A Berlin wall time; 2026-03-02 is a Monday in winter time. */
	private static Instant berlin(String dateTime) {
		return LocalDateTime.parse(dateTime).atZone(BERLIN).toInstant();
	}

	private static List<String> holdNames(UpdateLockManager manager) {
		return manager.snapshot().holds().stream().map(ActiveHold::name).toList();
	}

	@Test
	void withoutRangesThereIsNoGuard() {
		withLockFile().withPropertyValues("update-lock.window.zone=Europe/Berlin").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(UpdateWindowGuard.class);
			assertThat(context).doesNotHaveBean(UpdateWindowLifecycle.class);
			assertThat(holdNames(context.getBean(UpdateLockManager.class))).isEmpty();
		});
	}

	@Test
	void rangesSetUpTheGuardAndItsLifecycle() {
		withLockFile().withPropertyValues(WEEKDAY_NIGHTS).run((context) -> {
			assertThat(context).hasSingleBean(UpdateWindowGuard.class).hasSingleBean(UpdateWindowLifecycle.class);
			UpdateWindowGuard guard = context.getBean(UpdateWindowGuard.class);
			assertThat(guard.schedule()).hasToString("MON-FRI 02:00-04:00 (Europe/Berlin)");
			// The property's default is a literal for the metadata: it must stay the core's.
			assertThat(guard.holdName()).isEqualTo(UpdateWindowGuard.DEFAULT_HOLD_NAME).isEqualTo("update-window");
			assertThat(guard.maxOperatorWindow()).isEqualTo(Duration.ofHours(24));
			assertThat(ReflectionTestUtils.getField(guard, "maxSleep")).isEqualTo(Duration.ofMinutes(1));
			assertThat(ReflectionTestUtils.getField(guard, "retryInterval")).isEqualTo(Duration.ofSeconds(1));
			assertThat(context.getBean(UpdateWindowLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void updateLockSwitchedOffSwitchesWindowsOffToo() {
		withLockFile().withPropertyValues(WEEKDAY_NIGHTS)
			.withPropertyValues("update-lock.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UpdateWindowGuard.class));
	}

	@Test
	void holdAppearsAndDisappearsAtTheTransitions() {
		MutableClock clock = new MutableClock(berlin("2026-03-02T01:59:59"));
		// A short sleep makes the guard's own thread look at the test's clock often.
		withLockFile().withPropertyValues(WEEKDAY_NIGHTS)
			.withPropertyValues("update-lock.window.max-sleep=20ms")
			.withBean(UpdateWindowGuardBuilderCustomizer.class, () -> (builder) -> builder.clock(clock))
			.run((context) -> {
				UpdateLockManager manager = context.getBean(UpdateLockManager.class);
				UpdateWindowGuard guard = context.getBean(UpdateWindowGuard.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(holdNames(manager)).containsExactly("update-window"));
				assertThat(lockFile()).exists();
				assertThat(guard.state().nextOpening()).isEqualTo(berlin("2026-03-02T02:00"));
				clock.set(berlin("2026-03-02T02:00"));
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(holdNames(manager)).isEmpty());
				assertThat(lockFile()).doesNotExist();
				assertThat(guard.state().openUntil()).isEqualTo(berlin("2026-03-02T04:00"));
				clock.set(berlin("2026-03-02T04:00"));
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(holdNames(manager)).containsExactly("update-window"));
				assertThat(guard.state().nextOpening()).isEqualTo(berlin("2026-03-03T02:00"));
				// Friday night's window is the last one of the week.
				clock.set(berlin("2026-03-06T04:00"));
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(guard.state().nextOpening()).isEqualTo(berlin("2026-03-09T02:00")));
				assertThat(holdNames(manager)).containsExactly("update-window");
			});
	}

	@Test
	void windowHoldIsReleasedBeforeShutdownWaitsForRunningWork() {
		MutableClock clock = new MutableClock(berlin("2026-03-02T01:00"));
		long[] closedAfterNanos = new long[1];
		withLockFile().withPropertyValues(WEEKDAY_NIGHTS)
			.withPropertyValues("update-lock.shutdown.wait=30s")
			.withBean(UpdateWindowGuardBuilderCustomizer.class, () -> (builder) -> builder.clock(clock))
			.run((context) -> {
				UpdateLockManager manager = context.getBean(UpdateLockManager.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(holdNames(manager)).containsExactly("update-window"));
				long started = System.nanoTime();
				context.close();
				closedAfterNanos[0] = System.nanoTime() - started;
			});
		// Had the window hold outlived the update lock's shutdown, that would have waited 30 s for it.
		assertThat(Duration.ofNanos(closedAfterNanos[0])).isLessThan(Duration.ofSeconds(10));
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void otherHoldsKeepUpdatesOutInsideAWindow() {
		MutableClock clock = new MutableClock(berlin("2026-03-02T03:00"));
		withLockFile().withPropertyValues(WEEKDAY_NIGHTS)
			.withBean(UpdateWindowGuardBuilderCustomizer.class, () -> (builder) -> builder.clock(clock))
			.run((context) -> {
				UpdateLockManager manager = context.getBean(UpdateLockManager.class);
				assertThat(context.getBean(UpdateWindowGuard.class).state().open()).isTrue();
				try (UpdateLockHold hold = manager.acquire("firmware-write")) {
					assertThat(holdNames(manager)).containsExactly("firmware-write");
					assertThat(lockFile()).exists();
				}
			});
	}

	@Test
	void everyPropertyReachesTheGuard() {
		withLockFile()
			.withPropertyValues("update-lock.window.zone=UTC", "update-lock.window.ranges[0].from=22:00",
					"update-lock.window.ranges[0].to=01:30", "update-lock.window.ranges[1].days=SAT,SUN",
					"update-lock.window.ranges[1].from=10:00", "update-lock.window.ranges[1].to=12:00",
					"update-lock.window.hold-name=maintenance-window", "update-lock.window.max-sleep=30s",
					"update-lock.window.max-operator-window=6h",
					"update-lock.window.retry-interval=250ms")
			.run((context) -> {
				UpdateWindowGuard guard = context.getBean(UpdateWindowGuard.class);
				assertThat(guard.schedule()).hasToString("MON-SUN 22:00-01:30, SAT,SUN 10:00-12:00 (UTC)");
				assertThat(guard.holdName()).isEqualTo("maintenance-window");
				assertThat(guard.maxOperatorWindow()).isEqualTo(Duration.ofHours(6));
				// No public getters for these on the guard: plain wiring checks.
				assertThat(ReflectionTestUtils.getField(guard, "maxSleep")).isEqualTo(Duration.ofSeconds(30));
				assertThat(ReflectionTestUtils.getField(guard, "retryInterval")).isEqualTo(Duration.ofMillis(250));
			});
	}

	@Test
	void dayListsMayBeOneValueOrAList() {
		withLockFile()
			.withPropertyValues("update-lock.window.zone=Europe/Berlin", "update-lock.window.ranges[0].days[0]=MON-WED",
					"update-lock.window.ranges[0].days[1]=friday", "update-lock.window.ranges[0].from=02:00",
					"update-lock.window.ranges[0].to=04:00")
			.run((context) -> assertThat(context.getBean(UpdateWindowGuard.class).schedule())
				.hasToString("MON-WED,FRI 02:00-04:00 (Europe/Berlin)"));
	}

	@Test
	void operatorWindowIsBoundedByTheConfiguredMaximum() {
		MutableClock clock = new MutableClock(berlin("2026-03-02T01:00"));
		withLockFile().withPropertyValues(WEEKDAY_NIGHTS)
			.withPropertyValues("update-lock.window.max-operator-window=1h")
			.withBean(UpdateWindowGuardBuilderCustomizer.class, () -> (builder) -> builder.clock(clock))
			.run((context) -> {
				UpdateWindowGuard guard = context.getBean(UpdateWindowGuard.class);
				assertThat(guard.openNow(Duration.ofHours(1)).reason()).isEqualTo(UpdateWindowReason.OPERATOR);
				assertThatIllegalArgumentException()
					.isThrownBy(() -> guard.openNow(Duration.ofMinutes(61)))
					.withMessageContaining("at most PT1H");
			});
	}

	@Test
	void userDefinedGuardIsUsed() {
		withLockFile().withPropertyValues(WEEKDAY_NIGHTS)
			.withBean("customGuard", UpdateWindowGuard.class,
					() -> UpdateWindowGuard
						.builder(UpdateLockManager.builder().lockPath(lockFile()).shutdownHook(false).build(),
								UpdateWindowSchedule.none())
						.build())
			.run((context) -> assertThat(context).getBean(UpdateWindowGuard.class)
				.isSameAs(context.getBean("customGuard")));
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			update-lock.window.zone                | Europe/Berln | "Europe/Berln" is not a time zone ID
			update-lock.window.zone                | ''           | is empty
			update-lock.window.ranges[0].from      | 2am          | must be a time of day such as 02:00 or 23:30, was 2am
			update-lock.window.ranges[0].to        | 24:00        | must be a time of day such as 02:00 or 23:30, was 24:00
			update-lock.window.ranges[0].to        | 02:00        | equals 'from' (02:00), so the window has no length
			update-lock.window.ranges[0].days      | MOON-FRI     | has "MOON-FRI" with "MOON", which is not a day
			update-lock.window.ranges[0].days      | MON-WED-FRI  | has "MON-WED-FRI" with a range of more than two days
			update-lock.window.hold-name           | ''           | holdName must not be blank, was ''
			update-lock.window.max-sleep           | 0s           | maxSleep must be more than zero and at most PT24H, was PT0S
			update-lock.window.max-sleep           | 2d           | maxSleep must be more than zero and at most PT24H, was PT48H
			update-lock.window.max-operator-window | 0s           | maxOperatorWindow must be more than zero, was PT0S
			update-lock.window.retry-interval      | 0ms          | retryInterval must be more than zero, was PT0S
			""")
	void rejectsAnInvalidValueNamingTheKey(String property, String value, String reason) {
		withLockFile().withPropertyValues(WEEKDAY_NIGHTS).withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo(property);
					assertThat(ex.getReason()).startsWith(reason);
				});
			assertThat(lockFile()).doesNotExist();
		});
	}

	@Test
	void missingZoneFailsStartupWithAnExampleRatherThanDefaultingToUtc() {
		withLockFile()
			.withPropertyValues("update-lock.window.ranges[0].from=02:00", "update-lock.window.ranges[0].to=04:00")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
						assertThat(ex.getName()).isEqualTo("update-lock.window.zone");
						assertThat(ex.getReason()).isEqualTo("is missing; the windows' times are wall-clock times "
								+ "of a time zone, and a container's default zone is usually UTC. A valid example: "
								+ "update-lock.window.zone=Europe/Berlin");
					});
			});
	}

	@Test
	void invalidRangeShowsAnExampleWithTheFullKeysInTheStartupFailureReport(CapturedOutput output) {
		SpringApplication application = new SpringApplication(WindowApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--update-lock.path=" + lockFile(),
				"--update-lock.window.zone=Europe/Berlin", "--update-lock.window.ranges[0].from=05:00"));
		assertThat(output).contains("Invalid value 'null' for configuration property 'update-lock.window.ranges[0].to'")
			.contains("Validation failed for the following reason:" + System.lineSeparator() + System.lineSeparator()
					+ "is missing. A valid example: update-lock.window.ranges[0].from=02:00, "
					+ "update-lock.window.ranges[0].to=04:00, update-lock.window.ranges[0].days=MON-FRI");
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void unknownDayInTheStartupFailureReportListsTheAcceptedForms(CapturedOutput output) {
		SpringApplication application = new SpringApplication(WindowApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--update-lock.path=" + lockFile(),
				"--update-lock.window.zone=Europe/Berlin", "--update-lock.window.ranges[0].from=02:00",
				"--update-lock.window.ranges[0].to=04:00", "--update-lock.window.ranges[0].days=MOON-FRI"));
		assertThat(output).contains("Invalid value 'MOON-FRI' for configuration property "
				+ "'update-lock.window.ranges[0].days' (originating from '\"update-lock.window.ranges[0].days\" "
				+ "from property source \"commandLineArgs\"'). Validation failed for the following reason:"
				+ System.lineSeparator() + System.lineSeparator() + "has \"MOON-FRI\" with \"MOON\", which is not a "
				+ "day; use MON, TUE, WED, THU, FRI, SAT, SUN (or the full names), single days or ranges separated by "
				+ "commas, such as MON-FRI, SAT,SUN or MON-WED,FRI. A valid example: "
				+ "update-lock.window.ranges[0].from=02:00, update-lock.window.ranges[0].to=04:00, "
				+ "update-lock.window.ranges[0].days=MON-FRI");
	}

	@Test
	void unquotedYamlTimeThatBecameANumberIsExplained() throws Exception {
		String yaml = """
				update-lock:
				  window:
				    zone: Europe/Berlin
				    ranges:
				      - from: 22:00
				        to: "23:30"
				""";
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yaml",
				new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
		withLockFile()
			.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(sources.get(0)))
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("update-lock.window.ranges[0].from")
				.hasMessageContaining("must be a time of day such as 02:00 or 23:30, was 1320; in YAML, quote times "
						+ "such as '22:00', which are otherwise read as numbers"));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ UpdateLockAutoConfiguration.class, UpdateWindowAutoConfiguration.class })
	static class WindowApplication {

	}

}
