package io.github.updatelock.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole-process startup of a Spring Boot jar with and without this starter's
 * auto-configuration: the time from starting the process to its first answer on
 * {@code /actuator/health} (or, with {@code --ready=log}, to its "Started ... in" log line),
 * over several runs of each, as medians and their ratio.
 * <p>
 * "Without" runs the same jar with {@code --spring.autoconfigure.exclude=} listing every
 * auto-configuration that the starter's jars list in their {@code AutoConfiguration.imports}
 * (read from the application jar itself), so that class path, JVM and application stay the same and only what the
 * starter adds at startup is left out. {@code --without=disabled} uses
 * {@code --update-lock.enabled=false} instead, which still loads the auto-configurations
 * and evaluates their conditions.
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.github.updatelock.benchmarks.StartupBenchmark
 * [--runs=7] [--without=exclude|disabled] [--ready=health|log] [--timeout=120] APP.jar
 * [-- application arguments]}.
 */
public final class StartupBenchmark {

	private static final String IMPORTS = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

	/**
	 * The jars that register the starter's auto-configurations: the ones both Boot lines share
	 * (group 1 is {@code -common}) and the Boot line's own (health and metrics).
	 */
	private static final Pattern AUTOCONFIGURE_JAR = Pattern
		.compile("BOOT-INF/lib/update-lock-spring-boot(-common|-autoconfigure|3-autoconfigure)-[^/]*\\.jar");

	private static final Pattern STARTED = Pattern
		.compile("Started \\S+ in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");

	private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

	private final Path jar;

	private final int runs;

	private final boolean exclude;

	private final boolean healthProbe;

	private final Duration timeout;

	private final List<String> applicationArguments;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

	private StartupBenchmark(Path jar, int runs, boolean exclude, boolean healthProbe, Duration timeout,
			List<String> applicationArguments) {
		this.jar = jar;
		this.runs = runs;
		this.exclude = exclude;
		this.healthProbe = healthProbe;
		this.timeout = timeout;
		this.applicationArguments = applicationArguments;
	}

	public static void main(String[] args) throws Exception {
		int runs = 7;
		boolean exclude = true;
		boolean healthProbe = true;
		Duration timeout = Duration.ofSeconds(120);
		Path jar = null;
		List<String> applicationArguments = List.of();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (arg.equals("--")) {
				applicationArguments = List.copyOf(Arrays.asList(args).subList(i + 1, args.length));
				break;
			}
			else if (arg.startsWith("--runs=")) {
				runs = Integer.parseInt(arg.substring("--runs=".length()));
			}
			else if (arg.startsWith("--without=")) {
				exclude = choose(arg, "exclude", "disabled");
			}
			else if (arg.startsWith("--ready=")) {
				healthProbe = choose(arg, "health", "log");
			}
			else if (arg.startsWith("--timeout=")) {
				timeout = Duration.ofSeconds(Long.parseLong(arg.substring("--timeout=".length())));
			}
			else if (!arg.startsWith("--") && jar == null) {
				jar = Path.of(arg);
			}
			else {
				throw usage("unknown argument " + arg);
			}
		}
		if (jar == null || runs < 1) {
			throw usage("give the application jar, and at least one run");
		}
		new StartupBenchmark(jar, runs, exclude, healthProbe, timeout, applicationArguments).run();
	}

	private static boolean choose(String arg, String first, String second) {
		String value = arg.substring(arg.indexOf('=') + 1);
		if (!value.equals(first) && !value.equals(second)) {
			throw usage(arg + ": expected " + first + " or " + second);
		}
		return value.equals(first);
	}

	private static IllegalArgumentException usage(String problem) {
		return new IllegalArgumentException(problem + System.lineSeparator()
				+ "usage: StartupBenchmark [--runs=7] [--without=exclude|disabled] [--ready=health|log] "
				+ "[--timeout=120] APP.jar [-- application arguments]");
	}

	private void run() throws IOException, InterruptedException {
		String without = this.exclude ? "--spring.autoconfigure.exclude=" + String.join(",", starterAutoConfigurations())
				: "--update-lock.enabled=false";
		System.out.println("jar:     " + this.jar);
		System.out.println("java:    " + javaExecutable() + " (" + System.getProperty("java.version") + ")");
		System.out.println("ready:   " + (this.healthProbe ? "first answer of GET /actuator/health" : "'Started' log line"));
		System.out.println("without: " + without);
		// One discarded pair first: it warms the page cache for the jar and the JDK.
		measure(List.of());
		measure(List.of(without));
		List<Run> with = new ArrayList<>();
		List<Run> withoutStarter = new ArrayList<>();
		for (int i = 0; i < this.runs; i++) {
			// Alternating the order spreads a drift in machine load over both sides.
			if (i % 2 == 0) {
				with.add(measure(List.of()));
				withoutStarter.add(measure(List.of(without)));
			}
			else {
				withoutStarter.add(measure(List.of(without)));
				with.add(measure(List.of()));
			}
			System.out.printf(Locale.ROOT, "run %d: with %s, without %s, ratio %.3f%n", i + 1, with.get(i),
					withoutStarter.get(i), with.get(i).readyMillis() / withoutStarter.get(i).readyMillis());
		}
		double withReady = median(with.stream().mapToDouble(Run::readyMillis).toArray());
		double withoutReady = median(withoutStarter.stream().mapToDouble(Run::readyMillis).toArray());
		System.out.println();
		System.out.printf(Locale.ROOT, "%-34s %12s %12s %8s%n", "median over " + this.runs + " runs (ms)", "with",
				"without", "ratio");
		System.out.printf(Locale.ROOT, "%-34s %12.0f %12.0f %8.3f%n", "process start to ready", withReady,
				withoutReady, withReady / withoutReady);
		// Each pair ran back to back: its ratio is less exposed to load that drifts over the runs.
		double[] pairRatios = new double[this.runs];
		for (int i = 0; i < this.runs; i++) {
			pairRatios[i] = with.get(i).readyMillis() / withoutStarter.get(i).readyMillis();
		}
		System.out.printf(Locale.ROOT, "%-34s %12s %12s %8.3f (%s)%n", "median of the pairs' ratios", "", "",
				median(pairRatios), range(pairRatios, "%.3f"));
		double withStarted = median(with.stream().mapToDouble(Run::startedMillis).toArray());
		double withoutStarted = median(withoutStarter.stream().mapToDouble(Run::startedMillis).toArray());
		if (!Double.isNaN(withStarted) && !Double.isNaN(withoutStarted)) {
			System.out.printf(Locale.ROOT, "%-34s %12.0f %12.0f %8.3f%n", "Boot's own \"Started ... in\"",
					withStarted, withoutStarted, withStarted / withoutStarted);
		}
		System.out.printf(Locale.ROOT, "%-34s %12s %12s%n", "ready, min..max",
				range(with.stream().mapToDouble(Run::readyMillis).toArray(), "%.0f"),
				range(withoutStarter.stream().mapToDouble(Run::readyMillis).toArray(), "%.0f"));
	}

	/**
	 * The starter's auto-configurations, as the jar lists them: a Boot fat jar nests, under
	 * {@code BOOT-INF/lib}, update-lock-spring-boot-common (the shared ones) and its Boot line's
	 * auto-configure jar (health and metrics), each with its own {@code AutoConfiguration.imports}.
	 * Excluding only one of them would leave part of the starter in the "without" runs.
	 */
	private List<String> starterAutoConfigurations() throws IOException {
		List<String> autoConfigurations = new ArrayList<>();
		boolean common = false;
		boolean bootLine = false;
		try (JarFile file = new JarFile(this.jar.toFile())) {
			for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
				Matcher autoConfigureJar = AUTOCONFIGURE_JAR.matcher(entry.getName());
				if (autoConfigureJar.matches()) {
					List<String> imported = nestedImports(file, entry);
					autoConfigurations.addAll(imported);
					if (!imported.isEmpty()) {
						common |= autoConfigureJar.group(1).equals("-common");
						bootLine |= !autoConfigureJar.group(1).equals("-common");
					}
				}
			}
		}
		if (!common || !bootLine) {
			String missing = (common) ? "update-lock-spring-boot[3]-autoconfigure"
					: (bootLine) ? "update-lock-spring-boot-common"
							: "update-lock-spring-boot-common and update-lock-spring-boot[3]-autoconfigure";
			throw new IllegalStateException("No " + IMPORTS + " of " + missing + " in " + this.jar
					+ "; is the starter in this jar? Try --without=disabled");
		}
		return autoConfigurations;
	}

	private static List<String> nestedImports(JarFile file, JarEntry nestedJar) throws IOException {
		try (JarInputStream nested = new JarInputStream(file.getInputStream(nestedJar))) {
			for (JarEntry inner = nested.getNextJarEntry(); inner != null; inner = nested.getNextJarEntry()) {
				if (inner.getName().equals(IMPORTS)) {
					return imports(nested);
				}
			}
		}
		return List.of();
	}

	private static List<String> imports(InputStream content) throws IOException {
		BufferedReader reader = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8));
		return reader.lines()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.filter((line) -> line.startsWith("io.github.updatelock."))
			.toList();
	}

	private Run measure(List<String> variant) throws IOException, InterruptedException {
		int port = freePort();
		// A port of our own: other processes on the machine may well sit on 8080.
		List<String> command = new ArrayList<>(
				List.of(javaExecutable(), "-jar", this.jar.toString(), "--server.port=" + port));
		command.addAll(variant);
		command.addAll(this.applicationArguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		long start = System.nanoTime();
		Process process = builder.start();
		try {
			Output output = new Output(process.getInputStream());
			long deadline = start + this.timeout.toNanos();
			Integer status = null;
			while (System.nanoTime() - deadline < 0) {
				if (!process.isAlive()) {
					throw new IllegalStateException("The application exited with " + process.exitValue()
							+ " before it was ready; its last lines:" + System.lineSeparator() + output.tail());
				}
				if (this.healthProbe) {
					status = health(port);
					if (status != null) {
						break;
					}
				}
				else if (output.started.isDone() && !Double.isNaN(output.started.join())) {
					break;
				}
				Thread.sleep(POLL_INTERVAL.toMillis());
			}
			long ready = System.nanoTime();
			if (ready - deadline >= 0) {
				throw new IllegalStateException("Not ready within " + this.timeout + "; last lines:"
						+ System.lineSeparator() + output.tail());
			}
			// The log line comes just before the server answers; wait a moment for it.
			double started = output.startedMillis(Duration.ofSeconds(5));
			return new Run((ready - start) / 1e6, started, status);
		}
		finally {
			stop(process);
		}
	}

	/**
	 * The health endpoint's status code, or {@code null} while nothing answers. Any answer
	 * counts as ready: the question is when the application serves, and a DOWN lock (a
	 * missing lock directory off balenaOS, for instance) must not make it look slower.
	 */
	private Integer health(int port) throws InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (ConnectException | HttpTimeoutException ex) {
			return null;
		}
		catch (IOException ex) {
			// A connection reset while the server is still coming up.
			return null;
		}
	}

	private static void stop(Process process) throws InterruptedException {
		// SIGTERM first, so that the application releases its lock file as it would on a device.
		process.destroy();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** The median, or NaN when a run has no value (Boot's log line was not seen). */
	static double median(double[] values) {
		if (Arrays.stream(values).anyMatch(Double::isNaN)) {
			return Double.NaN;
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private static String range(double[] values, String format) {
		double min = Arrays.stream(values).min().orElse(Double.NaN);
		double max = Arrays.stream(values).max().orElse(Double.NaN);
		return String.format(Locale.ROOT, format + ".." + format, min, max);
	}

	private record Run(double readyMillis, double startedMillis, Integer status) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%.0f ms", this.readyMillis)
					+ ((this.status != null && this.status != 200) ? " (health answered " + this.status + ")" : "");
		}

	}

	/**
	 * Reads the application's output on its own thread, so that a full pipe never stalls
	 * it, keeping the last lines for error messages and Boot's own startup time.
	 */
	private static final class Output {

		private static final int TAIL_LINES = 30;

		private final Deque<String> tail = new ArrayDeque<>();

		final CompletableFuture<Double> started = new CompletableFuture<>();

		Output(InputStream stream) {
			Thread reader = new Thread(() -> read(stream), "startup-output");
			reader.setDaemon(true);
			reader.start();
		}

		private void read(InputStream stream) {
			try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
				for (String line = reader.readLine(); line != null; line = reader.readLine()) {
					Matcher matcher = STARTED.matcher(line);
					if (matcher.find()) {
						this.started.complete(Double.parseDouble(matcher.group(1)) * 1000);
					}
					synchronized (this.tail) {
						this.tail.addLast(line);
						if (this.tail.size() > TAIL_LINES) {
							this.tail.removeFirst();
						}
					}
				}
			}
			catch (IOException ex) {
				// The stream closes under us when the process is stopped: nothing more to read.
			}
			finally {
				this.started.complete(Double.NaN);
			}
		}

		double startedMillis(Duration wait) throws InterruptedException {
			try {
				return this.started.get(wait.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				return Double.NaN;
			}
		}

		String tail() {
			synchronized (this.tail) {
				return String.join(System.lineSeparator(), this.tail);
			}
		}

	}

}
