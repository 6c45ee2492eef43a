package io.github.updatelock.sample.boot3;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar, started with {@code java -jar} as a process of its own, and talked to
 * over HTTP. {@link #close()} kills what still runs and prints the application's output,
 * which Failsafe keeps next to its report.
 */
final class SampleJar implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private final Process process;

	private final Path output;

	private final HttpClient http = HttpClient.newHttpClient();

	private int port;

	private SampleJar(Process process, Path output) {
		this.process = process;
		this.output = output;
	}

	/**
	 * The jar that {@code package} made, as Failsafe names it.
	 * @return its path
	 */
	static Path path() {
		String jar = System.getProperty("sample.jar");
		assertThat(jar).as("system property sample.jar (set by Failsafe)").isNotNull();
		assertThat(Path.of(jar)).as("the packaged jar").isRegularFile();
		return Path.of(jar);
	}

	/**
	 * Starts the jar and waits until it serves requests.
	 * @param workDir where the application's output goes
	 * @param arguments the application's arguments, such as {@code --update-lock.path=...}
	 * @return the running application
	 */
	static SampleJar start(Path workDir, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", path().toString(), "--server.port=0", "--spring.main.banner-mode=off"));
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile(workDir, "sample-app-boot3-", ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		// A build machine is no device: no Supervisor, balenaCloud or lock path variables.
		builder.environment().keySet().removeIf((name) -> name.startsWith("BALENA_") || name.startsWith("RESIN_"));
		SampleJar app = new SampleJar(builder.start(), output);
		try {
			await("the application to start").atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(100))
				.failFast("the application exited during startup", () -> !app.process.isAlive())
				.until(() -> app.log().contains("Started Boot3SampleApplication"));
			Matcher port = PORT.matcher(app.log());
			assertThat(port.find()).as("the HTTP port in the log").isTrue();
			app.port = Integer.parseInt(port.group(1));
		}
		catch (RuntimeException | Error ex) {
			app.close();
			throw ex;
		}
		return app;
	}

	String log() throws IOException {
		return Files.readString(this.output, StandardCharsets.UTF_8);
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Reads one value from the JSON answer to a GET.
	 * @param path the request path
	 * @param jsonPath where the value is
	 * @param <T> the value's type
	 * @return the value
	 */
	<T> T read(String path, String jsonPath) throws IOException, InterruptedException {
		return JsonPath.read(get(path).body(), jsonPath);
	}

	CompletableFuture<HttpResponse<String>> post(String path) {
		return this.http.sendAsync(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Sends SIGTERM, as {@code docker stop} does, and waits for the process to end.
	 * @return whether it ended within the 10 seconds that {@code docker stop} gives
	 */
	boolean terminate() throws InterruptedException {
		this.process.destroy();
		return this.process.waitFor(10, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws IOException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
		}
		System.out.println("---- application output ----");
		System.out.println(log());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(30));
	}

}
