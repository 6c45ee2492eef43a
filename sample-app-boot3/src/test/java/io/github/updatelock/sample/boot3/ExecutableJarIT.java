package io.github.updatelock.sample.boot3;

import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar is a Spring Boot 3.5 application, built with the update lock's Boot 3
 * starter alone: none of Boot 4's modules or of the Boot 4 starter's came along, and of
 * Jackson 3 only its streaming parser.
 */
class ExecutableJarIT {

	private static final String LIB = "BOOT-INF/lib/";

	@Test
	void theJarCarriesSpringBoot35AndTheBoot3StarterOnly() throws Exception {
		String bootVersion = System.getProperty("sample.spring-boot.version");
		assertThat(bootVersion).as("the Boot version the module builds on").startsWith("3.5.");
		try (JarFile jar = new JarFile(SampleJar.path().toFile())) {
			assertThat(jar.getManifest().getMainAttributes().getValue("Spring-Boot-Version")).isEqualTo(bootVersion);
			List<String> libraries = jar.stream()
				.map(JarEntry::getName)
				.filter((name) -> name.startsWith(LIB) && name.length() > LIB.length())
				.map((name) -> name.substring(LIB.length()))
				.toList();
			assertThat(libraries).contains("spring-boot-" + bootVersion + ".jar",
					"spring-boot-actuator-" + bootVersion + ".jar")
				.anyMatch((name) -> name.matches("spring-core-6\\.2\\.\\d+\\.jar"))
				.anyMatch((name) -> name.startsWith("update-lock-spring-boot3-autoconfigure-"))
				.noneMatch((name) -> name.startsWith("spring-boot-health-"))
				.noneMatch((name) -> name.startsWith("update-lock-spring-boot-autoconfigure-"))
				// Jackson 3's streaming parser beside Boot 3.5's Jackson 2, and no Jackson 3 data binding,
				// which would fail on Boot 3.5's older jackson-annotations.
				.anyMatch((name) -> name.matches("jackson-core-3\\.\\d+\\.\\d+\\.jar"))
				.anyMatch((name) -> name.matches("jackson-databind-2\\.19\\.\\d+\\.jar"))
				.noneMatch((name) -> name.matches("jackson-databind-3\\..*"));
		}
	}

}
