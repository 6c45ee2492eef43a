package io.github.updatelock.balena.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One call to a balena API as both clients make it, so that the rules that keep a call
 * safe and bounded are written once: the key only in the {@code Authorization: Bearer}
 * header, a JSON body if any, an answer of at most a given size, and a deadline of the
 * connect timeout plus the request timeout for the whole answer, body included (the
 * request timeout alone only covers the wait for the headers, so a trickling body would
 * otherwise hold the call open without end).
 * <p>
 * What differs between the APIs stays with their clients: the {@link HttpClient} (its
 * HTTP version and proxy), what an answer means, and the exception a failed call throws.
 * A call that gets no answer is classified once, as a {@link TransportFailure}, which the
 * client turns into its own exception; its message names the call and the API's address but
 * never the key. Instances are thread-safe.
 */
public final class JsonHttpExchange {

	private final HttpClient http;

	private final String api;

	private final String peer;

	private final URI address;

	private final String apiKey;

	private final Duration connectTimeout;

	private final Duration requestTimeout;

	private final int maxAnswerBytes;

	private final Function<TransportFailure, ? extends RuntimeException> failures;

	/**
	 * Creates an exchange.
	 * @param http the client to send with; its connect timeout is the one the deadline counts
	 * @param api the API's name that starts every message, such as "Supervisor API"
	 * @param peer what cannot be reached when no connection is made, such as "the Supervisor"
	 * @param address the API's address, to which each call's path is appended
	 * @param apiKey the key, sent as a bearer token
	 * @param requestTimeout the longest wait for the answer's headers
	 * @param maxAnswerBytes the largest body accepted
	 * @param failures turns a call that got no answer into the client's own exception
	 */
	public JsonHttpExchange(HttpClient http, String api, String peer, URI address, String apiKey,
			Duration requestTimeout, int maxAnswerBytes, Function<TransportFailure, ? extends RuntimeException> failures) {
		this.http = Objects.requireNonNull(http, "http");
		this.connectTimeout = http.connectTimeout()
			.orElseThrow(() -> new IllegalArgumentException("http must have a connect timeout"));
		this.api = Objects.requireNonNull(api, "api");
		this.peer = Objects.requireNonNull(peer, "peer");
		this.address = Objects.requireNonNull(address, "address");
		this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
		this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
		this.maxAnswerBytes = maxAnswerBytes;
		this.failures = Objects.requireNonNull(failures, "failures");
	}

	/**
	 * Sends a request; the answer, whatever its status, or the client's exception for a
	 * {@link TransportFailure} completes the result on the HTTP client's threads. When the
	 * result fails or is cancelled, the exchange is cancelled too, so that no connection
	 * outlives its deadline or its caller.
	 * @param method the HTTP method
	 * @param path the path (and query) after the address
	 * @param jsonBody the JSON to send, or {@code null} for none
	 * @return the answer
	 */
	public CompletableFuture<Answer> send(String method, String path, @Nullable String jsonBody) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.address + path))
			.timeout(this.requestTimeout)
			.header("Authorization", "Bearer " + this.apiKey)
			.header("Accept", "application/json");
		if (jsonBody != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		CompletableFuture<HttpResponse<byte[]>> pending = this.http.sendAsync(request.build(),
				(info) -> new BoundedBodySubscriber(this.maxAnswerBytes));
		Duration deadline = this.connectTimeout.plus(this.requestTimeout);
		CompletableFuture<Answer> answer = pending
			.thenApply((response) -> new Answer(response.statusCode(),
					new String(response.body(), StandardCharsets.UTF_8), response.headers()))
			.orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS)
			.exceptionally((failure) -> {
				Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure;
				throw this.failures.apply(classify(method, path, cause, deadline));
			});
		answer.whenComplete((result, failure) -> {
			if (failure != null) {
				pending.cancel(true);
			}
		});
		return answer;
	}

	/**
	 * A future made from a call's answer that ends the call when it fails, is cancelled or
	 * times out ({@code orTimeout}): a future derived with {@code thenApply} and the like does
	 * not pass any of these back on its own.
	 * @param <T> the result type
	 * @param derived the future made from the call's answer
	 * @param call the future {@link #send} returned
	 * @return {@code derived}
	 */
	public static <T> CompletableFuture<T> cancelling(CompletableFuture<T> derived, CompletableFuture<?> call) {
		derived.whenComplete((result, failure) -> {
			if (failure != null) {
				call.cancel(true);
			}
		});
		return derived;
	}

	private TransportFailure classify(String method, String path, Throwable cause, Duration deadline) {
		String call = this.api + " " + method + " " + path;
		if (cause instanceof TimeoutException) {
			return new TransportFailure(Problem.DEADLINE,
					call + ": no complete answer within " + deadline.toMillis() + " ms", null);
		}
		if (cause instanceof HttpConnectTimeoutException) {
			return new TransportFailure(Problem.CONNECT_TIMEOUT,
					call + ": no connection within " + this.connectTimeout.toMillis() + " ms", cause);
		}
		if (cause instanceof HttpTimeoutException) {
			return new TransportFailure(Problem.REQUEST_TIMEOUT,
					call + ": no answer within " + this.requestTimeout.toMillis() + " ms", cause);
		}
		if (cause instanceof BoundedBodySubscriber.AnswerTooLargeException) {
			return new TransportFailure(Problem.ANSWER_TOO_LARGE,
					call + ": not the documented answer (" + cause.getMessage() + ")", cause);
		}
		String reason = (cause instanceof ConnectException) ? "connection refused"
				: cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
		return new TransportFailure(Problem.UNREACHABLE,
				call + ": cannot reach " + this.peer + " at " + this.address + " (" + reason + ")",
				(cause instanceof IOException) ? cause : null);
	}

	/**
	 * An answer, whatever its status.
	 * @param status the HTTP status
	 * @param body the body, read as UTF-8
	 * @param headers the headers, for the few a client reads (such as {@code Retry-After})
	 */
	public record Answer(int status, String body, HttpHeaders headers) {
	}

	/**
	 * A call that got no complete answer.
	 * @param problem what went wrong
	 * @param message what went wrong for a person, naming the call but never the key
	 * @param cause the exception behind it, or {@code null} where it adds nothing
	 */
	public record TransportFailure(Problem problem, String message, @Nullable Throwable cause) {
	}

	/**
	 * What kept a call from a complete answer.
	 */
	public enum Problem {

		/** No connection within the connect timeout. */
		CONNECT_TIMEOUT,

		/** No answer's headers within the request timeout. */
		REQUEST_TIMEOUT,

		/** No complete answer, body included, within the connect timeout plus the request timeout. */
		DEADLINE,

		/** A body larger than the exchange accepts. */
		ANSWER_TOO_LARGE,

		/** The connection was refused or broke, or the request could not be sent. */
		UNREACHABLE

	}

}
