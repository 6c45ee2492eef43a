package io.github.updatelock.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.testsupport.SteppedWallClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar on a device whose wall clock NTP steps by days while a critical section
 * runs (a Raspberry Pi has no real-time clock). The step comes from outside the JVM
 * (libfaketime), so this is the clock every part of the application reads: the ages the
 * endpoint and the health show must not move with it, nor may a fresh hold count as
 * long-running.
 */
class ClockStepIT {

	private static final Duration STEP = Duration.ofDays(3);

	/** Far below a step, far above the test's own run time. */
	private static final Duration SMALL = Duration.ofMinutes(5);

	@TempDir
	Path tempDir;

	private SampleAppProcess app;

	@AfterEach
	void stopApplication() throws Exception {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void stepsOfTheSystemClockChangeNoAgeAndMakeNoHoldLongRunning() throws Exception {
		SteppedWallClock wallClock = SteppedWallClock.create(this.tempDir);
		Path lockDirectory = Files.createDirectory(this.tempDir.resolve("lock"));
		// The watch looks often, so that a long-hold check runs many times after each step.
		this.app = SampleAppProcess.start(this.tempDir, wallClock.environment(), List.of(),
				"--update-lock.path=" + lockDirectory.resolve("updates.lock"), "--update-lock.watch-interval=100ms");
		this.app.postAsync("/demo/critical?seconds=120");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.app.<List<String>>read("/actuator/updatelock", "$.holds[*].name").size() == 1);
		Instant since = Instant.parse(this.app.read("/actuator/updatelock", "$.holds[0].since"));

		wallClock.offset(STEP);
		await("the sample application to see the step").atMost(Duration.ofSeconds(10))
			.until(() -> stepped(Instant.now().plus(STEP)));
		// The watch has run many times since the step; a hold aged by the wall clock would be marked by now.
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(this::nothingSaysLongRunning);
		assertAgesAreSmall();
		assertThat(this.app.<String>read("/actuator/updatelock", "$.holds[0].since")).isEqualTo(since.toString());

		wallClock.offset(Duration.ofDays(-1));
		await("the sample application to see the step back").atMost(Duration.ofSeconds(10))
			.until(() -> stepped(Instant.now().minus(Duration.ofDays(1))));
		assertAgesAreSmall();
		assertThat(this.app.<String>read("/actuator/updatelock", "$.holds[0].since")).isEqualTo(since.toString());
		assertThat(this.app.log()).doesNotContain("has been active for");
	}

	/** Whether the application's wall clock is within a minute of {@code expected}, as its Date header shows. */
	private boolean stepped(Instant expected) throws Exception {
		Instant shown = this.app.get("/actuator/updatelock")
			.headers()
			.firstValue("Date")
			.map((date) -> DateTimeFormatter.RFC_1123_DATE_TIME.parse(date, Instant::from))
			.orElseThrow();
		return Duration.between(expected, shown).abs().compareTo(Duration.ofMinutes(1)) < 0;
	}

	private boolean nothingSaysLongRunning() throws Exception {
		String lock = this.app.get("/actuator/updatelock").body();
		String health = this.app.get("/actuator/health").body();
		return !JsonPath.<Boolean>read(lock, "$.holds[0].longRunning")
				&& !JsonPath.<Map<String, Object>>read(health, "$.components.updateLock.details").containsKey("longHolds");
	}

	private void assertAgesAreSmall() throws Exception {
		String duration = String.valueOf(this.app.<Object>read("/actuator/updatelock", "$.holds[0].duration"));
		assertThat(duration).doesNotStartWith("-").doesNotContain("PT-");
		assertThat(Duration.parse(duration)).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(SMALL);
	}

}
