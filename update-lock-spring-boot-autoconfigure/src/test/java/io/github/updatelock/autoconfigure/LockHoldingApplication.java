package io.github.updatelock.autoconfigure;

import io.github.updatelock.UpdateLockManager;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application run in a separate JVM by {@link UpdateLockProcessTests}: it holds the
 * update lock (its startup hold and a job that never ends) until it is stopped.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class LockHoldingApplication {

	/** Printed once both holds are taken. */
	static final String READY = "update-lock-test: holding";

	public static void main(String[] args) {
		SpringApplication.run(LockHoldingApplication.class, args);
	}

	@Bean
	ApplicationRunner neverEndingJob(UpdateLockManager updateLockManager) {
		return (arguments) -> {
			updateLockManager.acquire("never-ending-job");
			System.out.println(READY);
		};
	}

}
