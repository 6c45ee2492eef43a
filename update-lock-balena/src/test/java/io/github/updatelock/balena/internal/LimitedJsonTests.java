package io.github.updatelock.balena.internal;

import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JsonParser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LimitedJsonTests {

	@Test
	void readsTheDocumentedDeviceAnswer() {
		Map<String, Object> device = LimitedJson.readObject("{\"api_port\":48484,"
				+ "\"ip_address\":\"192.168.0.114 10.42.0.3\","
				+ "\"commit\":\"414e65cd378a69a96f403b75f14b40b55856f860\",\"status\":\"Downloading\","
				+ "\"download_progress\":84,\"os_version\":\"balenaOS 6.0.0\",\"supervisor_version\":\"17.0.0\","
				+ "\"update_pending\":true,\"update_downloaded\":false,\"update_failed\":false}");
		assertThat(LimitedJson.integer(device, "api_port")).isEqualTo(48484L);
		assertThat(LimitedJson.string(device, "commit")).isEqualTo("414e65cd378a69a96f403b75f14b40b55856f860");
		assertThat(LimitedJson.bool(device, "update_pending")).isTrue();
		assertThat(LimitedJson.bool(device, "update_downloaded")).isFalse();
		assertThat(device.keySet()).startsWith("api_port", "ip_address", "commit");
	}

	@Test
	void readsNestingArraysLiteralsAndWhitespace() {
		Map<String, Object> value = LimitedJson.readObject(
				" {\n\t\"a\" : [ 1 , -2.5e3 , 0.25E-1 , true , false , null , { } , [ ] ] , \"b\":{\"c\":\"d\"}}\r\n");
		assertThat(value.get("a")).isEqualTo(List.of(new BigDecimal("1"), new BigDecimal("-2.5e3"),
				new BigDecimal("0.25E-1"), true, false, LimitedJson.NULL, Map.of(), List.of()));
		assertThat(LimitedJson.describe(((List<?>) value.get("a")).get(5))).isEqualTo("null");
		assertThat(LimitedJson.string(LimitedJson.object(value, "b"), "c")).isEqualTo("d");
	}

	@Test
	void decodesEscapes() {
		assertThat(LimitedJson.read("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC \\ud83d\\ude00\""))
			.isEqualTo("q\" b\\ s/ \b\f\n\r\t \u00e9\u20ac \ud83d\ude00");
	}

	@Test
	void repeatedNameKeepsTheLastValue() {
		Map<String, Object> object = LimitedJson.readObject("{\"a\":1,\"a\":2}");
		assertThat(LimitedJson.integer(object, "a")).isEqualTo(2L);
		assertThat(object.size()).isEqualTo(1);
	}

	@Test
	void membersOfAnotherTypeReadAsAbsent() {
		Map<String, Object> object = LimitedJson.readObject(
				"{\"s\":7,\"b\":\"yes\",\"fraction\":12.5,\"whole\":84.0,\"huge\":" + "9".repeat(30) + ",\"o\":[]}");
		assertThat(LimitedJson.string(object, "s")).isNull();
		assertThat(LimitedJson.bool(object, "b")).isFalse();
		assertThat(LimitedJson.integer(object, "fraction")).isNull();
		assertThat(LimitedJson.integer(object, "whole")).isEqualTo(84L);
		assertThat(LimitedJson.integer(object, "huge")).isNull();
		assertThat(LimitedJson.integer(object, "missing")).isNull();
		assertThat(LimitedJson.object(object, "o")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "<html>502 Bad Gateway</html>", "OK", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
			"[1,]", "[1 2]", "{a:1}", "{'a':1}", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12zz\"",
			"\"tab\tinside\"", "01", "-", "1.", "1e", "+1", ".5", "tru", "nul", "NaN", "{} {}", "{\"a\":1}x", "[]]",
			"/* comment */ {}", "{\"a\":1} // comment" })
	void rejectsMalformedText(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read(text))
			.withMessageStartingWith("Malformed JSON at offset ");
	}

	@Test
	void errorGivesTheOffset() {
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("{\"a\":1,}"))
			.withMessageStartingWith("Malformed JSON at offset 7: ")
			.withMessageContaining("was expecting double-quote to start property name");
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("{} {}"))
			.withMessage("Malformed JSON at offset 3: unexpected content after the value");
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("  "))
			.withMessage("Malformed JSON at offset 2: no value");
	}

	@Test
	void deepNestingIsRefusedBeforeTheStackRunsOut() {
		String deep = "[".repeat(LimitedJson.MAX_DEPTH + 1) + "]".repeat(LimitedJson.MAX_DEPTH + 1);
		String fine = "[".repeat(LimitedJson.MAX_DEPTH) + "]".repeat(LimitedJson.MAX_DEPTH);
		assertThat(LimitedJson.read(fine)).isInstanceOf(List.class);
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read(deep))
			.withMessage("Malformed JSON at offset " + (LimitedJson.MAX_DEPTH + 1) + ": Document nesting depth ("
					+ (LimitedJson.MAX_DEPTH + 1) + ") exceeds the maximum allowed (" + LimitedJson.MAX_DEPTH
					+ ", from `StreamReadConstraints.getMaxNestingDepth()`)");
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("[".repeat(100_000)))
			.withMessageContaining("Document nesting depth (" + (LimitedJson.MAX_DEPTH + 1) + ") exceeds");
	}

	@Test
	void numbersUpToTheCapAreRead() {
		String longest = "-0." + "1".repeat(LimitedJson.MAX_NUMBER_LENGTH - 3);
		assertThat(LimitedJson.read(longest)).isEqualTo(new BigDecimal(longest));
		assertThat(LimitedJson.read("-1.7976931348623157e+308"))
			.isEqualTo(new BigDecimal("-1.7976931348623157e+308"));
		String longestWhole = "1".repeat(LimitedJson.MAX_NUMBER_LENGTH);
		assertThat(LimitedJson.read(longestWhole)).isEqualTo(new BigDecimal(longestWhole));
	}

	@Test
	void numberLongerThanTheCapIsRefused() {
		String tooLong = "1".repeat(LimitedJson.MAX_NUMBER_LENGTH + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("[" + tooLong + "]"))
			.withMessageStartingWith("Malformed JSON at offset ")
			.withMessageContaining("Number value length (" + (LimitedJson.MAX_NUMBER_LENGTH + 1)
					+ ") exceeds the maximum allowed (" + LimitedJson.MAX_NUMBER_LENGTH);
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("1".repeat(256 * 1024)))
			.withMessageContaining("Number value length (262144) exceeds the maximum allowed ("
					+ LimitedJson.MAX_NUMBER_LENGTH);
		String longFraction = "0." + "1".repeat(LimitedJson.MAX_NUMBER_LENGTH * 1000);
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("{\"a\":" + longFraction + "}"))
			.withMessageContaining("exceeds the maximum allowed (" + LimitedJson.MAX_NUMBER_LENGTH);
	}

	@Test
	void exponentBeyondWhatANumberCanHoldIsAParseError() {
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("{\"a\":1e9999999999}"))
			.withMessage("Malformed JSON at offset 5: number out of range");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\uff10", "\u0660", "\uff21", "\u00b2", "\u2163" })
	void unicodeEscapeTakesOnlyAsciiHexDigits(String otherDigit) {
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("\"\\u00" + otherDigit + "1\""))
			.withMessageStartingWith("Malformed JSON at offset 5: ")
			.withMessageContaining("expected a hex-digit for character escape sequence");
	}

	@Test
	void unicodeEscapeTakesBothCasesOfHexDigits() {
		assertThat(LimitedJson.read("\"\\u00aF\\u00Af\"")).isEqualTo("\u00af\u00af");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"\\ud83d\"", "\"\\ud83dx\"", "\"\\ud83d\\n\"", "\"\\ud83d\\u0041\"", "\"\\ud83d\\ud83d\"",
			"\"\\ude00\"", "\"\\ude00\\ud83d\"" })
	void loneSurrogateEscapeIsRefused(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read(text))
			.withMessageMatching(
					"Malformed JSON at offset 0: lone (high|low) surrogate \\\\u[0-9a-f]{4} in a string");
	}

	@Test
	void loneSurrogateMessagesNameTheEscapeAndTheString() {
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("[\"\\uD83D\"]"))
			.withMessage("Malformed JSON at offset 1: lone high surrogate \\ud83d in a string");
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("{\"ok\": \"x\\uDE00\"}"))
			.withMessage("Malformed JSON at offset 7: lone low surrogate \\ude00 in a string");
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.read("{\"\\uDE00\": 1}"))
			.withMessageMatching("Malformed JSON at offset \\d+: .*low surrogate.*");
	}

	@Test
	void objectIsRequiredWhereAnObjectIsExpected() {
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.readObject("[]"))
			.withMessage("expected a JSON object, found an array");
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.readObject("null"))
			.withMessage("expected a JSON object, found null");
	}

	@Test
	void writesStringsEscapedAndLongsAsNumbersInTheGivenOrder() {
		Map<String, Object> members = new LinkedHashMap<>();
		members.put("device", 4242L);
		members.put("tag_key", "say \"hi\"\\\n\u0001");
		assertThat(LimitedJson.writeObject(members))
			.isEqualTo("{\"device\":4242,\"tag_key\":\"say \\\"hi\\\"\\\\\\n\\u0001\"}");
		assertThat(LimitedJson.readObject(LimitedJson.writeObject(members)))
			.containsEntry("tag_key", members.get("tag_key"));
	}

	@Test
	void refusesToWriteAValueItCannotWriteNamingTheMember() {
		assertThatIllegalArgumentException().isThrownBy(() -> LimitedJson.writeObject(Map.of("device", 4242)))
			.withMessage("member 'device' must be a String or a Long, found java.lang.Integer");
	}

	/**
	 * Spring Boot 3.5 manages Jackson 2's jackson-annotations at 2.19, older than Jackson 3's databind needs, which
	 * then fails to load; so nothing of Jackson but its streaming core may be needed.
	 */
	@Test
	void readsAndWritesWithJacksonCoreAlone() throws Exception {
		URL[] classPath = { codeSource(LimitedJson.class), codeSource(JsonParser.class) };
		try (URLClassLoader loader = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader())) {
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> loader.loadClass("com.fasterxml.jackson.annotation.JsonInclude"));
			Class<?> limitedJson = loader.loadClass(LimitedJson.class.getName());
			Object device = limitedJson.getMethod("readObject", String.class)
				.invoke(null, "{\"update_pending\":true,\"download_progress\":84}");
			assertThat(device).isEqualTo(Map.of("update_pending", true, "download_progress", new BigDecimal(84)));
			assertThat(limitedJson.getMethod("writeObject", Map.class).invoke(null, Map.of("a", "b")))
				.isEqualTo("{\"a\":\"b\"}");
		}
	}

	private static URL codeSource(Class<?> type) {
		return type.getProtectionDomain().getCodeSource().getLocation();
	}

}
