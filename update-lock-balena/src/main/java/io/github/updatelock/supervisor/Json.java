package io.github.updatelock.supervisor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader for the small JSON answers of the Supervisor (RFC 8259), so that the core
 * needs no JSON library. Objects become {@link Map}s in document order, arrays
 * {@link List}s, numbers {@link BigDecimal}s, and {@code null} {@code null}; a repeated
 * name keeps its last value. Anything else, including trailing content, a number longer
 * than {@value #MAX_NUMBER_LENGTH} characters and an escaped lone surrogate, is rejected
 * with an {@link IllegalArgumentException} that gives the offset.
 */
final class Json {

	/** Deep enough for any Supervisor answer, shallow enough that garbage cannot exhaust the stack. */
	static final int MAX_DEPTH = 32;

	/**
	 * The Supervisor is Node.js, whose {@code JSON.stringify} never writes a number longer than
	 * 25 characters (e.g. {@code -1.7976931348623157e+308}); {@link BigDecimal}'s parse takes
	 * time quadratic in the length (about a second for 256 KiB, far more on armv7).
	 */
	static final int MAX_NUMBER_LENGTH = 64;

	private final String text;

	private int position;

	private Json(String text) {
		this.text = text;
	}

	/**
	 * Reads one JSON value that makes up the whole text.
	 * @param text the document
	 * @return the value
	 * @throws IllegalArgumentException if the text is not exactly one JSON value
	 */
	static Object parse(String text) {
		Json reader = new Json(text);
		reader.skipWhitespace();
		Object value = reader.readValue(0);
		reader.skipWhitespace();
		if (reader.position != text.length()) {
			throw reader.error("unexpected content after the value");
		}
		return value;
	}

	/**
	 * Reads a JSON object that makes up the whole text.
	 * @param text the document
	 * @return its members
	 * @throws IllegalArgumentException if the text is not exactly one JSON object
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> parseObject(String text) {
		Object value = parse(text);
		if (!(value instanceof Map)) {
			throw new IllegalArgumentException("expected a JSON object, found " + describe(value));
		}
		return (Map<String, Object>) value;
	}

	/**
	 * A string member, or {@code null} when it is absent or not a string.
	 */
	static String string(Map<String, Object> object, String name) {
		return (object.get(name) instanceof String value) ? value : null;
	}

	/**
	 * A boolean member; absent or not a boolean reads as {@code false}.
	 */
	static boolean bool(Map<String, Object> object, String name) {
		return Boolean.TRUE.equals(object.get(name));
	}

	/**
	 * A whole-number member, or {@code null} when it is absent, not a number, or out of range.
	 */
	static Long integer(Map<String, Object> object, String name) {
		if (object.get(name) instanceof BigDecimal value) {
			try {
				return value.longValueExact();
			}
			catch (ArithmeticException ex) {
				return null;
			}
		}
		return null;
	}

	/**
	 * An object member, or an empty map when it is absent or not an object.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> object(Map<String, Object> object, String name) {
		return (object.get(name) instanceof Map<?, ?> value) ? (Map<String, Object>) value : Map.of();
	}

	/** Names the type of a parsed value, for messages. */
	static String describe(Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof Map) {
			return "an object";
		}
		if (value instanceof List) {
			return "an array";
		}
		if (value instanceof String) {
			return "a string";
		}
		return (value instanceof Boolean) ? "a boolean" : "a number";
	}

	private Object readValue(int depth) {
		if (depth >= MAX_DEPTH) {
			throw error("nested deeper than " + MAX_DEPTH + " levels");
		}
		if (this.position >= this.text.length()) {
			throw error("unexpected end of input");
		}
		char c = this.text.charAt(this.position);
		return switch (c) {
			case '{' -> readObject(depth);
			case '[' -> readArray(depth);
			case '"' -> readString();
			case 't' -> readLiteral("true", Boolean.TRUE);
			case 'f' -> readLiteral("false", Boolean.FALSE);
			case 'n' -> readLiteral("null", null);
			default -> {
				if (c == '-' || (c >= '0' && c <= '9')) {
					yield readNumber();
				}
				throw error("unexpected character '" + printable(c) + "'");
			}
		};
	}

	private Map<String, Object> readObject(int depth) {
		this.position++;
		Map<String, Object> members = new LinkedHashMap<>();
		skipWhitespace();
		if (consume('}')) {
			return Collections.unmodifiableMap(members);
		}
		while (true) {
			skipWhitespace();
			if (!peek('"')) {
				throw error("expected a member name");
			}
			String name = readString();
			skipWhitespace();
			expect(':');
			skipWhitespace();
			members.put(name, readValue(depth + 1));
			skipWhitespace();
			if (consume('}')) {
				return Collections.unmodifiableMap(members);
			}
			expect(',');
		}
	}

	private List<Object> readArray(int depth) {
		this.position++;
		List<Object> elements = new ArrayList<>();
		skipWhitespace();
		if (consume(']')) {
			return Collections.unmodifiableList(elements);
		}
		while (true) {
			skipWhitespace();
			elements.add(readValue(depth + 1));
			skipWhitespace();
			if (consume(']')) {
				return Collections.unmodifiableList(elements);
			}
			expect(',');
		}
	}

	private String readString() {
		this.position++;
		StringBuilder result = new StringBuilder();
		while (true) {
			if (this.position >= this.text.length()) {
				throw error("unterminated string");
			}
			char c = this.text.charAt(this.position++);
			if (c == '"') {
				return result.toString();
			}
			if (c < 0x20) {
				this.position--;
				throw error("control character in string");
			}
			if (c != '\\') {
				result.append(c);
				continue;
			}
			if (this.position >= this.text.length()) {
				throw error("unterminated escape");
			}
			char escaped = this.text.charAt(this.position++);
			switch (escaped) {
				case '"', '\\', '/' -> result.append(escaped);
				case 'b' -> result.append('\b');
				case 'f' -> result.append('\f');
				case 'n' -> result.append('\n');
				case 'r' -> result.append('\r');
				case 't' -> result.append('\t');
				case 'u' -> readUnicodeEscape(result);
				default -> {
					this.position--;
					throw error("invalid escape '\\" + printable(escaped) + "'");
				}
			}
		}
	}

	/** Only whole surrogate pairs: a lone surrogate is no character, and encoders turn it into '?' or fail. */
	private void readUnicodeEscape(StringBuilder result) {
		int start = this.position - 2;
		char c = readHexCharacter();
		if (Character.isLowSurrogate(c)) {
			this.position = start;
			throw error("lone low surrogate " + escape(c));
		}
		if (Character.isHighSurrogate(c)) {
			if (!this.text.startsWith("\\u", this.position)) {
				this.position = start;
				throw error("high surrogate " + escape(c) + " not followed by a low surrogate escape");
			}
			this.position += 2;
			char next = readHexCharacter();
			if (!Character.isLowSurrogate(next)) {
				this.position = start;
				throw error("high surrogate " + escape(c) + " not followed by a low surrogate escape");
			}
			result.append(c);
			c = next;
		}
		result.append(c);
	}

	private char readHexCharacter() {
		if (this.position + 4 > this.text.length()) {
			throw error("truncated \\u escape");
		}
		int value = 0;
		for (int i = 0; i < 4; i++) {
			int digit = hexDigit(this.text.charAt(this.position));
			if (digit < 0) {
				throw error("invalid \\u escape");
			}
			value = value * 16 + digit;
			this.position++;
		}
		return (char) value;
	}

	/** ASCII only: {@link Character#digit(char, int)} would take fullwidth and other Unicode digits too. */
	private static int hexDigit(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		return (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
	}

	private BigDecimal readNumber() {
		int start = this.position;
		consume('-');
		if (consume('0')) {
			if (peekDigit()) {
				throw error("leading zero in number");
			}
		}
		else {
			requireDigits();
		}
		if (consume('.')) {
			requireDigits();
		}
		if (consume('e') || consume('E')) {
			if (!consume('+')) {
				consume('-');
			}
			requireDigits();
		}
		if (this.position - start > MAX_NUMBER_LENGTH) {
			this.position = start;
			throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
		}
		try {
			return new BigDecimal(this.text.substring(start, this.position));
		}
		catch (NumberFormatException ex) {
			// Only an exponent beyond the int range gets here: the grammar was checked above.
			this.position = start;
			throw error("number out of range");
		}
	}

	private void requireDigits() {
		if (!peekDigit()) {
			throw error("expected a digit");
		}
		while (peekDigit()) {
			this.position++;
		}
	}

	private Object readLiteral(String literal, Object value) {
		if (!this.text.startsWith(literal, this.position)) {
			throw error("unexpected character '" + printable(this.text.charAt(this.position)) + "'");
		}
		this.position += literal.length();
		return value;
	}

	private void skipWhitespace() {
		while (this.position < this.text.length()) {
			char c = this.text.charAt(this.position);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			this.position++;
		}
	}

	private boolean peek(char expected) {
		return this.position < this.text.length() && this.text.charAt(this.position) == expected;
	}

	private boolean peekDigit() {
		if (this.position >= this.text.length()) {
			return false;
		}
		char c = this.text.charAt(this.position);
		return c >= '0' && c <= '9';
	}

	private boolean consume(char expected) {
		if (peek(expected)) {
			this.position++;
			return true;
		}
		return false;
	}

	private void expect(char expected) {
		if (!consume(expected)) {
			throw (this.position >= this.text.length()) ? error("unexpected end of input")
					: error("expected '" + expected + "'");
		}
	}

	private IllegalArgumentException error(String problem) {
		return new IllegalArgumentException("Malformed JSON at offset " + this.position + ": " + problem);
	}

	private static String escape(char c) {
		return String.format("\\u%04x", (int) c);
	}

	private static String printable(char c) {
		return (c < 0x20 || c == 0x7f) ? escape(c) : String.valueOf(c);
	}

}
