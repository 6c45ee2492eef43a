package io.github.updatelock.fleet;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.github.updatelock.balena.internal.JsonHttpExchange;
import io.github.updatelock.balena.internal.LimitedJson;
import org.jspecify.annotations.Nullable;

/**
 * The few balenaCloud API calls that device tags need, over the JDK's {@link HttpClient}:
 * the API is Pine.js, an OData service, at version {@code v7}.
 * <p>
 * Tags are written create-or-update, as the API has no upsert:
 * <ul>
 * <li>a tag this client is told exists is updated with {@code PATCH
 * /v7/device_tag(device=ID,tag_key='KEY')} and {@code {"value": ...}};</li>
 * <li>any other tag is created with {@code POST /v7/device_tag} and {@code {"device": ID,
 * "tag_key": ..., "value": ...}}; when the API answers 409 (the pair of device and key is
 * unique, so the tag is there already, e.g. left by an earlier run) it is updated with the
 * {@code PATCH} above.</li>
 * </ul>
 * A {@code PATCH} of a tag that someone deleted meanwhile matches nothing and still succeeds;
 * the caller learns nothing of it, which is why only tags written by this process count as
 * existing. Keys go into the path as OData string literals: a {@code '} is doubled and the
 * literal percent-encoded.
 * <p>
 * Every call is bounded by the connect timeout plus the request timeout, body included, and
 * answers by {@value #MAX_ANSWER_BYTES} bytes. The key travels only in the
 * {@code Authorization: Bearer} header. Calls never block: each returns a future that fails
 * with a {@link BalenaApiException} whose message names the call but never the key.
 * Instances are thread-safe.
 */
public final class BalenaApiClient {

	/** Far above any answer these calls get: a device id, or the tag just written. */
	static final int MAX_ANSWER_BYTES = 64 * 1024;

	/** The longest {@code Retry-After} taken as it is: a longer one is cut to this. */
	public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

	private static final String API = "balenaCloud API";

	private static final String DEVICE_TAG = "/v7/device_tag";

	private final BalenaApiSettings settings;

	private final Clock clock;

	private final JsonHttpExchange exchange;

	/**
	 * Creates a client.
	 * @param settings where the API is and how to talk to it
	 */
	public BalenaApiClient(BalenaApiSettings settings) {
		this(settings, Clock.systemUTC());
	}

	/**
	 * Creates a client.
	 * @param settings where the API is and how to talk to it
	 * @param clock the clock that turns a {@code Retry-After} date into a wait
	 */
	public BalenaApiClient(BalenaApiSettings settings, Clock clock) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.clock = Objects.requireNonNull(clock, "clock");
		// The API is remote, so the JVM's proxy settings apply; a redirect would carry the key elsewhere.
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(settings.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.proxy(ProxySelector.getDefault())
			.build();
		this.exchange = new JsonHttpExchange(http, API, "the balenaCloud API", settings.apiUrl(), settings.apiKey(),
				settings.requestTimeout(), MAX_ANSWER_BYTES, BalenaApiClient::transportFailure);
	}

	/**
	 * The settings this client uses.
	 * @return the settings
	 */
	public BalenaApiSettings settings() {
		return this.settings;
	}

	/**
	 * {@code GET /v7/device(uuid='UUID')?$select=id}: the id of this device, which the tag
	 * calls need.
	 * @return the id, or a {@link BalenaApiException} as the failure
	 * ({@link BalenaErrorKind#DEVICE_NOT_FOUND} when the answer is empty or 404)
	 */
	public CompletableFuture<Long> resolveDeviceId() {
		String path = "/v7/device(uuid=" + literal(this.settings.deviceUuid()) + ")?$select=id";
		return this.exchange.send("GET", path, null).thenApply((answer) -> {
			if (answer.status() == 404) {
				throw deviceNotFound(path, 404);
			}
			if (answer.status() != 200) {
				throw failure("GET", path, answer);
			}
			Object d;
			try {
				d = LimitedJson.readObject(answer.body()).get("d");
			}
			catch (IllegalArgumentException ex) {
				throw invalid("GET", path, answer.status(), ex.getMessage());
			}
			if (!(d instanceof List<?> devices)) {
				throw invalid("GET", path, answer.status(), "no array 'd'");
			}
			if (devices.isEmpty()) {
				throw deviceNotFound(path, 200);
			}
			Map<String, Object> device = LimitedJson.asObject(devices.get(0));
			Long id = (device != null) ? LimitedJson.integer(device, "id") : null;
			if (id == null || id <= 0) {
				throw invalid("GET", path, answer.status(), "no positive whole number 'id' in d[0]");
			}
			return id;
		});
	}

	/**
	 * Creates or updates a device tag (see the class description for the protocol).
	 * @param deviceId the device, from {@link #resolveDeviceId()}
	 * @param key the tag key
	 * @param value the tag value
	 * @param exists whether this process knows the tag to exist, so that it is updated
	 * directly
	 * @return a future that completes when the tag is written, or fails with a {@link BalenaApiException}
	 */
	public CompletableFuture<Void> setTag(long deviceId, String key, String value, boolean exists) {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(value, "value");
		if (exists) {
			return patchTag(deviceId, key, value);
		}
		Map<String, Object> tag = new LinkedHashMap<>();
		tag.put("device", deviceId);
		tag.put("tag_key", key);
		tag.put("value", value);
		String body = LimitedJson.writeObject(tag);
		return this.exchange.send("POST", DEVICE_TAG, body).thenCompose((answer) -> {
			if (answer.status() == 409) {
				return patchTag(deviceId, key, value);
			}
			if (!isSuccess(answer.status())) {
				throw failure("POST", DEVICE_TAG, answer);
			}
			return CompletableFuture.completedFuture(null);
		});
	}

	/**
	 * {@code DELETE /v7/device_tag(device=ID,tag_key='KEY')}; a tag that is not there (HTTP
	 * 404) counts as removed.
	 * @param deviceId the device, from {@link #resolveDeviceId()}
	 * @param key the tag key
	 * @return a future that completes when the tag is gone, or fails with a {@link BalenaApiException}
	 */
	public CompletableFuture<Void> removeTag(long deviceId, String key) {
		String path = tagPath(deviceId, key);
		return this.exchange.send("DELETE", path, null).thenApply((answer) -> {
			if (!isSuccess(answer.status()) && answer.status() != 404) {
				throw failure("DELETE", path, answer);
			}
			return null;
		});
	}

	@Override
	public String toString() {
		return "BalenaApiClient[" + this.settings.apiUrl() + ", device " + this.settings.deviceUuid() + "]";
	}

	private CompletableFuture<Void> patchTag(long deviceId, String key, String value) {
		String path = tagPath(deviceId, key);
		String body = LimitedJson.writeObject(Map.of("value", value));
		return this.exchange.send("PATCH", path, body).thenApply((answer) -> {
			if (!isSuccess(answer.status())) {
				throw failure("PATCH", path, answer);
			}
			return null;
		});
	}

	private static String tagPath(long deviceId, String key) {
		return DEVICE_TAG + "(device=" + deviceId + ",tag_key=" + literal(key) + ")";
	}

	/**
	 * An OData string literal, percent-encoded for a path: every byte but the unreserved ones
	 * of RFC 3986 is encoded, so the key cannot end the literal or the path.
	 */
	static String literal(String value) {
		String quoted = value.replace("'", "''");
		StringBuilder encoded = new StringBuilder("'");
		for (byte b : quoted.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~') {
				encoded.append((char) c);
			}
			else {
				encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
			}
		}
		return encoded.append("'").toString();
	}

	private static boolean isSuccess(int status) {
		return status >= 200 && status < 300;
	}

	/** The kind a call that got no answer is of: a body over the limit is no documented answer. */
	private static BalenaApiException transportFailure(JsonHttpExchange.TransportFailure failure) {
		BalenaErrorKind kind = switch (failure.problem()) {
			case CONNECT_TIMEOUT, REQUEST_TIMEOUT, DEADLINE -> BalenaErrorKind.TIMEOUT;
			case ANSWER_TOO_LARGE -> BalenaErrorKind.INVALID_ANSWER;
			case UNREACHABLE -> BalenaErrorKind.UNREACHABLE;
		};
		return new BalenaApiException(kind, 0, null, failure.message(), failure.cause());
	}

	private BalenaApiException failure(String method, String path, JsonHttpExchange.Answer answer) {
		String call = describe(method, path);
		int status = answer.status();
		if (status == 401 || status == 403) {
			return new BalenaApiException(BalenaErrorKind.UNAUTHORIZED, status, null, call
					+ ": the API refused the device key (HTTP " + status + "); the service needs the label "
					+ "io.balena.features.balena-api and the key it injects", null);
		}
		if (status == 429) {
			Duration retryAfter = retryAfter(answer.headers().firstValue("Retry-After").orElse(null));
			return new BalenaApiException(BalenaErrorKind.RATE_LIMITED, status, retryAfter, call
					+ ": too many requests (HTTP 429)"
					+ ((retryAfter != null) ? ", retry after " + retryAfter.toSeconds() + " s" : ""), null);
		}
		if (status >= 500) {
			return new BalenaApiException(BalenaErrorKind.SERVER_ERROR, status, null,
					call + ": server error HTTP " + status + detail(answer.body()), null);
		}
		return new BalenaApiException(BalenaErrorKind.REJECTED, status, null,
				call + ": unexpected answer HTTP " + status + detail(answer.body()), null);
	}

	private BalenaApiException deviceNotFound(String path, int status) {
		return new BalenaApiException(BalenaErrorKind.DEVICE_NOT_FOUND, status, null, describe("GET", path)
				+ ": the API knows no device " + this.settings.deviceUuid() + " (HTTP " + status
				+ ((status == 200) ? ", empty answer" : "") + ")", null);
	}

	private static BalenaApiException invalid(String method, String path, int status, String problem) {
		return new BalenaApiException(BalenaErrorKind.INVALID_ANSWER, status, null,
				describe(method, path) + ": not the documented answer (" + problem + ")", null);
	}

	/**
	 * {@code Retry-After} as seconds or as an HTTP date, never below zero nor above
	 * {@link #MAX_RETRY_AFTER}; {@code null} when absent or unreadable.
	 */
	@Nullable Duration retryAfter(@Nullable String header) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String value = header.trim();
		Duration wait;
		if (value.chars().allMatch(Character::isDigit)) {
			// More digits than a long holds is still "a long time".
			wait = (value.length() > 9) ? MAX_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(value));
		}
		else {
			try {
				Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				wait = Duration.between(this.clock.instant(), at);
			}
			catch (DateTimeParseException ex) {
				return null;
			}
		}
		if (wait.isNegative()) {
			return Duration.ZERO;
		}
		return (wait.compareTo(MAX_RETRY_AFTER) > 0) ? MAX_RETRY_AFTER : wait;
	}

	/** Pine's error bodies are short text, such as "Unique key constraint violated". */
	private static String detail(String body) {
		String oneLine = body.strip().replaceAll("[\\s\\p{Cntrl}]+", " ");
		if (oneLine.isEmpty()) {
			return "";
		}
		return ": " + ((oneLine.length() <= 200) ? oneLine : oneLine.substring(0, 200) + "...");
	}

	private static String describe(String method, String path) {
		return API + " " + method + " " + path;
	}

}
