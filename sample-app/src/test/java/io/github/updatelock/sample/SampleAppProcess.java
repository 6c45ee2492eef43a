package io.github.updatelock.sample;

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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample jar, started with {@code java -jar} as its own process, the way a
 * device runs it, and talked to over HTTP.
 * <p>
 * {@link #close()} kills what is still running and copies the application's output into
 * the test's output, which Failsafe keeps next to its report.
 */
final class SampleAppProcess implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	// Spring joins a repeated argument into a list, so the default is only added when absent.
	private static final String SYNC_INTERVAL = "sample.data-sync.interval";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

	private final Process process;

	private final Path output;

	private final HttpClient http = HttpClient.newHttpClient();

	private int port;

	private SampleAppProcess(Process process, Path output) {
		this.process = process;
		this.output = output;
	}

	/**
	 * Starts the jar and waits until it serves requests.
	 * @param workDir where the application's output goes
	 * @param jvmOptions options for the JVM, such as {@code -Djava.io.tmpdir=...}
	 * @param arguments the application's arguments, such as {@code --update-lock.path=...}
	 * @return the running application
	 */
	static SampleAppProcess start(Path workDir, List<String> jvmOptions, String... arguments) throws IOException {
		return start(workDir, Map.of(), jvmOptions, arguments);
	}

	/**
	 * Starts the jar with more environment variables and waits until it serves requests.
	 * @param workDir where the application's output goes
	 * @param environment variables added to the process's environment, such as
	 * {@code LD_PRELOAD}
	 * @param jvmOptions options for the JVM
	 * @param arguments the application's arguments
	 * @return the running application
	 */
	static SampleAppProcess start(Path workDir, Map<String, String> environment, List<String> jvmOptions,
			String... arguments) throws IOException {
		String jar = System.getProperty("sample.jar");
		assertThat(jar).as("system property sample.jar (set by Failsafe)").isNotNull();
		assertThat(Path.of(jar)).as("the packaged sample jar").isRegularFile();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// The C1 compiler alone starts Spring noticeably faster, and these tests start it often.
		command.add("-XX:TieredStopAtLevel=1");
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(jar);
		command.add("--server.port=0");
		command.add("--spring.main.banner-mode=off");
		command.addAll(List.of(arguments));
		if (command.stream().noneMatch((argument) -> argument.startsWith("--" + SYNC_INTERVAL + "="))) {
			// No sync job holding the lock at random moments in tests that watch the file.
			command.add("--" + SYNC_INTERVAL + "=1h");
		}
		Path output = Files.createTempFile(workDir, "sample-app-", ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile());
		// A CI machine is no device: the Supervisor's variables must not choose the path here.
		builder.environment().remove("BALENA_APP_LOCK_PATH");
		builder.environment().remove("RESIN_APP_LOCK_PATH");
		// Nor may the balenaCloud API's: a test that wants fleet tags points them at a fake.
		builder.environment().remove("BALENA_API_URL");
		builder.environment().remove("BALENA_API_KEY");
		builder.environment().remove("BALENA_DEVICE_UUID");
		builder.environment().putAll(environment);
		SampleAppProcess app = new SampleAppProcess(builder.start(), output);
		try {
			app.awaitStarted();
		}
		catch (RuntimeException | Error ex) {
			// The caller has no reference yet to close it with.
			app.close();
			throw ex;
		}
		return app;
	}

	private void awaitStarted() throws IOException {
		await("the sample application to start").atMost(STARTUP_TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.failFast("the sample application exited during startup", () -> !this.process.isAlive())
			.until(() -> log().contains("Started SampleApplication"));
		Matcher port = PORT.matcher(log());
		assertThat(port.find()).as("the HTTP port in the log").isTrue();
		this.port = Integer.parseInt(port.group(1));
	}

	String log() throws IOException {
		return Files.readString(this.output, StandardCharsets.UTF_8);
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Reads one value from a JSON answer to a GET.
	 * @param path the request path
	 * @param jsonPath where the value is
	 * @param <T> the value's type
	 * @return the value
	 */
	<T> T read(String path, String jsonPath) throws IOException, InterruptedException {
		return JsonPath.read(get(path).body(), jsonPath);
	}

	HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return this.http.send(postRequest(path), HttpResponse.BodyHandlers.ofString());
	}

	/** A POST with a JSON body, as actuator write operations take it. */
	HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
		return this.http.send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	CompletableFuture<HttpResponse<String>> postAsync(String path) {
		return this.http.sendAsync(postRequest(path), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Sends SIGTERM, like {@code docker stop}, and waits for the process to end.
	 * @return whether it ended within the time {@code docker stop} gives by default
	 */
	boolean terminate() throws InterruptedException {
		this.process.destroy();
		return this.process.waitFor(10, TimeUnit.SECONDS);
	}

	/**
	 * Sends SIGTERM, like {@code docker stop}, without waiting for the process to end.
	 */
	void sigterm() {
		this.process.destroy();
	}

	/**
	 * Sends SIGKILL, like {@code docker stop} once its grace period is over, or the
	 * kernel's OOM killer, and waits for the process to end.
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).as("killed within 30 s").isTrue();
	}

	@Override
	public void close() throws IOException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
		}
		System.out.println("---- sample application output ----");
		System.out.println(log());
	}

	private HttpRequest postRequest(String path) {
		return request(path).POST(HttpRequest.BodyPublishers.noBody()).build();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).timeout(HTTP_TIMEOUT);
	}

}
