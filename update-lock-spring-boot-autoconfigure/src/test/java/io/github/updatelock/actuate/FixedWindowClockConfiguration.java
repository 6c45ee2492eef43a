package io.github.updatelock.actuate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.github.updatelock.autoconfigure.window.UpdateWindowGuardBuilderCustomizer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Stops the update window guard's clock on a Monday at 01:00 UTC, so that HTTP tests see
 * the same window state, to the second, on every run: a weekday window from 02:00 is closed
 * and opens next at 02:00.
 */
@TestConfiguration(proxyBeanMethods = false)
public class FixedWindowClockConfiguration {

	/** The instant the guard's clock shows. */
	public static final Instant NOW = Instant.parse("2026-03-02T01:00:00Z");

	@Bean
	UpdateWindowGuardBuilderCustomizer fixedWindowClock() {
		return (builder) -> builder.clock(Clock.fixed(NOW, ZoneOffset.UTC));
	}

}
