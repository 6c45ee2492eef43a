package io.github.updatelock.docs;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.jayway.jsonpath.JsonPath;
import io.github.updatelock.autoconfigure.UpdateLockProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's properties table lists exactly the {@code update-lock.*} keys of the
 * generated configuration metadata, with the same defaults and descriptions.
 */
class ReadmePropertiesTests {

	private static final Path README = Path.of("..", "README.md");

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	@Test
	void readmeTableMatchesTheGeneratedMetadata() throws IOException {
		assertThat(readmeRows()).isEqualTo(metadataRows());
	}

	private static Map<String, String> readmeRows() throws IOException {
		String readme = Files.readString(README, StandardCharsets.UTF_8);
		String table = readme.substring(readme.indexOf("<!-- properties:start -->"),
				readme.indexOf("<!-- properties:end -->"));
		Map<String, String> rows = new LinkedHashMap<>();
		for (String line : table.split("\n")) {
			if (line.startsWith("| `update-lock.")) {
				String[] cells = line.split("\\|");
				rows.put(unquote(cells[1]), unquote(cells[2]) + " | " + cells[3].trim());
			}
		}
		return sorted(rows);
	}

	/**
	 * The metadata that the processor wrote next to the properties classes: in the common
	 * module's classes folder or jar, whichever the build put on the class path.
	 */
	private static String generatedMetadata() throws IOException {
		Path location;
		try {
			location = Path.of(UpdateLockProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
		if (Files.isDirectory(location)) {
			return Files.readString(location.resolve(METADATA), StandardCharsets.UTF_8);
		}
		try (FileSystem jar = FileSystems.newFileSystem(location)) {
			return Files.readString(jar.getPath(METADATA), StandardCharsets.UTF_8);
		}
	}

	private static Map<String, String> metadataRows() throws IOException {
		String metadata = generatedMetadata();
		List<Map<String, Object>> properties = JsonPath.read(metadata, "$.properties[*]");
		Map<String, String> rows = new LinkedHashMap<>();
		for (Map<String, Object> property : properties) {
			String name = (String) property.get("name");
			if (name.startsWith("update-lock.")) {
				Object defaultValue = property.get("defaultValue");
				rows.put(name, ((defaultValue != null) ? String.valueOf(defaultValue) : "") + " | "
						+ Objects.toString(property.get("description"), ""));
			}
		}
		return sorted(rows);
	}

	private static String unquote(String cell) {
		return cell.trim().replace("`", "");
	}

	private static Map<String, String> sorted(Map<String, String> rows) {
		Map<String, String> sorted = new LinkedHashMap<>();
		rows.keySet().stream().sorted().forEach((key) -> sorted.put(key, rows.get(key)));
		return sorted;
	}

}
