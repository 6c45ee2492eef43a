package io.github.updatelock.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

/**
 * A real HTTP server on 127.0.0.1 that answers like the balenaCloud API (Pine.js, OData
 * {@code v7}) answers a device key: the device lookup {@code GET
 * /v7/device(uuid='UUID')?$select=id} ({@code {"d":[{"id":ID}]}}, or {@code {"d":[]}} for
 * an unknown uuid, or 404 if asked to), and the device tags: {@code POST /v7/device_tag}
 * (201, or 409 when the device already has the key), {@code PATCH} and {@code DELETE} of
 * {@code /v7/device_tag(device=ID,tag_key='KEY')} (200 {@code OK}; a {@code PATCH} that
 * matches nothing changes nothing and still answers 200, as Pine does; a {@code DELETE} of a
 * missing tag answers 404). A request without {@code Authorization: Bearer KEY} gets a 401.
 * <p>
 * The tags are kept in a map, so a test asserts what the dashboard would show. A test can
 * also answer every request with a fixed reply (a 429 with {@code Retry-After}, a 500,
 * garbage), hold answers back to play a slow API, and inspect the requests that reached it.
 */
public final class FakeBalenaApi implements AutoCloseable {

	/** The device key the server accepts. */
	public static final String KEY = "d3v1c3K3yAbCdEf0123456789xYz";

	/** The uuid of the one device the server knows. */
	public static final String DEVICE_UUID = "0123456789abcdef0123456789abcdef";

	/** That device's id. */
	public static final long DEVICE_ID = 4242;

	private static final Pattern DEVICE_LOOKUP = Pattern.compile("/v7/device\\(uuid='([^']*)'\\)");

	private static final Pattern TAG = Pattern.compile("/v7/device_tag\\(device=(\\d+),tag_key='((?:[^']|'')*)'\\)");

	private static final Pattern NEW_TAG = Pattern
		.compile("\\{\"device\":(\\d+),\"tag_key\":(\"(?:[^\"\\\\]|\\\\.)*\"),\"value\":(\"(?:[^\"\\\\]|\\\\.)*\")}");

	private static final Pattern VALUE = Pattern.compile("\\{\"value\":(\"(?:[^\"\\\\]|\\\\.)*\")}");

	private final LocalHttpServer server;

	private final Clock clock;

	private final Map<String, String> tags = new ConcurrentHashMap<>();

	private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

	private final AtomicReference<Reply> fixedReply = new AtomicReference<>();

	private volatile boolean unknownDeviceAs404;

	private volatile CountDownLatch stall;

	private FakeBalenaApi(Clock clock) throws IOException {
		this.clock = clock;
		this.server = LocalHttpServer.start("fake-balena-api", this::handle);
	}

	/**
	 * Starts a server on a free port that knows the device {@link #DEVICE_UUID}, without tags.
	 * @return the running server
	 */
	public static FakeBalenaApi start() {
		return start(Clock.systemUTC());
	}

	/**
	 * Starts a server whose recorded requests carry the time of {@code clock}.
	 * @param clock the clock of the test, such as a {@link MutableClock}
	 * @return the running server
	 */
	public static FakeBalenaApi start(Clock clock) {
		try {
			return new FakeBalenaApi(clock);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the fake balenaCloud API", ex);
		}
	}

	/**
	 * The base address as a URI, the value for {@code BALENA_API_URL}.
	 * @return such as {@code http://127.0.0.1:41234}
	 */
	public URI uri() {
		return URI.create(this.server.address());
	}

	/**
	 * The device's tags as the dashboard would show them now.
	 * @return key to value, sorted by key
	 */
	public Map<String, String> tags() {
		return new TreeMap<>(this.tags);
	}

	/**
	 * Sets a tag as if someone (or an earlier run) had set it.
	 * @param key the key
	 * @param value the value
	 */
	public void tag(String key, String value) {
		this.tags.put(key, value);
	}

	/**
	 * Answers the lookup of an unknown uuid with 404 instead of an empty {@code d}.
	 * @param unknownDeviceAs404 whether to answer 404
	 */
	public void unknownDeviceAs404(boolean unknownDeviceAs404) {
		this.unknownDeviceAs404 = unknownDeviceAs404;
	}

	/**
	 * Answers every authorized request with this reply until {@link #restore()}.
	 * @param status the status code
	 * @param body the body, sent as JSON when it starts with a brace
	 * @param retryAfter the {@code Retry-After} header, or {@code null} for none
	 */
	public void reply(int status, String body, String retryAfter) {
		this.fixedReply.set(new Reply(status, body, retryAfter));
	}

	/**
	 * Answers normally again after {@link #reply(int, String, String)}.
	 */
	public void restore() {
		this.fixedReply.set(null);
	}

	/**
	 * Holds every answer back (before its headers) until {@link #releaseStalled()}: an API
	 * that does not answer in time. The request is recorded when it arrives.
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
	 * The requests that reached the server, oldest first.
	 * @return a snapshot
	 */
	public List<Recorded> recorded() {
		return List.copyOf(this.recorded);
	}

	/**
	 * How many requests tried to set or remove the tag {@code key} ({@code POST}, {@code PATCH}
	 * or {@code DELETE}), whatever their answer.
	 * @param key the tag key
	 * @return the count
	 */
	public long writes(String key) {
		return this.recorded.stream().filter((request) -> key.equals(request.tagKey())).count();
	}

	@Override
	public void close() {
		releaseStalled();
		this.server.close();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String method = exchange.getRequestMethod();
			String path = exchange.getRequestURI().getPath();
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.recorded.add(new Recorded(method, path, exchange.getRequestURI().getRawQuery(), body,
					tagKeyOf(path, body), this.clock.instant()));
			CountDownLatch latch = this.stall;
			if (latch != null) {
				LocalHttpServer.awaitRelease(latch);
			}
			Reply reply = answer(exchange, method, path, body);
			byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders()
				.set("Content-Type",
						reply.body().startsWith("{") ? "application/json; charset=utf-8" : "text/plain; charset=utf-8");
			if (reply.retryAfter() != null) {
				exchange.getResponseHeaders().set("Retry-After", reply.retryAfter());
			}
			exchange.sendResponseHeaders(reply.status(), (bytes.length == 0) ? -1 : bytes.length);
			if (bytes.length > 0) {
				exchange.getResponseBody().write(bytes);
			}
		}
	}

	private Reply answer(HttpExchange exchange, String method, String path, String body) {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (!("Bearer " + KEY).equals(authorization)) {
			return new Reply(401, "Unauthorized", null);
		}
		Reply fixed = this.fixedReply.get();
		if (fixed != null) {
			return fixed;
		}
		Matcher lookup = DEVICE_LOOKUP.matcher(path);
		if (method.equals("GET") && lookup.matches()) {
			if (DEVICE_UUID.equals(lookup.group(1))) {
				return new Reply(200, "{\"d\":[{\"id\":" + DEVICE_ID + "}]}", null);
			}
			return this.unknownDeviceAs404 ? new Reply(404, "Not Found", null) : new Reply(200, "{\"d\":[]}", null);
		}
		if (method.equals("POST") && path.equals("/v7/device_tag")) {
			Matcher created = NEW_TAG.matcher(body);
			if (!created.matches() || Long.parseLong(created.group(1)) != DEVICE_ID) {
				return new Reply(400, "Bad Request", null);
			}
			String key = unquote(created.group(2));
			if (this.tags.putIfAbsent(key, unquote(created.group(3))) != null) {
				return new Reply(409, "Unique key constraint violated", null);
			}
			return new Reply(201, "{\"id\":" + Math.abs(key.hashCode()) + ",\"tag_key\":" + created.group(2)
					+ ",\"value\":" + created.group(3) + "}", null);
		}
		Matcher tag = TAG.matcher(path);
		if (tag.matches() && Long.parseLong(tag.group(1)) == DEVICE_ID) {
			String key = tag.group(2).replace("''", "'");
			if (method.equals("PATCH")) {
				Matcher value = VALUE.matcher(body);
				if (!value.matches()) {
					return new Reply(400, "Bad Request", null);
				}
				this.tags.computeIfPresent(key, (k, old) -> unquote(value.group(1)));
				return new Reply(200, "OK", null);
			}
			if (method.equals("DELETE")) {
				return (this.tags.remove(key) != null) ? new Reply(200, "OK", null) : new Reply(404, "Not Found", null);
			}
		}
		return new Reply(404, "Not Found", null);
	}

	private static String tagKeyOf(String path, String body) {
		Matcher tag = TAG.matcher(path);
		if (tag.matches()) {
			return tag.group(2).replace("''", "'");
		}
		Matcher created = NEW_TAG.matcher(body);
		return created.matches() ? unquote(created.group(2)) : null;
	}

	/** A JSON string literal's text: enough JSON for what a client sends. */
	static String unquote(String literal) {
		StringBuilder text = new StringBuilder();
		for (int i = 1; i < literal.length() - 1; i++) {
			char c = literal.charAt(i);
			if (c != '\\') {
				text.append(c);
				continue;
			}
			char escaped = literal.charAt(++i);
			switch (escaped) {
				case 'n' -> text.append('\n');
				case 't' -> text.append('\t');
				case 'r' -> text.append('\r');
				case 'b' -> text.append('\b');
				case 'f' -> text.append('\f');
				case 'u' -> {
					text.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
					i += 4;
				}
				default -> text.append(escaped);
			}
		}
		return text.toString();
	}

	/**
	 * A request that reached the server.
	 *
	 * @param method the HTTP method
	 * @param path the request path, percent-decoded
	 * @param query the raw query, or {@code null}
	 * @param body the request body, empty when there was none
	 * @param tagKey the tag the request sets or removes, or {@code null} for other requests
	 * @param at when it arrived, on the server's clock
	 */
	public record Recorded(String method, String path, String query, String body, String tagKey, Instant at) {
	}

	private record Reply(int status, String body, String retryAfter) {
	}

}
