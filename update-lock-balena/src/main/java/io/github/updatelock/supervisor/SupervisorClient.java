package io.github.updatelock.supervisor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.updatelock.balena.internal.BoundedBodySubscriber;
import io.github.updatelock.balena.internal.LimitedJson;
import tools.jackson.databind.JsonNode;

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

	private static final String APPLICATIONS_STATE = "/v2/applications/state";

	private static final String DEVICE = "/v1/device";

	private static final String UPDATE = "/v1/update";

	private final SupervisorApiSettings settings;

	private final HttpClient http;

	/**
	 * Creates a client.
	 * @param settings where the Supervisor is and how to talk to it
	 */
	public SupervisorClient(SupervisorApiSettings settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
		// HTTP/1.1 because the Supervisor speaks nothing else and an h2c upgrade attempt only adds a round trip.
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.proxy(HttpClient.Builder.NO_PROXY)
			.build();
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
			for (Map.Entry<String, JsonNode> entry : answer.properties()) {
				if (!entry.getValue().isObject()) {
					throw invalid("GET", APPLICATIONS_STATE, 200, null, "application '" + entry.getKey() + "' is "
							+ LimitedJson.describe(entry.getValue()), null);
				}
				applications.add(SupervisorApplication.from(entry.getKey(), entry.getValue()));
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
		return await(exchangeAsync("POST", UPDATE, "{\"force\":true}").thenApply((answer) -> {
			if (answer.status() == 204 || answer.status() == 202) {
				return new SupervisorUpdateAnswer(answer.status(), answer.body());
			}
			throw failure("POST", UPDATE, answer);
		}), "POST", UPDATE);
	}

	@Override
	public String toString() {
		return "SupervisorClient[" + this.settings.address() + "]";
	}

	private CompletableFuture<JsonNode> readObjectAsync(String method, String path) {
		return exchangeAsync(method, path, null).thenApply((answer) -> {
			if (answer.status() != 200) {
				throw failure(method, path, answer);
			}
			try {
				return LimitedJson.readObject(answer.body());
			}
			catch (IllegalArgumentException ex) {
				throw invalid(method, path, answer.status(), answer.body(), ex.getMessage(), null);
			}
		});
	}

	/**
	 * Sends a request; the answer, or a {@link SupervisorApiException}, completes the result
	 * on the HTTP client's threads. When the result fails or is cancelled, the exchange is
	 * cancelled too, so that no connection outlives its deadline or its caller.
	 */
	private CompletableFuture<Answer> exchangeAsync(String method, String path, String jsonBody) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.settings.address() + path))
			.timeout(this.settings.requestTimeout())
			.header("Authorization", "Bearer " + this.settings.apiKey())
			.header("Accept", "application/json");
		if (jsonBody != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		CompletableFuture<HttpResponse<byte[]>> pending = this.http.sendAsync(request.build(),
				(info) -> new BoundedBodySubscriber(MAX_ANSWER_BYTES));
		// The request timeout only covers the wait for the headers: this deadline also bounds a trickling body.
		Duration deadline = this.settings.connectTimeout().plus(this.settings.requestTimeout());
		CompletableFuture<Answer> answer = pending
			.thenApply((response) -> new Answer(response.statusCode(),
					new String(response.body(), StandardCharsets.UTF_8)))
			.orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS)
			.exceptionally((failure) -> {
				Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure;
				if (cause instanceof TimeoutException) {
					throw new SupervisorApiException(SupervisorErrorKind.TIMEOUT, 0, null, describe(method, path)
							+ ": no complete answer within " + deadline.toMillis() + " ms", null);
				}
				throw transportFailure(method, path, cause);
			});
		answer.whenComplete((result, failure) -> {
			if (failure != null) {
				pending.cancel(true);
			}
		});
		return answer;
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

	private SupervisorApiException transportFailure(String method, String path, Throwable cause) {
		String call = describe(method, path);
		if (cause instanceof HttpConnectTimeoutException) {
			return new SupervisorApiException(SupervisorErrorKind.TIMEOUT, 0, null, call + ": no connection within "
					+ this.settings.connectTimeout().toMillis() + " ms", cause);
		}
		if (cause instanceof HttpTimeoutException) {
			return new SupervisorApiException(SupervisorErrorKind.TIMEOUT, 0, null, call + ": no answer within "
					+ this.settings.requestTimeout().toMillis() + " ms", cause);
		}
		if (cause instanceof BoundedBodySubscriber.AnswerTooLargeException) {
			return invalid(method, path, 0, null, cause.getMessage(), cause);
		}
		String reason = (cause instanceof ConnectException) ? "connection refused" : cause.getClass().getSimpleName()
				+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
		return new SupervisorApiException(SupervisorErrorKind.UNREACHABLE, 0, null,
				call + ": cannot reach the Supervisor at " + this.settings.address() + " (" + reason + ")",
				(cause instanceof IOException) ? cause : null);
	}

	private SupervisorApiException failure(String method, String path, Answer answer) {
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

	private SupervisorApiException invalid(String method, String path, int status, String body, String problem,
			Throwable cause) {
		return new SupervisorApiException(SupervisorErrorKind.INVALID_ANSWER, status, body,
				describe(method, path) + ": not the documented answer (" + problem + ")", cause);
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
			JsonNode json = LimitedJson.readObject(body);
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
		return "Supervisor API " + method + " " + path;
	}

	private record Answer(int status, String body) {
	}

}
