package io.github.updatelock.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The sample device application. Off a device it takes its lock in a local demo directory
 * (see {@link LocalLockDirectoryEnvironmentPostProcessor}); on balenaOS it uses
 * {@code /tmp/balena/updates.lock} like any other service.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
