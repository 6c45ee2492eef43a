package io.github.updatelock.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 that answers the calls the starter makes like the balena
 * Supervisor does: {@code GET /v2/applications/state} and {@code GET /v1/device} with the
 * Supervisor's JSON shapes, {@code POST /v1/update} with 204 (or 202 with instant updates
 * off), and a plain {@code 401 Unauthorized} for a wrong key. A test can replace the answer
 * of a path (a 423 body, garbage) and hold answers back to play a slow Supervisor.
 * <p>
 * The core module has a fuller one for the client's own tests; this one is the part the
 * Spring tests need, since test classes do not cross modules.
 */
public final class FakeSupervisor implements AutoCloseable {

	/** The key the server accepts. */
	public static final String KEY = "3d1f0c5a9b7e4c2a8f6d0b1e3c5a7f9d";

	/** The release the device runs. */
	public static final String RUNNING_COMMIT = "1111111111111111111111111111111a";

	/** A held-back answer waits at most this long, so that a forgotten release cannot hang the build. */
	private static final long MAX_STALL_SECONDS = 20;

	private final HttpServer server;

	private final ExecutorService executor;

	private final Map<String, Reply> replies = new ConcurrentHashMap<>();

	private final List<String> requests = new CopyOnWriteArrayList<>();

	/** Both answers change together, so that no poll sees half of a change. */
	private volatile State state = State.IDLE;

	private volatile boolean instantUpdates = true;

	private volatile CountDownLatch stall;

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

	/**
	 * Starts a server on a free port.
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
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * The Supervisor has downloaded {@code targetCommit} and waits on the application's lock
	 * to apply it: the state shows it as {@code downloaded}, the device as pending.
	 * @param targetCommit the release it wants to run
	 */
	public void updatePending(String targetCommit) {
		this.state = new State(applicationJson(targetCommit, "downloaded"), deviceJson(RUNNING_COMMIT, true));
	}

	/**
	 * Nothing waits: the running release is the target.
	 */
	public void upToDate() {
		this.state = new State(applicationJson(RUNNING_COMMIT, "done"), deviceJson(RUNNING_COMMIT, false));
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
	 * Answers every authorized request to {@code path} with this status and body.
	 * @param path the request path, such as {@code /v1/update}
	 * @param status the status code
	 * @param body the body, sent as JSON when it starts with a brace
	 */
	public void reply(String path, int status, String body) {
		this.replies.put(path, new Reply(status, body));
	}

	/**
	 * Forgets replaced answers, pending updates and counted requests and switches instant
	 * updates back on, for tests that share one server.
	 */
	public void reset() {
		this.replies.clear();
		this.requests.clear();
		this.instantUpdates = true;
		this.state = State.IDLE;
		releaseStalled();
	}

	/**
	 * Holds every answer back until {@link #releaseStalled()}: a Supervisor that does not answer in time.
	 */
	public void stallAnswers() {
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
	 * How many requests reached {@code path}.
	 * @param path the request path
	 * @return the count
	 */
	public long requests(String path) {
		return this.requests.stream().filter(path::equals).count();
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
			exchange.getRequestBody().readAllBytes();
			this.requests.add(path);
			CountDownLatch latch = this.stall;
			if (latch != null) {
				try {
					latch.await(MAX_STALL_SECONDS, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			Reply reply = answer(exchange, path);
			byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders()
				.set("Content-Type", reply.body().startsWith("{") ? "application/json" : "text/plain; charset=utf-8");
			exchange.sendResponseHeaders(reply.status(), (body.length == 0) ? -1 : body.length);
			if (body.length > 0) {
				exchange.getResponseBody().write(body);
			}
		}
	}

	private Reply answer(HttpExchange exchange, String path) {
		// The Supervisor's auth middleware: no valid key, a plain-text 401 and nothing else.
		if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
			return new Reply(401, "Unauthorized");
		}
		Reply fixed = this.replies.get(path);
		if (fixed != null) {
			return fixed;
		}
		String call = exchange.getRequestMethod() + " " + path;
		return switch (call) {
			case "GET /v2/applications/state" -> new Reply(200, this.state.applications());
			case "GET /v1/device" -> new Reply(200, this.state.device());
			case "POST /v1/update" -> this.instantUpdates ? new Reply(204, "") : new Reply(202, "");
			default -> new Reply(404, "Cannot " + call);
		};
	}

	private static String applicationJson(String commit, String updateStatus) {
		return "{\"main-app\":{\"appId\":1658654,\"commit\":\"" + commit + "\",\"updateStatus\":\"" + updateStatus
				+ "\",\"services\":{\"worker\":{\"status\":\"Running\",\"releaseId\":2931125,"
				+ "\"downloadProgress\":null}}}}";
	}

	private static String deviceJson(String commit, boolean updatePending) {
		return "{\"api_port\":48484,\"commit\":\"" + commit + "\",\"ip_address\":\"10.0.0.23\",\"status\":\"Idle\","
				+ "\"download_progress\":null,\"os_version\":\"balenaOS 6.5.9\",\"supervisor_version\":\"17.1.3\","
				+ "\"update_pending\":" + updatePending + ",\"update_downloaded\":" + updatePending
				+ ",\"update_failed\":false}";
	}

	private record Reply(int status, String body) {
	}

	private record State(String applications, String device) {

		static final State IDLE = new State("{}", deviceJson(RUNNING_COMMIT, false));

	}

}
