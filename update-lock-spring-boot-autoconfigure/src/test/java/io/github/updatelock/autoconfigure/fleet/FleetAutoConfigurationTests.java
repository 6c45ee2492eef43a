package io.github.updatelock.autoconfigure.fleet;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.autoconfigure.supervisor.SupervisorApiAutoConfiguration;
import io.github.updatelock.fleet.BalenaApiClient;
import io.github.updatelock.fleet.BalenaApiSettings;
import io.github.updatelock.fleet.BalenaErrorKind;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.fleet.FleetTags;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.testsupport.FakeBalenaApi;
import io.github.updatelock.testsupport.FakeSupervisor;
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
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link FleetAutoConfiguration}, against a real local HTTP server that answers
 * like the balenaCloud API.
 */
@ExtendWith(OutputCaptureExtension.class)
class FleetAutoConfigurationTests {

	private static final String OFF = "Fleet visibility is off: the Supervisor API is not available; give the service "
			+ "the label io.balena.features.supervisor-api: '1' to show the update lock as device tags through the "
			+ "Supervisor (17.8 or later). Without it, tags go straight to balenaCloud, which needs ";

	private static final String PASSWORD = "s3cret-pass";

	private static final String KEY_REQUIREMENT = "must be one or more visible ASCII characters (0x21-0x7e)";

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path tempDir;

	private final FakeBalenaApi api = FakeBalenaApi.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(UpdateLockAutoConfiguration.class, SupervisorApiAutoConfiguration.class,
					FleetAutoConfiguration.class));

	@AfterEach
	void stopApi() {
		this.api.close();
	}

	private ApplicationContextRunner withLockFile() {
		return this.contextRunner.withPropertyValues("update-lock.path=" + this.tempDir.resolve("updates.lock"));
	}

	/** Enabled, with the variables balena injects, and tags written often enough to watch in a test. */
	private ApplicationContextRunner withBalenaApi() {
		return withLockFile().withPropertyValues("update-lock.fleet.enabled=true",
				"update-lock.fleet.min-interval=100ms", "BALENA_API_URL=" + this.api.uri(),
				"BALENA_API_KEY=" + FakeBalenaApi.KEY, "BALENA_DEVICE_UUID=" + FakeBalenaApi.DEVICE_UUID);
	}

	@Test
	void offByDefaultEvenWithTheVariablesAndWithoutALine(CapturedOutput output) {
		withLockFile()
			.withPropertyValues("BALENA_API_URL=" + this.api.uri(), "BALENA_API_KEY=" + FakeBalenaApi.KEY,
					"BALENA_DEVICE_UUID=" + FakeBalenaApi.DEVICE_UUID)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(FleetTagPublisher.class)
				.doesNotHaveBean(FleetApiOffNotice.class));
		assertThat(output).doesNotContain("Fleet visibility");
		assertThat(this.api.recorded()).isEmpty();
	}

	@Test
	void enabledWithoutTheVariablesSaysSoInOneInfoLine(CapturedOutput output) {
		withLockFile().withPropertyValues("update-lock.fleet.enabled=true").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(FleetTagPublisher.class);
			try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work")) {
				assertThat(hold.isReleased()).isFalse();
			}
		});
		String line = OFF + "BALENA_API_URL and BALENA_API_KEY and BALENA_DEVICE_UUID (the label "
				+ "io.balena.features.balena-api: '1', or update-lock.fleet.api-url and update-lock.fleet.api-key and "
				+ "update-lock.fleet.device-uuid)";
		assertThat(StringUtils.countOccurrencesOf(output.getOut(), line)).isOne();
		assertThat(StringUtils.countOccurrencesOf(output.getOut(), "Fleet visibility")).isOne();
		assertThat(output.getOut()).contains("INFO");
	}

	@Test
	void onlyTheMissingVariableIsNamed(CapturedOutput output) {
		withLockFile()
			.withPropertyValues("update-lock.fleet.enabled=true", "BALENA_API_URL=" + this.api.uri(),
					"BALENA_DEVICE_UUID=" + FakeBalenaApi.DEVICE_UUID)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FleetTagPublisher.class));
		assertThat(output).contains(OFF + "BALENA_API_KEY (the label io.balena.features.balena-api: '1', or "
				+ "update-lock.fleet.api-key)");
	}

	@Test
	void updateLockSwitchedOffSwitchesItOffToo() {
		withBalenaApi().withPropertyValues("update-lock.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FleetTagPublisher.class));
	}

	@Test
	void theVariablesSwitchItOnWithTheDefaults(CapturedOutput output) {
		withLockFile()
			.withPropertyValues("update-lock.fleet.enabled=true", "BALENA_API_URL=" + this.api.uri(),
					"BALENA_API_KEY=" + FakeBalenaApi.KEY, "BALENA_DEVICE_UUID=" + FakeBalenaApi.DEVICE_UUID)
			.run((context) -> {
				FleetTagPublisher publisher = context.getBean(FleetTagPublisher.class);
				BalenaApiSettings settings = settings(publisher);
				assertThat(settings.apiUrl()).isEqualTo(this.api.uri());
				assertThat(settings.apiKey()).isEqualTo(FakeBalenaApi.KEY);
				assertThat(settings.deviceUuid()).isEqualTo(FakeBalenaApi.DEVICE_UUID);
				// The properties' defaults are literals for the metadata: they must stay the balena module's.
				assertThat(settings.connectTimeout()).isEqualTo(BalenaApiSettings.DEFAULT_CONNECT_TIMEOUT)
					.isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.requestTimeout()).isEqualTo(BalenaApiSettings.DEFAULT_REQUEST_TIMEOUT)
					.isEqualTo(Duration.ofSeconds(10));
				assertThat(ReflectionTestUtils.getField(publisher, "minInterval"))
					.isEqualTo(FleetTagPublisher.DEFAULT_MIN_INTERVAL)
					.isEqualTo(Duration.ofSeconds(30));
				assertThat(publisher.tags().prefix()).isEqualTo(FleetTags.DEFAULT_PREFIX).isEqualTo("update-lock");
				assertThat(ReflectionTestUtils.getField(publisher, "clearTagsOnClose")).isEqualTo(true);
				assertThat(ReflectionTestUtils.getField(publisher, "pendingMonitor")).isNull();
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(this.api.tags()).containsEntry("update-lock.status", "ok"));
			});
		assertThat(output).doesNotContain("Fleet visibility is off").doesNotContain(FakeBalenaApi.KEY);
	}

	@Test
	void propertiesOverrideTheVariables() {
		withLockFile()
			.withPropertyValues("update-lock.fleet.enabled=true", "BALENA_API_URL=http://127.0.0.1:9",
					"BALENA_API_KEY=old-key", "BALENA_DEVICE_UUID=fedcba9",
					"update-lock.fleet.api-url=" + this.api.uri(), "update-lock.fleet.api-key=" + FakeBalenaApi.KEY,
					"update-lock.fleet.device-uuid=" + FakeBalenaApi.DEVICE_UUID.toUpperCase())
			.run((context) -> {
				BalenaApiSettings settings = settings(context.getBean(FleetTagPublisher.class));
				assertThat(settings.apiUrl()).isEqualTo(this.api.uri());
				assertThat(settings.apiKey()).isEqualTo(FakeBalenaApi.KEY);
				assertThat(settings.deviceUuid()).isEqualTo(FakeBalenaApi.DEVICE_UUID);
			});
	}

	@Test
	void propertiesAloneSwitchItOn() {
		withLockFile()
			.withPropertyValues("update-lock.fleet.enabled=true", "update-lock.fleet.api-url=" + this.api.uri(),
					"update-lock.fleet.api-key=" + FakeBalenaApi.KEY,
					"update-lock.fleet.device-uuid=" + FakeBalenaApi.DEVICE_UUID)
			.run((context) -> assertThat(context).hasSingleBean(FleetTagPublisher.class));
	}

	@Test
	void everyPropertyReachesThePublisher() {
		withBalenaApi()
			.withPropertyValues("update-lock.fleet.min-interval=7s", "update-lock.fleet.tag-prefix=acme.lock",
					"update-lock.fleet.clear-tags-on-shutdown=false", "update-lock.fleet.connect-timeout=300ms",
					"update-lock.fleet.service-name=worker",
					"update-lock.fleet.request-timeout=1500ms")
			.run((context) -> {
				FleetTagPublisher publisher = context.getBean(FleetTagPublisher.class);
				BalenaApiSettings settings = settings(publisher);
				assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
				// No getters on the publisher for these: plain wiring checks.
				assertThat(ReflectionTestUtils.getField(publisher, "minInterval")).isEqualTo(Duration.ofSeconds(7));
				assertThat(ReflectionTestUtils.getField(publisher, "clearTagsOnClose")).isEqualTo(false);
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(this.api.tags()).containsEntry("acme.lock.worker.status", "ok"));
			});
	}

	@Test
	void theSupervisorMonitorIsHandedToThePublisher() {
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			withBalenaApi()
				.withPropertyValues("BALENA_SUPERVISOR_ADDRESS=" + supervisor.address(),
						"BALENA_SUPERVISOR_API_KEY=" + FakeSupervisor.KEY)
				.run((context) -> assertThat(
						ReflectionTestUtils.getField(context.getBean(FleetTagPublisher.class), "pendingMonitor"))
					.isSameAs(context.getBean(UpdatePendingMonitor.class)));
		}
	}

	@Test
	void withTheSupervisorTheTagsGoThroughItUnderTheServiceNameAndBalenaCloudIsOnlyTheFallback() {
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			withBalenaApi()
				.withPropertyValues("BALENA_SUPERVISOR_ADDRESS=" + supervisor.address(),
						"BALENA_SUPERVISOR_API_KEY=" + FakeSupervisor.KEY, "BALENA_SERVICE_NAME=main")
				.run((context) -> {
					FleetTagPublisher publisher = context.getBean(FleetTagPublisher.class);
					await().atMost(WAIT).untilAsserted(() -> assertThat(supervisor.deviceTags())
						.containsEntry("update-lock.main.status", "ok"));
					assertThat(settings(publisher).apiUrl()).as("the fallback").isEqualTo(this.api.uri());
				});
			assertThat(this.api.recorded()).isEmpty();
		}
	}

	@Test
	void withTheSupervisorAloneTheTagsGoThroughIt() {
		try (FakeSupervisor supervisor = FakeSupervisor.start()) {
			withLockFile()
				.withPropertyValues("update-lock.fleet.enabled=true", "BALENA_SUPERVISOR_ADDRESS=" + supervisor.address(),
						"BALENA_SUPERVISOR_API_KEY=" + FakeSupervisor.KEY)
				.run((context) -> {
					assertThat(context).hasSingleBean(FleetTagPublisher.class).doesNotHaveBean(FleetApiOffNotice.class);
					await().atMost(WAIT).untilAsserted(
							() -> assertThat(supervisor.deviceTags()).containsEntry("update-lock.status", "ok"));
					assertThat(ReflectionTestUtils.getField(ReflectionTestUtils.getField(
							context.getBean(FleetTagPublisher.class), "channel"), "fallback")).isNull();
				});
		}
	}

	@Test
	void closingTheContextWithAHoldStillActiveReleasesTheLockWithoutWaitingOnAStalledApi() {
		Path lockFile = this.tempDir.resolve("updates.lock");
		long[] closeNanos = new long[1];
		withBalenaApi()
			.withPropertyValues("update-lock.fleet.request-timeout=10s", "update-lock.shutdown.wait=0s",
					"update-lock.long-hold-warning=200ms")
			.run((context) -> {
				context.getBean(UpdateLockManager.class).acquire("operator");
				// A tag with something to say, which close would clear: it must not wait for that.
				await().atMost(WAIT).untilAsserted(() -> assertThat(this.api.tags())
					.hasEntrySatisfying("update-lock.long-hold", (value) -> assertThat(value).startsWith("operator since")));
				assertThat(lockFile).exists();
				this.api.stallAnswers();
				long start = System.nanoTime();
				context.close();
				closeNanos[0] = System.nanoTime() - start;
			});
		assertThat(lockFile).doesNotExist();
		assertThat(Duration.ofNanos(closeNanos[0])).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void aRefusedKeyIsShownNotThrown() {
		withBalenaApi().withPropertyValues("BALENA_API_KEY=regenerated-meanwhile").run((context) -> {
			FleetTagPublisher publisher = context.getBean(FleetTagPublisher.class);
			try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work")) {
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(publisher.state().lastErrorKind())
						.isEqualTo(BalenaErrorKind.UNAUTHORIZED));
				assertThat(hold.isReleased()).isFalse();
			}
			assertThat(publisher.state().nextAttemptAt()).isNotNull();
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			update-lock.fleet.api-url         | ftp://127.0.0.1:1 | must be an absolute http or https URI without query, was 'ftp://127.0.0.1:1'
			update-lock.fleet.api-url         | api.balena-cloud  | must be an absolute http or https URI
			update-lock.fleet.device-uuid     | not-a-uuid        | must be 7 to 62 hex digits (0-9, a-f), was 'not-a-uuid'
			update-lock.fleet.min-interval    | 0s                | minInterval must be more than zero, was PT0S
			update-lock.fleet.tag-prefix      | io.balena.lock    | tagPrefix must be 1 to 100 characters without whitespace
			update-lock.fleet.connect-timeout | 0s                | connectTimeout must be more than zero, was PT0S
			update-lock.fleet.request-timeout | -1s               | requestTimeout must be more than zero, was PT-1S
			""")
	void rejectsAnInvalidPropertyNamingTheKey(String property, String value, String reason) {
		withBalenaApi().withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo(property);
					assertThat(ex.getReason()).startsWith(reason);
				});
		});
	}

	@Test
	void aBadKeyPropertyFailsStartupWithoutShowingTheKey() {
		withBalenaApi().withPropertyValues("update-lock.fleet.api-key=" + FakeBalenaApi.KEY + " x")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isNotInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessage("update-lock.fleet.api-key " + KEY_REQUIREMENT + "; character 29 is U+0020"));
	}

	@Test
	void aBadKeyPropertyStopsTheApplicationWithoutShowingTheKey(CapturedOutput output) {
		SpringApplication application = new SpringApplication(FleetApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(
				"--update-lock.path=" + this.tempDir.resolve("updates.lock"), "--update-lock.fleet.enabled=true",
				"--update-lock.fleet.api-url=" + this.api.uri(),
				"--update-lock.fleet.device-uuid=" + FakeBalenaApi.DEVICE_UUID,
				"--update-lock.fleet.api-key=" + FakeBalenaApi.KEY + "\u00e9"));
		assertThat(output).contains("update-lock.fleet.api-key " + KEY_REQUIREMENT + "; character 29 is U+00E9")
			.doesNotContain(FakeBalenaApi.KEY);
		assertThat(this.api.recorded()).isEmpty();
	}

	@Test
	void anUnusableKeyVariableTurnsItOffWithAWarningThatNeverShowsTheKey(CapturedOutput output) {
		withBalenaApi().withPropertyValues("BALENA_API_KEY=" + FakeBalenaApi.KEY + "\u20ac").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(FleetTagPublisher.class);
			try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work")) {
				assertThat(hold.isReleased()).isFalse();
			}
		});
		assertThat(output).contains("WARN")
			.contains("Fleet visibility is off: BALENA_API_KEY " + KEY_REQUIREMENT
					+ "; character 29 is U+20AC; without the Supervisor API, the update lock is not shown as device tags")
			.doesNotContain(FakeBalenaApi.KEY);
		assertThat(this.api.recorded()).isEmpty();
	}

	@Test
	void anAddressVariableWithUserInfoTurnsItOffNamingTheVariableWithoutShowingThePassword(CapturedOutput output) {
		withBalenaApi().withPropertyValues("BALENA_API_URL=" + withUserInfo(this.api.uri())).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(FleetTagPublisher.class);
			try (UpdateLockHold hold = context.getBean(UpdateLockManager.class).acquire("work")) {
				assertThat(hold.isReleased()).isFalse();
			}
		});
		assertThat(output).contains("WARN")
			.contains("Fleet visibility is off: BALENA_API_URL must not contain user info")
			.doesNotContain(PASSWORD);
		assertThat(this.api.recorded()).isEmpty();
	}

	@Test
	void anAddressPropertyWithUserInfoStopsStartupNamingThePropertyWithoutShowingThePassword(
			CapturedOutput output) {
		SpringApplication application = new SpringApplication(FleetApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(
				"--update-lock.path=" + this.tempDir.resolve("updates.lock"), "--update-lock.fleet.enabled=true",
				"--update-lock.fleet.api-url=" + withUserInfo(this.api.uri()),
				"--update-lock.fleet.device-uuid=" + FakeBalenaApi.DEVICE_UUID,
				"--update-lock.fleet.api-key=" + FakeBalenaApi.KEY));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value for configuration property 'update-lock.fleet.api-url' (not shown: it may hold a secret)")
			.contains("Reason: must not contain user info")
			.doesNotContain(PASSWORD);
		assertThat(this.api.recorded()).isEmpty();
	}

	private static String withUserInfo(URI address) {
		return address.getScheme() + "://device:" + PASSWORD + "@" + address.getRawAuthority();
	}

	@Test
	void aGoodKeyReachesNoLogLineNorState(CapturedOutput output) {
		try (RecordedLog log = new RecordedLog("io.github.updatelock")) {
			// The first write is refused: a failure to log and to keep.
			this.api.reply(500, "{\"error\":\"down\"}", null);
			withBalenaApi().run((context) -> {
				FleetTagPublisher publisher = context.getBean(FleetTagPublisher.class);
				await().atMost(WAIT).until(() -> publisher.state().failures() >= 1);
				assertThat(publisher.state().toString()).doesNotContain(FakeBalenaApi.KEY);
				assertThat(publisher.toString()).doesNotContain(FakeBalenaApi.KEY);
				assertThat(settings(publisher).toString()).doesNotContain(FakeBalenaApi.KEY);
			});
			assertThat(log.texts()).isNotEmpty().noneMatch((text) -> text.contains(FakeBalenaApi.KEY));
		}
		assertThat(output).doesNotContain(FakeBalenaApi.KEY);
	}

	/** The balenaCloud settings of the publisher's channel, or of its fallback behind the Supervisor. */
	private static BalenaApiSettings settings(FleetTagPublisher publisher) {
		Object channel = ReflectionTestUtils.getField(publisher, "channel");
		if (ReflectionTestUtils.getField(channel, "client") instanceof BalenaApiClient client) {
			return client.settings();
		}
		return ((BalenaApiClient) ReflectionTestUtils.getField(ReflectionTestUtils.getField(channel, "fallback"),
				"client")).settings();
	}

	/** What the balena module logs through System.Logger, which reaches java.util.logging without a bridge. */
	private static final class RecordedLog extends Handler implements AutoCloseable {

		private final Logger logger;

		private final List<LogRecord> records = new CopyOnWriteArrayList<>();

		RecordedLog(String name) {
			this.logger = Logger.getLogger(name);
			this.logger.addHandler(this);
		}

		/** Each record as a log file would show it, stack traces with their causes included. */
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
	@ImportAutoConfiguration({ UpdateLockAutoConfiguration.class, SupervisorApiAutoConfiguration.class,
			FleetAutoConfiguration.class })
	static class FleetApplication {

	}

}
