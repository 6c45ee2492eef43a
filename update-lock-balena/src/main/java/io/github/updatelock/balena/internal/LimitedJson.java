package io.github.updatelock.balena.internal;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads the small JSON answers of the balena APIs, the Supervisor's and balenaCloud's (RFC
 * 8259, nothing more lenient), into plain Java values, within limits that keep a broken or
 * hostile peer at the API's address from costing more than a glance: nesting at most {@value #MAX_DEPTH} levels,
 * numbers at most {@value #MAX_NUMBER_LENGTH} characters, and no string with a lone
 * surrogate. Anything else, trailing content included, is rejected with an
 * {@link IllegalArgumentException} that gives the offset (in UTF-8 bytes).
 * <p>
 * A value reads as a {@code Map<String, Object>} for an object (in the order of its names;
 * a repeated name keeps its last value), a {@code List<Object>} for an array, a
 * {@link String}, a {@link BigDecimal} for every number (exactly), a {@link Boolean}, or
 * {@link #NULL}; none of them is a Java {@code null}.
 * <p>
 * Only Jackson 3's streaming parser and generator ({@code jackson-core}) are used, not its
 * databind: that needs Jackson 2's {@code jackson-annotations} at a version newer than the one
 * Spring Boot 3.5 manages, and fails to load with the older one.
 * <p>
 * Jackson reads the text as UTF-8 bytes, as it came: its parser for {@code char} input
 * (3.1) takes a non-ASCII character whose low byte is a hex digit for that digit in a
 * <code>&#92;u</code> escape (<code>&#92;u00&#x2163;1</code> reads as <code>&#92;u00c1</code>); the
 * one for bytes does not.
 */
public final class LimitedJson {

	/** Deep enough for any answer of these APIs, shallow enough that garbage cannot exhaust the stack. */
	public static final int MAX_DEPTH = 32;

	/**
	 * The Supervisor and the balenaCloud API are Node.js, whose {@code JSON.stringify} never writes a number longer than
	 * 25 characters (e.g. {@code -1.7976931348623157e+308}); a {@link java.math.BigDecimal}
	 * takes time quadratic in the length to parse (about a second for 256 KiB, far more on armv7).
	 */
	public static final int MAX_NUMBER_LENGTH = 64;

	/** JSON's {@code null}, as read: a value of its own, so that it is not taken for an absent member. */
	public static final Object NULL = JsonNull.NULL;

	// The parser enforces both limits itself, before it reads further; so the recursion of the
	// reading below is never deeper than MAX_DEPTH.
	private static final JsonFactory FACTORY = JsonFactory.builder()
		.streamReadConstraints(StreamReadConstraints.builder()
			.maxNestingDepth(MAX_DEPTH)
			.maxNumberLength(MAX_NUMBER_LENGTH)
			.build())
		.build();

	private LimitedJson() {
	}

	/**
	 * Reads one JSON value that makes up the whole text.
	 * @param text the document
	 * @return the value
	 * @throws IllegalArgumentException if the text is not exactly one JSON value within the limits
	 */
	public static Object read(String text) {
		try (JsonParser parser = FACTORY.createParser(text.getBytes(StandardCharsets.UTF_8))) {
			try {
				JsonToken token = parser.nextToken();
				if (token == null) {
					throw malformed(parser.currentLocation(), "no value");
				}
				Object value = value(parser, token);
				if (parser.nextToken() != null) {
					throw malformed(parser.currentTokenLocation(), "unexpected content after the value");
				}
				return value;
			}
			catch (JacksonException ex) {
				// A limit's exception has no location of its own: the parser stopped where it found the problem.
				TokenStreamLocation location = (ex.getLocation() != null) ? ex.getLocation() : parser.currentLocation();
				throw malformed(location, ex.getOriginalMessage());
			}
		}
	}

	/**
	 * Reads a JSON object that makes up the whole text.
	 * @param text the document
	 * @return the object, name to value in the order of the text
	 * @throws IllegalArgumentException if the text is not exactly one JSON object within the limits
	 */
	public static Map<String, Object> readObject(String text) {
		Object value = read(text);
		Map<String, Object> object = asObject(value);
		if (object == null) {
			throw new IllegalArgumentException("expected a JSON object, found " + describe(value));
		}
		return object;
	}

	/**
	 * Writes a JSON object, such as a request body, with Jackson's escaping.
	 * @param members name to value, in their order; each value a {@link String} or a {@link Long}
	 * @return the JSON text
	 * @throws IllegalArgumentException for a value of another type
	 */
	public static String writeObject(Map<String, ?> members) {
		StringWriter json = new StringWriter();
		try (JsonGenerator generator = FACTORY.createGenerator(json)) {
			generator.writeStartObject();
			members.forEach((name, value) -> {
				if (value instanceof String text) {
					generator.writeStringProperty(name, text);
				}
				else if (value instanceof Long number) {
					generator.writeNumberProperty(name, number);
				}
				else {
					throw new IllegalArgumentException("member '" + name + "' must be a String or a Long, found "
							+ ((value != null) ? value.getClass().getName() : "null"));
				}
			});
			generator.writeEndObject();
		}
		return json.toString();
	}

	/** A string member, or {@code null} when it is absent or not a string. */
	public static @Nullable String string(Map<String, Object> object, String name) {
		return (object.get(name) instanceof String value) ? value : null;
	}

	/** A boolean member; absent or not a boolean reads as {@code false}. */
	public static boolean bool(Map<String, Object> object, String name) {
		return Boolean.TRUE.equals(object.get(name));
	}

	/** A whole-number member, or {@code null} when it is absent, not a number, or out of range. */
	public static @Nullable Long integer(Map<String, Object> object, String name) {
		if (!(object.get(name) instanceof BigDecimal value)) {
			return null;
		}
		try {
			return value.longValueExact();
		}
		catch (ArithmeticException ex) {
			return null;
		}
	}

	/** An object member, or an empty object when it is absent or not an object. */
	public static Map<String, Object> object(Map<String, Object> object, String name) {
		Map<String, Object> value = asObject(object.get(name));
		return (value != null) ? value : Map.of();
	}

	/**
	 * A read value as an object, or {@code null} when it is not one.
	 * @param value a value from {@link #read(String)}, or {@code null} for an absent one
	 * @return the object, name to value
	 */
	@SuppressWarnings("unchecked") // Only object(JsonParser) makes maps here, with names as keys.
	public static @Nullable Map<String, Object> asObject(@Nullable Object value) {
		return (value instanceof Map<?, ?>) ? (Map<String, Object>) value : null;
	}

	/** Names the type of a read value, for messages. */
	public static String describe(Object value) {
		if (value instanceof Map<?, ?>) {
			return "an object";
		}
		if (value instanceof List<?>) {
			return "an array";
		}
		if (value instanceof String) {
			return "a string";
		}
		if (value instanceof Boolean) {
			return "a boolean";
		}
		if (value instanceof BigDecimal) {
			return "a number";
		}
		return (value == NULL) ? "null" : "nothing";
	}

	private static Object value(JsonParser parser, JsonToken token) {
		return switch (token) {
			case START_OBJECT -> object(parser);
			case START_ARRAY -> array(parser);
			case VALUE_STRING -> wholeString(parser);
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> decimal(parser);
			case VALUE_TRUE -> Boolean.TRUE;
			case VALUE_FALSE -> Boolean.FALSE;
			case VALUE_NULL -> NULL;
			default -> throw malformed(parser.currentTokenLocation(), "unexpected " + token);
		};
	}

	private static Map<String, Object> object(JsonParser parser) {
		Map<String, Object> members = new LinkedHashMap<>();
		// The parser allows nothing but a name or the end here, and fails at the end of the text.
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = wholeString(parser);
			members.put(name, value(parser, parser.nextToken()));
		}
		return members;
	}

	private static List<Object> array(JsonParser parser) {
		List<Object> elements = new ArrayList<>();
		JsonToken token;
		while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
			elements.add(value(parser, token));
		}
		return elements;
	}

	/** Only whole surrogate pairs: a lone surrogate is no character, and encoders turn it into '?' or fail. */
	private static String wholeString(JsonParser parser) {
		String text = parser.getString();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw malformed(parser.currentTokenLocation(), (Character.isHighSurrogate(c) ? "lone high surrogate "
						: "lone low surrogate ") + String.format("\\u%04x", (int) c) + " in a string");
			}
		}
		return text;
	}

	/** The grammar is checked and the length bounded; only an exponent beyond the int range fails here. */
	private static BigDecimal decimal(JsonParser parser) {
		try {
			return parser.getDecimalValue();
		}
		catch (NumberFormatException ex) {
			throw malformed(parser.currentTokenLocation(), "number out of range");
		}
	}

	private static IllegalArgumentException malformed(@Nullable TokenStreamLocation location, String problem) {
		String offset = (location != null && location.getByteOffset() >= 0) ? " at offset " + location.getByteOffset()
				: "";
		return new IllegalArgumentException("Malformed JSON" + offset + ": " + problem);
	}

	/** The type of {@link #NULL}: one value, which shows as {@code null}. */
	private enum JsonNull {

		NULL;

		@Override
		public String toString() {
			return "null";
		}

	}

}
