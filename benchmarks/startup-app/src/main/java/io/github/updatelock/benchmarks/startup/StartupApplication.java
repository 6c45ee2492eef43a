package io.github.updatelock.benchmarks.startup;

import io.github.updatelock.aop.HoldUpdateLock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application with one advised endpoint, so that the starter's auto-configuration,
 * advisor and proxy all take part in startup.
 */
@SpringBootApplication
@RestController
public class StartupApplication {

	@GetMapping("/job")
	@HoldUpdateLock
	public String job() {
		return "done";
	}

	public static void main(String[] args) {
		SpringApplication.run(StartupApplication.class, args);
	}

}
