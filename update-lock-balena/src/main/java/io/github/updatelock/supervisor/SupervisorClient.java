package io.github.updatelock.supervisor;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.github.updatelock.balena.internal.JsonHttpExchange;
import io.github.updatelock.balena.internal.LimitedJson;

/**
 * The few Supervisor API calls this library needs, over the JDK's {@link HttpClient}.
 * <p>
 * Every call is bounded by the connect timeout plus the request timeout, body included.
 * The key travels only in the {@code Authorization: Bearer} header (never in a URL) and no
 * proxy is ever used, since the Supervisor is on this device. Failures are thrown as
 * {@link SupervisorApiException}s whose messages name the call but never the key.
 * Instances are thread-safe; one per application is enough.
 */
public final class SupervisorClient {

	/** Far above any real answer: the Supervisor's JSON for a large multi-container app is a few KiB. */
	static final int MAX_ANSWER_BYTES = 256 * 1024;

	private static final int MAX_MESSAGE_DETAIL = 200;

	private static final String API = "Supervisor API";

	private static final String APPLICATIONS_STATE = "/v2/applications/state";

	private static final String DEVICE = "/v1/device";

	private static final String UPDATE = "/v1/update";

	private static final String VERSION = "/v2/version";

	private static final String DEVICE_TAGS = "/v2/device/tags";

	private final SupervisorApiSettings settings;

	private final JsonHttpExchange exchange;

	/**
	 * Creates a client.
	 * @param settings where the Supervisor is and how to talk to it
	 */
	public SupervisorClient(SupervisorApiSettings settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
		// HTTP/1.1 because the Supervisor speaks nothing else and an h2c upgrade attempt only adds a round trip.
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.proxy(HttpClient.Builder.NO_PROXY)
			.build();
		this.exchange = new JsonHttpExchange(http, API, "the Supervisor", settings.address(), settings.apiKey(),
				settings.requestTimeout(), MAX_ANSWER_BYTES, SupervisorClient::transportFailure);
	}

	/**
	 * The settings this client uses.
	 * @return the settings
	 */
	public SupervisorApiSettings settings() {
		return this.settings;
	}

	/**
	 * {@code GET /v2/applications/state}: the applications the key may see, with the release
	 * the Supervisor targets and how far the update to it is.
	 * @return the applications in the order of the answer
	 * @throws SupervisorApiException if the call fails or the answer is not the documented JSON
	 */
	public List<SupervisorApplication> applicationsState() {
		return await(applicationsStateAsync(), "GET", APPLICATIONS_STATE);
	}

	/**
	 * {@link #applicationsState()} without waiting: the answer is read on the HTTP client's
	 * threads, so that a poll does not block the thread that started it.
	 * @return the applications, or a {@link SupervisorApiException} as the failure
	 */
	CompletableFuture<List<SupervisorApplication>> applicationsStateAsync() {
		return readObjectAsync("GET", APPLICATIONS_STATE).thenApply((answer) -> {
			List<SupervisorApplication> applications = new ArrayList<>();
			for (Map.Entry<String, Object> entry : answer.entrySet()) {
				Map<String, Object> application = LimitedJson.asObject(entry.getValue());
				if (application == null) {
					throw invalid("GET", APPLICATIONS_STATE, 200, null, "application '" + entry.getKey() + "' is "
							+ LimitedJson.describe(entry.getValue()));
				}
				applications.add(SupervisorApplication.from(entry.getKey(), application));
			}
			return List.copyOf(applications);
		});
	}

	/**
	 * {@code GET /v1/device}: the running release and the update flags.
	 * @return the device state
	 * @throws SupervisorApiException if the call fails or the answer is not the documented JSON
	 */
	public SupervisorDeviceState device() {
		return await(deviceAsync(), "GET", DEVICE);
	}

	/**
	 * {@link #device()} without waiting.
	 * @return the device state, or a {@link SupervisorApiException} as the failure
	 */
	CompletableFuture<SupervisorDeviceState> deviceAsync() {
		return readObjectAsync("GET", DEVICE).thenApply(SupervisorDeviceState::from);
	}

	/**
	 * {@code POST /v1/update} with {@code {"force": true}}: asks the Supervisor to fetch its
	 * target state and apply it now, <strong>overriding every update lock</strong>, this
	 * process's included (the lock is then reported lost).
	 * @return the answer: {@code 204} triggered, {@code 202} ignored
	 * @throws SupervisorApiException for any other answer (with its status and body) or no answer
	 */
	public SupervisorUpdateAnswer forceUpdate() {
		return await(this.exchange.send("POST", UPDATE, "{\"force\":true}").thenApply((answer) -> {
			if (answer.status() == 204 || answer.status() == 202) {
				return new SupervisorUpdateAnswer(answer.status(), answer.body());
			}
			throw failure("POST", UPDATE, answer);
		}), "POST", UPDATE);
	}

	/**
	 * {@code GET /v2/version}: which Supervisor this is, and so which calls it has.
	 * @return the version, or a {@link SupervisorApiException} as the failure
	 */
	public CompletableFuture<SupervisorVersion> versionAsync() {
		return readObjectAsync("GET", VERSION).thenApply((answer) -> {
			// The version goes into log lines: what is not version-shaped is refused, and never shown.
			String version = LimitedJson.string(answer, "version");
			if (version == null) {
				throw invalid("GET", VERSION, 200, null, "no string 'version'");
			}
			try {
				return SupervisorVersion.parse(version);
			}
			catch (IllegalArgumentException ex) {
				throw invalid("GET", VERSION, 200, null, "no version of digits, letters and .+_-");
			}
		});
	}

	/**
	 * {@code PATCH /v2/device/tags} (Supervisor 17.8 and later): sets these device tags. The
	 * Supervisor stores them, reports them to balenaCloud when online and retries on its own;
	 * tags left out are kept as they are, and none is ever deleted.
	 * @param tags key to value; keys without whitespace
	 * @return a future that completes once the Supervisor accepted the tags (HTTP 202), or
	 * fails with a {@link SupervisorApiException}; cancelling it cancels the request
	 */
	public CompletableFuture<Void> setDeviceTagsAsync(Map<String, String> tags) {
		Objects.requireNonNull(tags, "tags");
		CompletableFuture<JsonHttpExchange.Answer> sent = this.exchange.send("PATCH", DEVICE_TAGS,
				LimitedJson.writeObject(tags));
		return JsonHttpExchange.cancelling(sent.thenApply((answer) -> {
			if (answer.status() < 200 || answer.status() > 299) {
				throw failure("PATCH", DEVICE_TAGS, answer);
			}
			return null;
		}), sent);
	}

	@Override
	public String toString() {
		return "SupervisorClient[" + this.settings.address() + "]";
	}

	private CompletableFuture<Map<String, Object>> readObjectAsync(String method, String path) {
		return this.exchange.send(method, path, null).thenApply((answer) -> {
			if (answer.status() != 200) {
				throw failure(method, path, answer);
			}
			try {
				return LimitedJson.readObject(answer.body());
			}
			catch (IllegalArgumentException ex) {
				throw invalid(method, path, answer.status(), answer.body(), ex.getMessage());
			}
		});
	}

	/** Waits for an answer on the caller's thread, as the blocking calls do. */
	private static <T> T await(CompletableFuture<T> answer, String method, String path) {
		try {
			return answer.get();
		}
		catch (InterruptedException ex) {
			answer.cancel(true);
			Thread.currentThread().interrupt();
			throw new SupervisorApiException(SupervisorErrorKind.INTERRUPTED, 0, null,
					describe(method, path) + ": interrupted while waiting for the answer", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	/** The kind a call that got no answer is of: a body over the limit is no documented answer. */
	private static SupervisorApiException transportFailure(JsonHttpExchange.TransportFailure failure) {
		SupervisorErrorKind kind = switch (failure.problem()) {
			case CONNECT_TIMEOUT, REQUEST_TIMEOUT, DEADLINE -> SupervisorErrorKind.TIMEOUT;
			case ANSWER_TOO_LARGE -> SupervisorErrorKind.INVALID_ANSWER;
			case UNREACHABLE -> SupervisorErrorKind.UNREACHABLE;
		};
		return new SupervisorApiException(kind, 0, null, failure.message(), failure.cause());
	}

	private SupervisorApiException failure(String method, String path, JsonHttpExchange.Answer answer) {
		String call = describe(method, path);
		int status = answer.status();
		if (status == 401) {
			return new SupervisorApiException(SupervisorErrorKind.UNAUTHORIZED, status, answer.body(), call
					+ ": the Supervisor refused the API key (HTTP 401); the service needs the label "
					+ "io.balena.features.supervisor-api and the key it injects", null);
		}
		String detail = supervisorMessage(answer.body());
		if (status == 423) {
			return new SupervisorApiException(SupervisorErrorKind.LOCKED, status, answer.body(),
					call + ": refused by an update lock (HTTP 423)" + (detail.isEmpty() ? "" : ": " + detail), null);
		}
		return new SupervisorApiException(SupervisorErrorKind.REJECTED, status, answer.body(),
				call + ": unexpected answer HTTP " + status + (detail.isEmpty() ? "" : ": " + detail), null);
	}

	private static SupervisorApiException invalid(String method, String path, int status, String body,
			String problem) {
		return new SupervisorApiException(SupervisorErrorKind.INVALID_ANSWER, status, body,
				describe(method, path) + ": not the documented answer (" + problem + ")", null);
	}

	/**
	 * The message out of the two error bodies the Supervisor sends ({@code {"status":
	 * "failed", "message": ...}} and {@code {"Data": "", "Error": ...}}), or the start of the
	 * body as text.
	 */
	static String supervisorMessage(String body) {
		if (body == null || body.isBlank()) {
			return "";
		}
		try {
			Map<String, Object> json = LimitedJson.readObject(body);
			String message = LimitedJson.string(json, "message");
			if (message == null) {
				message = LimitedJson.string(json, "Error");
			}
			if (message != null) {
				return shorten(message);
			}
		}
		catch (IllegalArgumentException ex) {
			// Not JSON (e.g. "Unauthorized" or a proxy's HTML page): show the text itself.
		}
		return shorten(body);
	}

	private static String shorten(String text) {
		String oneLine = text.strip().replaceAll("[\\s\\p{Cntrl}]+", " ");
		return (oneLine.length() <= MAX_MESSAGE_DETAIL) ? oneLine : oneLine.substring(0, MAX_MESSAGE_DETAIL) + "...";
	}

	private static String describe(String method, String path) {
		return API + " " + method + " " + path;
	}

}
