package io.github.updatelock.autoconfigure.supervisor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.autoconfigure.window.UpdateWindowAutoConfiguration;
import io.github.updatelock.autoconfigure.window.UpdateWindowGuardBuilderCustomizer;
import io.github.updatelock.context.UpdateLockStartupHold;
import io.github.updatelock.context.UpdateLockStartupHold.State;
import io.github.updatelock.supervisor.HoldYielder;
import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.SupervisorErrorKind;
import io.github.updatelock.supervisor.UpdatePendingEvent;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.supervisor.UpdateYieldMode;
import io.github.updatelock.supervisor.UpdateYieldPolicy;
import io.github.updatelock.testsupport.FakeSupervisor;
import io.github.updatelock.window.UpdateWindowGuard;
import org.junit.jupiter.api.AfterEach;
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
import org.springframework.context.event.EventListener;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SupervisorApiAutoConfiguration}, against a real local HTTP server that
 * answers like the Supervisor.
 */
@ExtendWith(OutputCaptureExtension.class)
class SupervisorApiAutoConfigurationTests {

	private static final String OFF_LINE = "Supervisor API awareness is off: BALENA_SUPERVISOR_ADDRESS and "
			+ "BALENA_SUPERVISOR_API_KEY are not set; give the service the label "
			+ "io.balena.features.supervisor-api: '1' to see pending updates";

	private static final String KEY_REQUIREMENT = "must be one or more visible ASCII characters (0x21-0x7e)";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String PASSWORD = "s3cret-pass";

	@TempDir
	Path tempDir;

	private final FakeSupervisor supervisor = FakeSupervisor.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(UpdateLockAutoConfiguration.class, UpdateWindowAutoConfiguration.class,
					SupervisorApiAutoConfiguration.class));

	@AfterEach
	void stopSupervisor() {
		this.supervisor.close();
	}

	private ApplicationContextRunner withLockFile() {
		return this.contextRunner.withPropertyValues("update-lock.path=" + this.tempDir.resolve("updates.lock"));
	}

	/** The variables the Supervisor injects, and polls short enough to watch in a test. */
	private ApplicationContextRunner withSupervisor() {
		return withLockFile().withPropertyValues("BALENA_SUPERVISOR_ADDRESS=" + this.supervisor.address(),
				"BALENA_SUPERVISOR_API_KEY=" + FakeSupervisor.KEY, "update-lock.supervisor.poll-interval=50ms");
	}

	@Test
	void offWithoutTheVariablesSayingSoInOneInfoLine(CapturedOutput output) {
		withLockFile().run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(SupervisorClient.class)
				.doesNotHaveBean(UpdatePendingMonitor.class)
				.doesNotHaveBean(HoldYielder.class);
			try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work")) {
				assertThat(hold.isReleased()).isFalse();
			}
		});
		assertThat(StringUtils.countOccurrencesOf(output.getOut(), OFF_LINE)).isOne();
		assertThat(output.getOut()).contains("INFO").contains("(or set update-lock.supervisor.address and "
				+ "update-lock.supervisor.api-key)");
	}

	@Test
	void offWithOnlyTheAddressNamingTheMissingKey(CapturedOutput output) {
		withLockFile().withPropertyValues("BALENA_SUPERVISOR_ADDRESS=" + this.supervisor.address())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorClient.class));
		assertThat(output).contains("Supervisor API awareness is off: BALENA_SUPERVISOR_API_KEY is not set;");
	}

	@Test
	void enabledFalseSwitchesItOffWithoutALine(CapturedOutput output) {
		withSupervisor().withPropertyValues("update-lock.supervisor.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorClient.class));
		withLockFile().withPropertyValues("update-lock.supervisor.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorClient.class));
		assertThat(output).doesNotContain("Supervisor API awareness");
	}

	@Test
	void updateLockSwitchedOffSwitchesItOffToo() {
		withSupervisor().withPropertyValues("update-lock.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorClient.class));
	}

	@Test
	void theVariablesSwitchItOnWithTheDefaults(CapturedOutput output) {
		withLockFile()
			.withPropertyValues("BALENA_SUPERVISOR_ADDRESS=" + this.supervisor.address(),
					"BALENA_SUPERVISOR_API_KEY=" + FakeSupervisor.KEY)
			.run((context) -> {
				assertThat(context).hasSingleBean(SupervisorClient.class)
					.hasSingleBean(UpdatePendingMonitor.class)
					.hasSingleBean(HoldYielder.class);
				SupervisorApiSettings settings = context.getBean(SupervisorClient.class).settings();
				assertThat(settings.address()).isEqualTo(URI.create(this.supervisor.address()));
				assertThat(settings.apiKey()).isEqualTo(FakeSupervisor.KEY);
				// The properties' defaults are literals for the metadata: they must stay the core's.
				assertThat(settings.connectTimeout()).isEqualTo(SupervisorApiSettings.DEFAULT_CONNECT_TIMEOUT)
					.isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.requestTimeout()).isEqualTo(SupervisorApiSettings.DEFAULT_REQUEST_TIMEOUT)
					.isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.pollInterval()).isEqualTo(SupervisorApiSettings.DEFAULT_POLL_INTERVAL)
					.isEqualTo(Duration.ofSeconds(30));
				UpdatePendingMonitor monitor = context.getBean(UpdatePendingMonitor.class);
				assertThat(ReflectionTestUtils.getField(monitor, "yieldPolicy")).isEqualTo(UpdateYieldPolicy.never());
				assertThat(ReflectionTestUtils.getField(ReflectionTestUtils.getField(monitor, "failureLog"), "interval"))
					.isEqualTo(Duration.ofMinutes(10));
			});
		assertThat(output).doesNotContain("Supervisor API awareness is off").doesNotContain(FakeSupervisor.KEY);
	}

	@Test
	void theResinVariablesOfOldSupervisorsWorkToo() {
		withLockFile()
			.withPropertyValues("RESIN_SUPERVISOR_ADDRESS=" + this.supervisor.address(),
					"RESIN_SUPERVISOR_API_KEY=" + FakeSupervisor.KEY)
			.run((context) -> assertThat(context.getBean(SupervisorClient.class).settings().address())
				.isEqualTo(URI.create(this.supervisor.address())));
	}

	@Test
	void theSupervisorsVersionIsLoggedOnceAtStartup(CapturedOutput output) {
		this.supervisor.reply("/v2/version", 200, "{\"status\":\"success\",\"version\":\"19.0.5\"}");
		withSupervisor().run((context) -> {
			assertThat(context).hasSingleBean(SupervisorClient.class);
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(output).contains("Supervisor API at " + this.supervisor.address()
						+ ": Supervisor 19.0.5"));
		});
		assertThat(this.supervisor.requests("/v2/version")).isOne();
	}

	@Test
	void startupDoesNotWaitForTheVersion(CapturedOutput output) {
		this.supervisor.reply("/v2/version", 200, "{\"status\":\"success\",\"version\":\"19.0.5\"}");
		this.supervisor.stallAnswers();
		withSupervisor().withPropertyValues("update-lock.supervisor.request-timeout=1h").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(SupervisorClient.class);
			// The application runs while the question is still unanswered; the answer still counts.
			await().atMost(WAIT).until(() -> this.supervisor.requests("/v2/version") == 1);
			this.supervisor.releaseStalled();
			await().atMost(WAIT).untilAsserted(() -> assertThat(output).contains("Supervisor 19.0.5"));
		});
	}

	@Test
	void propertiesOverrideTheVariables() {
		withLockFile()
			.withPropertyValues("BALENA_SUPERVISOR_ADDRESS=http://127.0.0.1:9", "BALENA_SUPERVISOR_API_KEY=old-key",
					"update-lock.supervisor.address=" + this.supervisor.address() + "/",
					"update-lock.supervisor.api-key=" + FakeSupervisor.KEY)
			.run((context) -> {
				SupervisorApiSettings settings = context.getBean(SupervisorClient.class).settings();
				assertThat(settings.address()).isEqualTo(URI.create(this.supervisor.address()));
				assertThat(settings.apiKey()).isEqualTo(FakeSupervisor.KEY);
			});
	}

	@Test
	void anAddressPropertyTakesTheKeyFromTheVariable() {
		withLockFile()
			.withPropertyValues("update-lock.supervisor.address=" + this.supervisor.address(),
					"BALENA_SUPERVISOR_API_KEY=" + FakeSupervisor.KEY)
			.run((context) -> assertThat(context.getBean(SupervisorClient.class).settings().apiKey())
				.isEqualTo(FakeSupervisor.KEY));
	}

	@Test
	void everyPropertyReachesTheClientAndTheMonitor() {
		withSupervisor()
			.withPropertyValues("update-lock.supervisor.connect-timeout=300ms",
					"update-lock.supervisor.request-timeout=1500ms", "update-lock.supervisor.poll-interval=7s",
					"update-lock.supervisor.error-log-interval=1m", "update-lock.supervisor.yield.mode=when-idle",
					"update-lock.supervisor.yield.holds=startup,migration",
					"update-lock.supervisor.yield.max-deferral=2h")
			.run((context) -> {
				SupervisorApiSettings settings = context.getBean(SupervisorClient.class).settings();
				assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
				assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(7));
				UpdatePendingMonitor monitor = context.getBean(UpdatePendingMonitor.class);
				// No getters on the monitor for these: plain wiring checks.
				assertThat(ReflectionTestUtils.getField(ReflectionTestUtils.getField(monitor, "failureLog"), "interval"))
					.isEqualTo(Duration.ofMinutes(1));
				assertThat(ReflectionTestUtils.getField(monitor, "yieldPolicy")).isEqualTo(new UpdateYieldPolicy(
						UpdateYieldMode.WHEN_IDLE, Set.of("startup", "migration"), Duration.ofHours(2)));
			});
	}

	@Test
	void yieldDefaultsToTheStartupAndWindowHoldsByTheirConfiguredNames() {
		withSupervisor()
			.withPropertyValues("update-lock.supervisor.yield.mode=when-idle", "update-lock.startup.name=boot",
					"update-lock.window.zone=UTC", "update-lock.window.ranges[0].from=02:00",
					"update-lock.window.ranges[0].to=03:00", "update-lock.window.hold-name=nightly")
			.run((context) -> assertThat(ReflectionTestUtils.getField(context.getBean(UpdatePendingMonitor.class),
					"yieldPolicy"))
				.isEqualTo(new UpdateYieldPolicy(UpdateYieldMode.WHEN_IDLE, Set.of("boot", "nightly"), null)));
	}

	@Test
	void unusableVariablesTurnItOffWithAWarningThatNeverShowsTheKey(CapturedOutput output) {
		withLockFile()
			.withPropertyValues("BALENA_SUPERVISOR_ADDRESS=" + this.supervisor.address(),
					"BALENA_SUPERVISOR_API_KEY=" + FakeSupervisor.KEY + " trailing-garbage")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorClient.class));
		assertThat(output).contains("WARN")
			.contains("Supervisor API awareness is off: BALENA_SUPERVISOR_API_KEY " + KEY_REQUIREMENT
					+ "; character 33 is U+0020; pending updates are not reported")
			.doesNotContain(FakeSupervisor.KEY);
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			update-lock.supervisor.address            | ftp://127.0.0.1:48484   | must be an absolute http or https URI without query, was 'ftp://127.0.0.1:48484'
			update-lock.supervisor.address            | 127.0.0.1:48484         | must be an absolute http or https URI
			update-lock.supervisor.address            | http://[::1             | must be an absolute http or https URI, was 'http://[::1'
			update-lock.supervisor.connect-timeout    | 0s                      | connectTimeout must be more than zero, was PT0S
			update-lock.supervisor.request-timeout    | -1s                     | requestTimeout must be more than zero, was PT-1S
			update-lock.supervisor.poll-interval      | 0ms                     | pollInterval must be more than zero, was PT0S
			update-lock.supervisor.error-log-interval | 0s                      | errorLogInterval must be more than zero, was PT0S
			update-lock.supervisor.yield.max-deferral | 0s                      | maxDeferral must be more than zero, was PT0S
			update-lock.supervisor.yield.holds        | startup,,window         | holdNames must not contain blank names
			""")
	void rejectsAnInvalidPropertyNamingTheKey(String property, String value, String reason) {
		withSupervisor().withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo(property);
					assertThat(ex.getReason()).startsWith(reason);
				});
		});
	}

	@Test
	void anAddressPropertyWithoutAKeyFailsStartup() {
		withLockFile().withPropertyValues("update-lock.supervisor.address=" + this.supervisor.address())
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo("update-lock.supervisor.address");
					assertThat(ex.getReason()).isEqualTo("needs an API key as well: set "
							+ "update-lock.supervisor.api-key or BALENA_SUPERVISOR_API_KEY");
				}));
	}

	@Test
	void aBadKeyPropertyFailsStartupWithoutShowingTheKey() {
		String key = FakeSupervisor.KEY + " x";
		withSupervisor().withPropertyValues("update-lock.supervisor.api-key=" + key).run((context) -> {
			Throwable failure = context.getStartupFailure();
			assertThat(failure).rootCause()
				.isNotInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessage("update-lock.supervisor.api-key " + KEY_REQUIREMENT + "; character 33 is U+0020");
		});
	}

	@Test
	void aKeyVariableOutsideVisibleAsciiTurnsItOffAndNeverReachesTheLog(CapturedOutput output) {
		String key = FakeSupervisor.KEY + "\u20ac";
		try (RecordedLog coreLog = new RecordedLog("io.github.updatelock")) {
			withLockFile()
				.withPropertyValues("BALENA_SUPERVISOR_ADDRESS=" + this.supervisor.address(),
						"BALENA_SUPERVISOR_API_KEY=" + key, "update-lock.supervisor.poll-interval=50ms")
				.run((context) -> {
					assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorClient.class);
					try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work")) {
						assertThat(hold.isReleased()).isFalse();
					}
				});
			assertThat(coreLog.texts()).noneMatch((text) -> text.contains(FakeSupervisor.KEY));
		}
		assertThat(output).contains("WARN")
			.contains("Supervisor API awareness is off: BALENA_SUPERVISOR_API_KEY " + KEY_REQUIREMENT
					+ "; character 33 is U+20AC; pending updates are not reported")
			.doesNotContain(FakeSupervisor.KEY);
		assertThat(this.supervisor.recorded()).isEmpty();
	}

	@Test
	void aKeyPropertyOutsideVisibleAsciiStopsStartupWithoutShowingTheKey(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SupervisorApiApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(
				"--update-lock.path=" + this.tempDir.resolve("updates.lock"),
				"--update-lock.supervisor.address=" + this.supervisor.address(),
				"--update-lock.supervisor.api-key=" + FakeSupervisor.KEY + "\u00e9"));
		assertThat(output)
			.contains("update-lock.supervisor.api-key " + KEY_REQUIREMENT + "; character 33 is U+00E9")
			.doesNotContain(FakeSupervisor.KEY);
	}

	@Test
	void anAddressVariableWithUserInfoTurnsItOffNamingTheVariableWithoutShowingThePassword(CapturedOutput output) {
		withLockFile()
			.withPropertyValues("BALENA_SUPERVISOR_ADDRESS=" + withUserInfo(this.supervisor.uri()),
					"BALENA_SUPERVISOR_API_KEY=" + FakeSupervisor.KEY)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorClient.class));
		assertThat(output).contains("WARN")
			.contains("Supervisor API awareness is off: BALENA_SUPERVISOR_ADDRESS must not contain user info")
			.doesNotContain(PASSWORD);
		assertThat(this.supervisor.recorded()).isEmpty();
	}

	@Test
	void anAddressPropertyWithUserInfoStopsStartupNamingThePropertyWithoutShowingThePassword(
			CapturedOutput output) {
		SpringApplication application = new SpringApplication(SupervisorApiApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(
				"--update-lock.path=" + this.tempDir.resolve("updates.lock"),
				"--update-lock.supervisor.address=" + withUserInfo(this.supervisor.uri()),
				"--update-lock.supervisor.api-key=" + FakeSupervisor.KEY));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value for configuration property 'update-lock.supervisor.address' (not shown: it may hold a secret)")
			.contains("Reason: must not contain user info")
			.doesNotContain(PASSWORD);
	}

	@Test
	void anAddressPropertyWithUserInfoButNoKeyNeverShowsThePassword(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SupervisorApiApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(
				"--update-lock.path=" + this.tempDir.resolve("updates.lock"),
				"--update-lock.supervisor.address=" + withUserInfo(this.supervisor.uri())));
		assertThat(output).contains("Invalid value for configuration property 'update-lock.supervisor.address'")
			.contains("needs an API key as well")
			.doesNotContain(PASSWORD);
	}

	private static String withUserInfo(URI address) {
		return address.getScheme() + "://operator:" + PASSWORD + "@" + address.getRawAuthority();
	}

	@Test
	void aGoodKeyReachesNoLogLineNorMessage(CapturedOutput output) {
		this.supervisor.updatePending("2222222222222222222222222222222b");
		try (RecordedLog coreLog = new RecordedLog("io.github.updatelock")) {
			withSupervisor().run((context) -> {
				UpdatePendingMonitor monitor = context.getBean(UpdatePendingMonitor.class);
				try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work")) {
					await().atMost(WAIT).until(() -> monitor.view().updatePending());
					this.supervisor.reply("/v1/device", 503, "{\"status\":\"failed\",\"message\":\"busy\"}");
					await().atMost(WAIT).until(() -> monitor.view().failedPolls() >= 1);
				}
				assertThat(monitor.view().lastError()).contains("HTTP 503").doesNotContain(FakeSupervisor.KEY);
				assertThat(monitor.view().toString()).doesNotContain(FakeSupervisor.KEY);
				assertThat(monitor.toString()).doesNotContain(FakeSupervisor.KEY);
				SupervisorClient client = context.getBean(SupervisorClient.class);
				assertThat(client.toString()).doesNotContain(FakeSupervisor.KEY);
				assertThat(client.settings().toString()).doesNotContain(FakeSupervisor.KEY);
			});
			assertThat(coreLog.texts()).anyMatch((text) -> text.contains("HTTP 503"))
				.noneMatch((text) -> text.contains(FakeSupervisor.KEY));
		}
		assertThat(output).doesNotContain(FakeSupervisor.KEY);
	}

	@Test
	void aKeyPropertyWithoutAnAddressFailsStartupNamingTheAddressWithoutShowingTheKey(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SupervisorApiApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(
				"--update-lock.path=" + this.tempDir.resolve("updates.lock"),
				"--update-lock.supervisor.api-key=" + FakeSupervisor.KEY));
		assertThat(output).contains("Invalid value 'null' for configuration property 'update-lock.supervisor.address'")
			.contains("is missing while update-lock.supervisor.api-key is set: set update-lock.supervisor.address or "
					+ "BALENA_SUPERVISOR_ADDRESS")
			.doesNotContain(FakeSupervisor.KEY);
	}

	@Test
	void aPendingUpdateIsPublishedOnceAsAnApplicationEvent() {
		this.supervisor.updatePending("2222222222222222222222222222222b");
		withSupervisor().withUserConfiguration(PendingUpdates.class).run((context) -> {
			List<UpdatePendingEvent> events = context.getBean(PendingUpdates.class).events;
			try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("export")) {
				await().atMost(WAIT).untilAsserted(() -> assertThat(events).hasSize(1));
				long polled = this.supervisor.requests("/v1/device");
				await().atMost(WAIT).until(() -> this.supervisor.requests("/v1/device") >= polled + 3);
			}
			assertThat(events).singleElement().satisfies((event) -> {
				assertThat(event.targetCommit()).isEqualTo("2222222222222222222222222222222b");
				assertThat(event.currentCommit()).isEqualTo("1111111111111111111111111111111a");
				assertThat(event.updateStatus()).isEqualTo("downloaded");
				assertThat(event.holds()).containsExactly("export");
			});
			assertThat(context.getBean(UpdatePendingMonitor.class).view().pendingUpdates()).isOne();
		});
	}

	@Test
	void nothingIsPolledWhileTheLockIsNotHeld() {
		this.supervisor.updatePending("2222222222222222222222222222222b");
		withSupervisor().run((context) -> {
			await().during(Duration.ofMillis(400))
				.atMost(WAIT)
				.until(() -> this.supervisor.requests("/v1/device") == 0);
			assertThat(context.getBean(UpdatePendingMonitor.class).view().polling()).isFalse();
		});
	}

	@Test
	void yieldReleasesTheStartupHoldAsSoonAsNoCriticalSectionIsActive() {
		this.supervisor.updatePending("2222222222222222222222222222222b");
		withSupervisor()
			.withPropertyValues("update-lock.hold-on-startup=true", "update-lock.supervisor.yield.mode=when-idle")
			.run((context) -> {
				UpdateLockStartupHold startupHold = context.getBean(UpdateLockStartupHold.class);
				UpdatePendingMonitor monitor = context.getBean(UpdatePendingMonitor.class);
				UpdateLockManager manager = context.getBean(UpdateLockManager.class);
				UpdateLockHold critical = manager.acquire("firmware-write");
				try {
					await().atMost(WAIT).until(() -> monitor.view().updatePending());
					long polled = this.supervisor.requests("/v1/device");
					await().atMost(WAIT).until(() -> this.supervisor.requests("/v1/device") >= polled + 3);
					// Work in progress is never cut short, and while it runs the startup hold stays.
					assertThat(startupHold.state()).isEqualTo(State.HELD);
					assertThat(monitor.view().yields()).isZero();
				}
				finally {
					critical.release();
				}
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(startupHold.state()).isEqualTo(State.RELEASED));
				assertThat(manager.snapshot().holds()).isEmpty();
				assertThat(this.tempDir.resolve("updates.lock")).doesNotExist();
				assertThat(monitor.view().yields()).isOne();
			});
	}

	@Test
	void maxDeferralYieldsTheStartupHoldWhileACriticalSectionStillRuns() {
		this.supervisor.updatePending("2222222222222222222222222222222b");
		withSupervisor()
			.withPropertyValues("update-lock.hold-on-startup=true", "update-lock.supervisor.yield.mode=when-idle",
					"update-lock.supervisor.yield.max-deferral=200ms")
			.run((context) -> {
				UpdateLockStartupHold startupHold = context.getBean(UpdateLockStartupHold.class);
				UpdateLockManager manager = context.getBean(UpdateLockManager.class);
				try (UpdateLockHold critical = manager.acquire("firmware-write")) {
					await().atMost(WAIT)
						.untilAsserted(() -> assertThat(startupHold.state()).isEqualTo(State.RELEASED));
					// The critical section keeps the lock: the update proceeds only when it ends.
					assertThat(this.tempDir.resolve("updates.lock")).exists();
					assertThat(critical.isReleased()).isFalse();
				}
				assertThat(this.tempDir.resolve("updates.lock")).doesNotExist();
			});
	}

	@Test
	void neverYieldingLeavesTheStartupHoldAlone() {
		this.supervisor.updatePending("2222222222222222222222222222222b");
		withSupervisor().withPropertyValues("update-lock.hold-on-startup=true").run((context) -> {
			UpdatePendingMonitor monitor = context.getBean(UpdatePendingMonitor.class);
			await().atMost(WAIT).until(() -> monitor.view().updatePending());
			long polled = this.supervisor.requests("/v1/device");
			await().atMost(WAIT).until(() -> this.supervisor.requests("/v1/device") >= polled + 3);
			assertThat(context.getBean(UpdateLockStartupHold.class).state())
				.isEqualTo(State.HELD);
		});
	}

	@Test
	void yieldGivesTheWindowHoldAwayUntilTheNextTransition() {
		this.supervisor.updatePending("2222222222222222222222222222222b");
		// Monday 01:00 UTC: the window opens at 02:00.
		Clock clock = Clock.fixed(Instant.parse("2026-03-02T01:00:00Z"), ZoneOffset.UTC);
		withSupervisor()
			.withPropertyValues("update-lock.supervisor.yield.mode=when-idle", "update-lock.window.zone=UTC",
					"update-lock.window.ranges[0].from=02:00", "update-lock.window.ranges[0].to=04:00")
			.withBean(UpdateWindowGuardBuilderCustomizer.class, () -> (builder) -> builder.clock(clock))
			.run((context) -> {
				UpdateWindowGuard guard = context.getBean(UpdateWindowGuard.class);
				await().atMost(WAIT).untilAsserted(() -> assertThat(guard.state().yielded()).isTrue());
				assertThat(guard.state().holdHeld()).isFalse();
				assertThat(guard.state().open()).isFalse();
				assertThat(guard.state().nextTransition()).isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
				assertThat(context.getBean(UpdateLockManager.class).snapshot().holds()).isEmpty();
				assertThat(context.getBean(UpdatePendingMonitor.class).view().yields()).isOne();
			});
	}

	@Test
	void anUnreachableSupervisorIsShownAndLoggedRarelyButNeverThrown() {
		FakeSupervisor gone = FakeSupervisor.start();
		String address = gone.address();
		gone.close();
		try (RecordedLog monitorLog = new RecordedLog(UpdatePendingMonitor.class.getName())) {
			withLockFile()
				.withPropertyValues("BALENA_SUPERVISOR_ADDRESS=" + address,
						"BALENA_SUPERVISOR_API_KEY=" + FakeSupervisor.KEY, "update-lock.supervisor.poll-interval=50ms")
				.run((context) -> {
					UpdatePendingMonitor monitor = context.getBean(UpdatePendingMonitor.class);
					try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work")) {
						await().atMost(WAIT).until(() -> monitor.view().failedPolls() >= 3);
						assertThat(hold.isReleased()).isFalse();
					}
					assertThat(monitor.view().reachable()).isFalse();
					assertThat(monitor.view().lastErrorKind()).isEqualTo(SupervisorErrorKind.UNREACHABLE);
				});
			assertThat(monitorLog.records(Level.WARNING)).singleElement()
				.satisfies((record) -> assertThat(record.getMessage())
					.contains("cannot reach the Supervisor at " + address)
					.doesNotContain(FakeSupervisor.KEY));
		}
	}

	@Test
	void aWrongKeyIsShownAsUnauthorized() {
		withLockFile()
			.withPropertyValues("BALENA_SUPERVISOR_ADDRESS=" + this.supervisor.address(),
					"BALENA_SUPERVISOR_API_KEY=regenerated-meanwhile", "update-lock.supervisor.poll-interval=50ms")
			.run((context) -> {
				UpdatePendingMonitor monitor = context.getBean(UpdatePendingMonitor.class);
				try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work")) {
					await().atMost(WAIT).until(() -> monitor.view().failedPolls() >= 1);
				}
				assertThat(monitor.view().lastErrorKind()).isEqualTo(SupervisorErrorKind.UNAUTHORIZED);
			});
	}

	@Test
	void garbageAndSlowAnswersAreShownNotThrown() {
		this.supervisor.reply("/v2/applications/state", 200, "<html>upstream error</html>");
		withSupervisor().withPropertyValues("update-lock.supervisor.request-timeout=200ms").run((context) -> {
			UpdatePendingMonitor monitor = context.getBean(UpdatePendingMonitor.class);
			try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work")) {
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(monitor.view().lastErrorKind())
						.isEqualTo(SupervisorErrorKind.INVALID_ANSWER));
				this.supervisor.stallAnswers();
				await().atMost(WAIT)
					.untilAsserted(
							() -> assertThat(monitor.view().lastErrorKind()).isEqualTo(SupervisorErrorKind.TIMEOUT));
				assertThat(hold.isReleased()).isFalse();
			}
			finally {
				this.supervisor.releaseStalled();
			}
		});
	}

	/**
	 * What the core logs through System.Logger, which reaches java.util.logging without a
	 * bridge, recorded from one logger and those below it.
	 */
	private static final class RecordedLog extends Handler implements AutoCloseable {

		private final Logger logger;

		private final List<LogRecord> records = new CopyOnWriteArrayList<>();

		RecordedLog(String name) {
			this.logger = Logger.getLogger(name);
			this.logger.addHandler(this);
		}

		List<LogRecord> records(Level level) {
			return this.records.stream().filter((record) -> record.getLevel() == level).toList();
		}

		/** Each record as a log file would show it: message, parameters and any stack trace with its causes. */
		List<String> texts() {
			SimpleFormatter formatter = new SimpleFormatter();
			return this.records.stream().map(formatter::format).toList();
		}

		@Override
		public void publish(LogRecord record) {
			this.records.add(record);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
			this.logger.removeHandler(this);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ UpdateLockAutoConfiguration.class, UpdateWindowAutoConfiguration.class,
			SupervisorApiAutoConfiguration.class })
	static class SupervisorApiApplication {

	}

	@Configuration(proxyBeanMethods = false)
	static class PendingUpdates {

		final List<UpdatePendingEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void onUpdatePending(UpdatePendingEvent event) {
			this.events.add(event);
		}

	}

}
