package io.github.updatelock.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

/**
 * A real HTTP server on 127.0.0.1 that answers like the balena Supervisor does: the key
 * checked as the Supervisor's auth middleware checks it (an {@code ApiKey} or
 * {@code Bearer} header or an {@code apikey} query, else a plain-text 401), JSON bodies
 * shaped like {@code GET /v2/applications/state} and {@code GET /v1/device}, and 204 on
 * {@code POST /v1/update} (202 with instant updates off).
 * <p>
 * A test can set the application and device state, replace the answer of a path (a 423
 * body, garbage), hold answers or bodies back to play a slow Supervisor, and count and
 * inspect the requests that reached it.
 */
public final class FakeSupervisor implements AutoCloseable {

	/** The key the server accepts. */
	public static final String KEY = "7f3c1e9a2b4d6f8a0c1e3b5d7f9a1c3e";

	/** The version {@code GET /v2/version} tells unless a test says otherwise: the first that stores device tags. */
	public static final String DEVICE_TAGS_VERSION = "17.8.0";

	/** A tag member of a JSON object: a string key and a string value. */
	private static final Pattern STRING_MEMBER = Pattern
		.compile("\\s*(\"(?:[^\"\\\\]|\\\\.)*\")\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\")\\s*,?");

	/** The release the device runs unless a test says otherwise. */
	public static final String RUNNING_COMMIT = "1111111111111111111111111111111a";

	private final LocalHttpServer server;

	private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();

	private final Map<String, Reply> replies = new ConcurrentHashMap<>();

	private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

	/** Both answers change together, so that no poll sees half of a change. */
	private volatile State state = State.IDLE;

	private volatile boolean instantUpdates = true;

	private volatile String version = DEVICE_TAGS_VERSION;

	/** The tags as the Supervisor stores them: what {@code PATCH /v2/device/tags} set, never deleted. */
	private final Map<String, String> deviceTags = new ConcurrentHashMap<>();

	private volatile CountDownLatch stall;

	private volatile boolean stallBodyOnly;

	private FakeSupervisor() throws IOException {
		this.server = LocalHttpServer.start("fake-supervisor", this::handle);
	}

	/**
	 * Starts a server on a free port, with no application and a device that runs
	 * {@link #RUNNING_COMMIT} with nothing pending.
	 * @return the running server
	 */
	public static FakeSupervisor start() {
		try {
			return new FakeSupervisor();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the fake Supervisor", ex);
		}
	}

	/**
	 * The value for {@code BALENA_SUPERVISOR_ADDRESS}.
	 * @return the base address, such as {@code http://127.0.0.1:41234}
	 */
	public String address() {
		return this.server.address();
	}

	/**
	 * The base address as a URI.
	 * @return {@link #address()} as a URI
	 */
	public URI uri() {
		return URI.create(address());
	}

	/**
	 * One application whose target release is {@code targetCommit} at {@code updateStatus};
	 * the device answer stays as it was.
	 * @param targetCommit the release the Supervisor wants to run, or {@code null}
	 * @param updateStatus the application's {@code updateStatus}, such as {@code downloaded}
	 */
	public void application(String targetCommit, String updateStatus) {
		this.state = new State(applicationJson(targetCommit, updateStatus), this.state.device());
	}

	/**
	 * No application at all: {@code GET /v2/applications/state} answers {@code {}}.
	 */
	public void noApplications() {
		this.state = new State("{}", this.state.device());
	}

	/**
	 * What {@code GET /v1/device} answers; the application answer stays as it was.
	 * @param currentCommit the release the device runs, or {@code null} to leave the field out
	 * @param updatePending the {@code update_pending} flag
	 * @param updateDownloaded the {@code update_downloaded} flag
	 * @param updateFailed the {@code update_failed} flag
	 */
	public void device(String currentCommit, boolean updatePending, boolean updateDownloaded, boolean updateFailed) {
		this.state = new State(this.state.applications(),
				deviceJson(currentCommit, updatePending, updateDownloaded, updateFailed));
	}

	/**
	 * The Supervisor has downloaded {@code targetCommit} and waits on the application's lock
	 * to apply it: the state shows it as {@code downloaded}, the device (still on
	 * {@link #RUNNING_COMMIT}) as pending. Both answers change at once.
	 * @param targetCommit the release it wants to run
	 */
	public void updatePending(String targetCommit) {
		this.state = new State(applicationJson(targetCommit, "downloaded"),
				deviceJson(RUNNING_COMMIT, true, true, false));
	}

	/**
	 * Nothing waits: the running release, {@link #RUNNING_COMMIT}, is the target. Both
	 * answers change at once.
	 */
	public void upToDate() {
		this.state = new State(applicationJson(RUNNING_COMMIT, "done"), deviceJson(RUNNING_COMMIT, false, false, false));
	}

	/**
	 * With instant updates off, the Supervisor acknowledges {@code POST /v1/update} with 202
	 * and does nothing.
	 * @param instantUpdates whether instant updates are on (the default)
	 */
	public void instantUpdates(boolean instantUpdates) {
		this.instantUpdates = instantUpdates;
	}

	/**
	 * What {@code GET /v2/version} answers.
	 * @param version such as {@code 17.8.0}; before 17.8 the Supervisor has no device tags
	 */
	public void version(String version) {
		this.version = version;
	}

	/**
	 * The device tags as the Supervisor stores them after every {@code PATCH /v2/device/tags}.
	 * @return a sorted copy, key to value
	 */
	public Map<String, String> deviceTags() {
		return new TreeMap<>(this.deviceTags);
	}

	/**
	 * How many {@code PATCH /v2/device/tags} requests reached the server: the tag writes.
	 * @return the count
	 */
	public long tagWrites() {
		return this.recorded.stream()
			.filter((request) -> request.method().equals("PATCH") && request.uri().getPath().equals("/v2/device/tags"))
			.count();
	}

	/**
	 * Answers every authorized request to {@code path} with this status and body until
	 * {@link #restore(String)}.
	 * @param path the request path, such as {@code /v1/update}
	 * @param status the status code
	 * @param body the body, sent as JSON when it starts with a brace
	 */
	public void reply(String path, int status, String body) {
		this.replies.put(path, new Reply(status, body));
	}

	/**
	 * Answers {@code path} normally again after {@link #reply(String, int, String)}.
	 * @param path the request path
	 */
	public void restore(String path) {
		this.replies.remove(path);
	}

	/**
	 * Holds every answer back (before its headers) until {@link #releaseStalled()}: a
	 * Supervisor that does not answer in time.
	 */
	public void stallAnswers() {
		this.stallBodyOnly = false;
		this.stall = new CountDownLatch(1);
	}

	/**
	 * Sends the headers and the first byte of each body, then holds the rest back until
	 * {@link #releaseStalled()}: a Supervisor that stops halfway through an answer.
	 */
	public void stallBodies() {
		this.stallBodyOnly = true;
		this.stall = new CountDownLatch(1);
	}

	/**
	 * Lets held-back answers go.
	 */
	public void releaseStalled() {
		CountDownLatch latch = this.stall;
		this.stall = null;
		if (latch != null) {
			latch.countDown();
		}
	}

	/**
	 * Forgets replaced answers, the application and device state and the recorded requests,
	 * and switches instant updates back on, for tests that share one server.
	 */
	public void reset() {
		this.replies.clear();
		this.requestCounts.clear();
		this.recorded.clear();
		this.instantUpdates = true;
		this.version = DEVICE_TAGS_VERSION;
		this.deviceTags.clear();
		this.state = State.IDLE;
		releaseStalled();
	}

	/**
	 * How many requests reached {@code path}, whatever their method or key.
	 * @param path the request path
	 * @return the count
	 */
	public int requests(String path) {
		AtomicInteger count = this.requestCounts.get(path);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * How many requests reached the server at all.
	 * @return the count
	 */
	public int totalRequests() {
		return this.requestCounts.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	/**
	 * The requests that reached the server, oldest first.
	 * @return a snapshot
	 */
	public List<Recorded> recorded() {
		return List.copyOf(this.recorded);
	}

	@Override
	public void close() {
		releaseStalled();
		this.server.close();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.requestCounts.computeIfAbsent(path, (key) -> new AtomicInteger()).incrementAndGet();
			this.recorded.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI(),
					exchange.getRequestHeaders().getFirst("Authorization"),
					exchange.getRequestHeaders().getFirst("Content-Type"), body));
			CountDownLatch latch = this.stall;
			boolean bodyOnly = this.stallBodyOnly;
			if (latch != null && !bodyOnly) {
				LocalHttpServer.awaitRelease(latch);
			}
			Reply reply = answer(exchange, path, body);
			byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders()
				.set("Content-Type",
						reply.body().startsWith("{") ? "application/json; charset=utf-8" : "text/plain; charset=utf-8");
			if (latch != null && bodyOnly && bytes.length > 1) {
				exchange.sendResponseHeaders(reply.status(), bytes.length);
				OutputStream out = exchange.getResponseBody();
				out.write(bytes, 0, 1);
				out.flush();
				LocalHttpServer.awaitRelease(latch);
				out.write(bytes, 1, bytes.length - 1);
				return;
			}
			exchange.sendResponseHeaders(reply.status(), (bytes.length == 0) ? -1 : bytes.length);
			if (bytes.length > 0) {
				exchange.getResponseBody().write(bytes);
			}
		}
	}

	private Reply answer(HttpExchange exchange, String path, String body) {
		// The Supervisor's auth middleware: no valid key, a plain-text 401 and nothing else.
		if (!authorized(exchange)) {
			return new Reply(401, "Unauthorized");
		}
		Reply fixed = this.replies.get(path);
		if (fixed != null) {
			return fixed;
		}
		State current = this.state;
		String call = exchange.getRequestMethod() + " " + path;
		return switch (call) {
			case "GET /v2/applications/state" -> new Reply(200, current.applications());
			case "GET /v1/device" -> new Reply(200, current.device());
			case "POST /v1/update" -> this.instantUpdates ? new Reply(204, "") : new Reply(202, "");
			case "GET /v2/version" -> new Reply(200, "{\"status\":\"success\",\"version\":" + quoted(this.version) + "}");
			case "GET /v2/device/tags" -> new Reply(200, "{\"status\":\"success\",\"tags\":" + tagsJson() + "}");
			case "PATCH /v2/device/tags" -> patchTags(body);
			default -> new Reply(404, "Cannot " + call);
		};
	}

	/** As the Supervisor: a JSON object of string values is stored (202), anything else is refused (400). */
	private Reply patchTags(String body) {
		String inner = body.strip();
		if (!inner.startsWith("{") || !inner.endsWith("}")) {
			return new Reply(400, "{\"status\":\"failed\",\"message\":\"Tags must be an object\"}");
		}
		Map<String, String> tags = new TreeMap<>();
		Matcher member = STRING_MEMBER.matcher(inner.substring(1, inner.length() - 1));
		int end = 0;
		while (member.lookingAt()) {
			tags.put(FakeBalenaApi.unquote(member.group(1)), FakeBalenaApi.unquote(member.group(2)));
			end = member.end();
			member.region(end, member.regionEnd());
		}
		if (!inner.substring(1, inner.length() - 1).substring(end).isBlank()) {
			return new Reply(400, "{\"status\":\"failed\",\"message\":\"Tag values must be strings\"}");
		}
		this.deviceTags.putAll(tags);
		return new Reply(202, "");
	}

	private String tagsJson() {
		StringBuilder json = new StringBuilder("{");
		deviceTags().forEach((key, value) -> json.append((json.length() > 1) ? "," : "").append(quoted(escape(key)))
			.append(':').append(quoted(escape(value))));
		return json.append('}').toString();
	}

	private static String escape(String text) {
		return text.replace("\\", "\\\\").replace("\"", "\\\"");
	}

	/** The Supervisor takes the key from {@code ?apikey=} or from an {@code ApiKey}/{@code Bearer} header. */
	private static boolean authorized(HttpExchange exchange) {
		String query = exchange.getRequestURI().getQuery();
		if (query != null && query.contains("apikey=" + KEY)) {
			return true;
		}
		String header = exchange.getRequestHeaders().getFirst("Authorization");
		return header != null && header.matches("(?i)^(ApiKey|Bearer) " + KEY + "$");
	}

	private static String applicationJson(String targetCommit, String updateStatus) {
		return "{\"myapp\":{\"appId\":1234567,\"appUuid\":\"0123456789abcdef0123456789abcdef\","
				+ "\"commit\":" + quoted(targetCommit) + ",\"updateStatus\":" + quoted(updateStatus)
				+ ",\"services\":{\"main\":{\"status\":\"Running\",\"image\":\"registry2.balena-cloud.com/v2/abc\","
				+ "\"downloadProgress\":null,\"releaseId\":2039758}}}}";
	}

	private static String deviceJson(String commit, boolean updatePending, boolean updateDownloaded,
			boolean updateFailed) {
		return "{\"api_port\":48484,\"ip_address\":\"192.168.1.42 10.114.102.1\",\"os_version\":\"balenaOS 6.0.24\","
				+ "\"mac_address\":\"DE:AD:BE:EF:00:01\",\"supervisor_version\":\"17.0.1\",\"update_pending\":"
				+ updatePending + ",\"update_failed\":" + updateFailed + ",\"update_downloaded\":" + updateDownloaded
				+ ((commit != null) ? ",\"commit\":\"" + commit + "\"" : "")
				+ ",\"status\":\"Idle\",\"download_progress\":null}";
	}

	private static String quoted(String value) {
		return (value != null) ? "\"" + value + "\"" : "null";
	}

	/**
	 * A request that reached the server.
	 *
	 * @param method the HTTP method
	 * @param uri the request URI, path and query
	 * @param authorization the {@code Authorization} header, or {@code null}
	 * @param contentType the {@code Content-Type} header, or {@code null}
	 * @param body the request body, empty when there was none
	 */
	public record Recorded(String method, URI uri, String authorization, String contentType, String body) {
	}

	private record Reply(int status, String body) {
	}

	private record State(String applications, String device) {

		static final State IDLE = new State("{}", deviceJson(RUNNING_COMMIT, false, false, false));

	}

}
