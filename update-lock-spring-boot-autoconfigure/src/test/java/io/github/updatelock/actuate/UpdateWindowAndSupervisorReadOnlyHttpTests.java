package io.github.updatelock.actuate;

import java.nio.file.Path;
import java.time.Duration;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.actuate.endpoint.ForceUpdateEndpoint;
import io.github.updatelock.testsupport.FakeSupervisor;
import io.github.updatelock.window.UpdateWindowGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the default access of the window and force-update endpoints, their writes are not
 * even mapped, although both features are on, every endpoint is exposed and operator holds
 * are allowed ({@code updatelock} unrestricted) and forcing is switched on: each needs an
 * access setting of its own.
 * The window stays closed and the Supervisor is never asked to force an update.
 */
@SpringBootTest(classes = { UpdateLockTestApplication.class, FixedWindowClockConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=updatelock,updatewindow,forceupdate",
				"management.endpoint.updatelock.access=unrestricted",
				"update-lock.supervisor.force-update.enabled=true", "update-lock.window.zone=UTC",
				"update-lock.window.ranges[0].from=02:00", "update-lock.window.ranges[0].to=04:00" })
@AutoConfigureRestTestClient
@DirtiesContext
class UpdateWindowAndSupervisorReadOnlyHttpTests {

	private static final FakeSupervisor supervisor = FakeSupervisor.start();

	@TempDir
	static Path directory;

	@Autowired
	private RestTestClient client;

	@Autowired
	private UpdateLockManager manager;

	@Autowired
	private UpdateWindowGuard guard;

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void lockPathAndSupervisor(DynamicPropertyRegistry registry) {
		registry.add(UpdateLockTestApplication.LOCK_PATH_PROPERTY, () -> directory.resolve("updates.lock").toString());
		registry.add("BALENA_SUPERVISOR_ADDRESS", supervisor::address);
		registry.add("BALENA_SUPERVISOR_API_KEY", () -> FakeSupervisor.KEY);
	}

	@AfterAll
	static void stopSupervisor() {
		supervisor.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "updatewindow/open", "updatewindow/close", "forceupdate",
			"updatelock/window/open", "updatelock/window/close", "updatelock/supervisor/force-update" })
	void windowAndForceUpdateWritesAreNotMappedByDefault(String path) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.guard.state().holdHeld());
		this.client.post()
			.uri("/actuator/" + path)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"duration\": \"2h\"}")
			.exchange()
			.expectStatus()
			.isNotFound();
		assertThat(this.guard.state().open()).isFalse();
		assertThat(this.manager.snapshot().holds()).hasSize(1);
		assertThat(supervisor.requests("/v1/update")).isZero();
	}

	@Test
	void forceUpdateEndpointIsNotThereAtAll() {
		assertThat(this.context.getBeanNamesForType(ForceUpdateEndpoint.class)).isEmpty();
		this.client.get()
			.uri("/actuator")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$._links.updatelock").exists()
			.jsonPath("$._links.updatewindow").exists()
			.jsonPath("$._links.forceupdate").doesNotExist();
	}

	@Test
	void readingStillShowsBothFeatures() {
		this.client.get()
			.uri("/actuator/updatelock")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.window.schedule").isEqualTo("MON-SUN 02:00-04:00 (UTC)")
			.jsonPath("$.supervisor.address").isEqualTo(supervisor.address());
		this.client.get()
			.uri("/actuator/updatewindow")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.schedule").isEqualTo("MON-SUN 02:00-04:00 (UTC)");
	}

}
