package io.github.updatelock.sample.boot3;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot 3.5 application whose only update-lock dependency is
 * {@code update-lock-spring-boot3-starter}.
 */
@SpringBootApplication
public class Boot3SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(Boot3SampleApplication.class, args);
	}

}
