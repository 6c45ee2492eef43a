package io.github.updatelock.balena.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the small JSON answers of the balena APIs, the Supervisor's and balenaCloud's (RFC
 * 8259, nothing more lenient), into Jackson trees, within limits that keep a broken or
 * hostile peer at the API's address from costing more than a glance: nesting at most {@value #MAX_DEPTH} levels,
 * numbers at most {@value #MAX_NUMBER_LENGTH} characters, and no string with a lone
 * surrogate. Anything else, trailing content included, is rejected with an
 * {@link IllegalArgumentException} that gives the offset (in UTF-8 bytes). A repeated name
 * keeps its last value; fractions are read as {@link java.math.BigDecimal}s, exactly.
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

	private static final JsonMapper MAPPER = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxNestingDepth(MAX_DEPTH)
				.maxNumberLength(MAX_NUMBER_LENGTH)
				.build())
			.build())
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private LimitedJson() {
	}

	/**
	 * Reads one JSON value that makes up the whole text.
	 * @param text the document
	 * @return the value
	 * @throws IllegalArgumentException if the text is not exactly one JSON value within the limits
	 */
	public static JsonNode read(String text) {
		// Jackson keeps lone surrogates and reads huge exponents only when asked: a first pass over
		// the tokens checks what it lets through, with the offset, before the tree is built.
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		try (JsonParser parser = MAPPER.createParser(utf8)) {
			checkTokens(parser);
		}
		try {
			return MAPPER.readTree(utf8);
		}
		catch (JacksonException ex) {
			throw malformed(ex.getLocation(), ex.getOriginalMessage());
		}
	}

	/**
	 * Reads a JSON object that makes up the whole text.
	 * @param text the document
	 * @return the object
	 * @throws IllegalArgumentException if the text is not exactly one JSON object within the limits
	 */
	public static JsonNode readObject(String text) {
		JsonNode value = read(text);
		if (!value.isObject()) {
			throw new IllegalArgumentException("expected a JSON object, found " + describe(value));
		}
		return value;
	}

	/**
	 * Writes a JSON object of string members, such as a request body of tags.
	 * @param members name to value, in their order
	 * @return the JSON text
	 */
	public static String objectOfStrings(Map<String, String> members) {
		return MAPPER.writeValueAsString(members);
	}

	/** A string member, or {@code null} when it is absent or not a string. */
	public static @Nullable String string(JsonNode object, String name) {
		JsonNode value = object.get(name);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	/** A boolean member; absent or not a boolean reads as {@code false}. */
	public static boolean bool(JsonNode object, String name) {
		JsonNode value = object.get(name);
		return value != null && value.isBoolean() && value.booleanValue();
	}

	/** A whole-number member, or {@code null} when it is absent, not a number, or out of range. */
	public static @Nullable Long integer(JsonNode object, String name) {
		JsonNode value = object.get(name);
		if (value == null || !value.isNumber()) {
			return null;
		}
		try {
			return value.decimalValue().longValueExact();
		}
		catch (ArithmeticException ex) {
			return null;
		}
	}

	/** An object member, or an empty object when it is absent or not an object. */
	public static JsonNode object(JsonNode object, String name) {
		JsonNode value = object.get(name);
		return (value != null && value.isObject()) ? value : MAPPER.createObjectNode();
	}

	/** Names the type of a read value, for messages. */
	public static String describe(JsonNode value) {
		return switch (value.getNodeType()) {
			case OBJECT -> "an object";
			case ARRAY -> "an array";
			case STRING -> "a string";
			case BOOLEAN -> "a boolean";
			case NUMBER -> "a number";
			case NULL -> "null";
			default -> "nothing";
		};
	}

	private static void checkTokens(JsonParser parser) {
		try {
			JsonToken token = parser.nextToken();
			if (token == null) {
				throw malformed(parser.currentLocation(), "no value");
			}
			int depth = 0;
			while (true) {
				switch (token) {
					case START_OBJECT, START_ARRAY -> depth++;
					case END_OBJECT, END_ARRAY -> depth--;
					case PROPERTY_NAME, VALUE_STRING -> requireWholeSurrogatePairs(parser);
					case VALUE_NUMBER_FLOAT -> requireDecimalInRange(parser);
					default -> {
					}
				}
				if (depth == 0) {
					break;
				}
				token = parser.nextToken();
			}
			if (parser.nextToken() != null) {
				throw malformed(parser.currentTokenLocation(), "unexpected content after the value");
			}
		}
		catch (JacksonException ex) {
			// A limit's exception has no location of its own: the parser stopped where it found the problem.
			TokenStreamLocation location = (ex.getLocation() != null) ? ex.getLocation() : parser.currentLocation();
			throw malformed(location, ex.getOriginalMessage());
		}
	}

	/** Only whole surrogate pairs: a lone surrogate is no character, and encoders turn it into '?' or fail. */
	private static void requireWholeSurrogatePairs(JsonParser parser) {
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
	}

	/** The grammar is checked and the length bounded; only an exponent beyond the int range fails here. */
	private static void requireDecimalInRange(JsonParser parser) {
		try {
			parser.getDecimalValue();
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

}
