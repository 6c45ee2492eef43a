package io.github.updatelock.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 that answers like the balena Supervisor does: the key
 * checked as the Supervisor's auth middleware checks it (bearer header or {@code apikey}
 * query, else a plain 401), JSON bodies shaped like {@code GET /v2/applications/state} and
 * {@code GET /v1/device}, 204/202 on {@code POST /v1/update}. Tests can replace an answer,
 * hold answers back, and count the requests per path.
 */
final class FakeSupervisor implements AutoCloseable {

	static final String KEY = "7f3c1e9a2b4d6f8a0c1e3b5d7f9a1c3e";

	/** How long a held-back answer waits at most, so that a forgotten release cannot hang the build. */
	private static final long MAX_STALL_SECONDS = 20;

	private final HttpServer server;

	private final ExecutorService executor;

	private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();

	private final Map<String, Reply> replies = new ConcurrentHashMap<>();

	private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

	private volatile String applications = "{}";

	private volatile String device = deviceJson(null, false, false, false);

	private volatile boolean instantUpdates = true;

	private volatile CountDownLatch stall;

	private volatile boolean stallBodyOnly;

	private FakeSupervisor() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "fake-supervisor");
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	static FakeSupervisor start() {
		try {
			return new FakeSupervisor();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the fake Supervisor", ex);
		}
	}

	URI address() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	/** Short timeouts: every test talks to loopback and must stay fast even when it times out. */
	SupervisorApiSettings settings() {
		return SupervisorApiSettings.of(address(), KEY)
			.withConnectTimeout(Duration.ofSeconds(1))
			.withRequestTimeout(Duration.ofSeconds(2));
	}

	int requests(String path) {
		AtomicInteger count = this.requestCounts.get(path);
		return (count != null) ? count.get() : 0;
	}

	int totalRequests() {
		return this.requestCounts.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	List<Recorded> recorded() {
		return List.copyOf(this.recorded);
	}

	/** One application whose target release is {@code targetCommit} at {@code updateStatus}. */
	void application(String targetCommit, String updateStatus) {
		this.applications = "{\"myapp\":{\"appId\":1234567,\"appUuid\":\"0123456789abcdef0123456789abcdef\","
				+ "\"commit\":" + quoted(targetCommit) + ",\"updateStatus\":" + quoted(updateStatus)
				+ ",\"services\":{\"main\":{\"status\":\"Running\",\"image\":\"registry2.balena-cloud.com/v2/abc\","
				+ "\"downloadProgress\":null,\"releaseId\":2039758}}}}";
	}

	void noApplications() {
		this.applications = "{}";
	}

	void device(String currentCommit, boolean updatePending, boolean updateDownloaded, boolean updateFailed) {
		this.device = deviceJson(currentCommit, updatePending, updateDownloaded, updateFailed);
	}

	/** With instant updates off the Supervisor acknowledges {@code POST /v1/update} with 202 and does nothing. */
	void instantUpdates(boolean instantUpdates) {
		this.instantUpdates = instantUpdates;
	}

	/** Answers every request to {@code path} with this status and body until {@link #restore(String)}. */
	void reply(String path, int status, String body) {
		this.replies.put(path, new Reply(status, body));
	}

	void restore(String path) {
		this.replies.remove(path);
	}

	/** Holds every answer back (before its headers) until {@link #releaseStalled()}. */
	void stallAnswers() {
		this.stallBodyOnly = false;
		this.stall = new CountDownLatch(1);
	}

	/** Sends the headers and the first byte of a body, then holds the rest back until {@link #releaseStalled()}. */
	void stallBodies() {
		this.stallBodyOnly = true;
		this.stall = new CountDownLatch(1);
	}

	void releaseStalled() {
		CountDownLatch latch = this.stall;
		this.stall = null;
		if (latch != null) {
			latch.countDown();
		}
	}

	@Override
	public void close() {
		releaseStalled();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String body = readBody(exchange.getRequestBody());
			this.requestCounts.computeIfAbsent(path, (key) -> new AtomicInteger()).incrementAndGet();
			this.recorded.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI(),
					exchange.getRequestHeaders().getFirst("Authorization"),
					exchange.getRequestHeaders().getFirst("Content-Type"), body));
			CountDownLatch latch = this.stall;
			if (latch != null && !this.stallBodyOnly) {
				await(latch);
			}
			Reply reply = answer(exchange, path, body);
			byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type",
					reply.body().startsWith("{") ? "application/json; charset=utf-8" : "text/plain; charset=utf-8");
			if (latch != null && this.stallBodyOnly && bytes.length > 1) {
				exchange.sendResponseHeaders(reply.status(), bytes.length);
				OutputStream out = exchange.getResponseBody();
				out.write(bytes, 0, 1);
				out.flush();
				await(latch);
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
		if (!authorized(exchange)) {
			return new Reply(401, "Unauthorized");
		}
		Reply fixed = this.replies.get(path);
		if (fixed != null) {
			return fixed;
		}
		String method = exchange.getRequestMethod();
		if (method.equals("GET") && path.equals("/v2/applications/state")) {
			return new Reply(200, this.applications);
		}
		if (method.equals("GET") && path.equals("/v1/device")) {
			return new Reply(200, this.device);
		}
		if (method.equals("POST") && path.equals("/v1/update")) {
			return this.instantUpdates ? new Reply(204, "") : new Reply(202, "");
		}
		return new Reply(404, "Cannot " + method + " " + path);
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

	private static void await(CountDownLatch latch) {
		try {
			latch.await(MAX_STALL_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String readBody(InputStream in) throws IOException {
		return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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

	record Reply(int status, String body) {
	}

	record Recorded(String method, URI uri, String authorization, String contentType, String body) {
	}

}
