package io.github.updatelock.supervisor;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonTests {

	@Test
	void readsTheDocumentedDeviceAnswer() {
		Map<String, Object> device = Json.parseObject("{\"api_port\":48484,\"ip_address\":\"192.168.0.114 10.42.0.3\","
				+ "\"commit\":\"414e65cd378a69a96f403b75f14b40b55856f860\",\"status\":\"Downloading\","
				+ "\"download_progress\":84,\"os_version\":\"balenaOS 6.0.0\",\"supervisor_version\":\"17.0.0\","
				+ "\"update_pending\":true,\"update_downloaded\":false,\"update_failed\":false}");
		assertThat(device).containsEntry("api_port", new BigDecimal("48484"))
			.containsEntry("commit", "414e65cd378a69a96f403b75f14b40b55856f860")
			.containsEntry("update_pending", true)
			.containsEntry("update_downloaded", false);
		assertThat(device.keySet()).startsWith("api_port", "ip_address", "commit");
	}

	@Test
	void readsNestingArraysLiteralsAndWhitespace() {
		Object value = Json.parse(" {\n\t\"a\" : [ 1 , -2.5e3 , 0.25E-1 , true , false , null , { } , [ ] ] , \"b\":{\"c\":\"d\"}}\r\n");
		assertThat(value).isEqualTo(Map.of("a",
				Arrays.asList(new BigDecimal("1"), new BigDecimal("-2.5e3"), new BigDecimal("0.25E-1"), true, false, null,
						Map.of(), List.of()),
				"b", Map.of("c", "d")));
	}

	@Test
	void decodesEscapes() {
		assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC \\ud83d\\ude00\""))
			.isEqualTo("q\" b\\ s/ \b\f\n\r\t \u00e9\u20ac \ud83d\ude00");
	}

	@Test
	void repeatedNameKeepsTheLastValue() {
		assertThat(Json.parseObject("{\"a\":1,\"a\":2}")).containsEntry("a", new BigDecimal("2")).hasSize(1);
	}

	@Test
	void parsedValuesCannotBeChanged() {
		Map<String, Object> object = Json.parseObject("{\"list\":[1]}");
		assertThat(object).isUnmodifiable();
		assertThat((List<?>) object.get("list")).isUnmodifiable();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "<html>502 Bad Gateway</html>", "OK", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
			"[1,]", "[1 2]", "{a:1}", "{'a':1}", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12zz\"",
			"\"tab\tinside\"", "01", "-", "1.", "1e", "+1", ".5", "tru", "nul", "NaN", "{} {}", "{\"a\":1}x", "[]]" })
	void rejectsMalformedText(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse(text))
			.withMessageStartingWith("Malformed JSON at offset ");
	}

	@Test
	void errorGivesTheOffset() {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("{\"a\":1,}"))
			.withMessage("Malformed JSON at offset 7: expected a member name");
	}

	@Test
	void deepNestingIsRefusedBeforeTheStackRunsOut() {
		String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
		String fine = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
		assertThat(Json.parse(fine)).isInstanceOf(List.class);
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse(deep))
			.withMessageContaining("nested deeper than " + Json.MAX_DEPTH);
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("[".repeat(100_000)))
			.withMessageContaining("nested deeper than");
	}

	@Test
	void numbersUpToTheCapAreRead() {
		String longest = "-0." + "1".repeat(Json.MAX_NUMBER_LENGTH - 3);
		assertThat(Json.parse(longest)).isEqualTo(new BigDecimal(longest));
		assertThat(Json.parse("-1.7976931348623157e+308")).isEqualTo(new BigDecimal("-1.7976931348623157e+308"));
	}

	@Test
	void numberLongerThanTheCapIsRefusedAtItsStart() {
		String tooLong = "1".repeat(Json.MAX_NUMBER_LENGTH + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("[" + tooLong + "]"))
			.withMessage("Malformed JSON at offset 1: number longer than " + Json.MAX_NUMBER_LENGTH + " characters");
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("1".repeat(256 * 1024)))
			.withMessage("Malformed JSON at offset 0: number longer than " + Json.MAX_NUMBER_LENGTH + " characters");
	}

	@Test
	void exponentBeyondWhatANumberCanHoldIsAParseError() {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("{\"a\":1e9999999999}"))
			.withMessage("Malformed JSON at offset 5: number out of range");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\uff10", "\u0660", "\uff21", "\u00b2", "\u2163" })
	void unicodeEscapeTakesOnlyAsciiHexDigits(String otherDigit) {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("\"\\u00" + otherDigit + "1\""))
			.withMessage("Malformed JSON at offset 5: invalid \\u escape");
	}

	@Test
	void unicodeEscapeTakesBothCasesOfHexDigits() {
		assertThat(Json.parse("\"\\u00aF\\u00Af\"")).isEqualTo("\u00af\u00af");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"\\ud83d\"", "\"\\ud83dx\"", "\"\\ud83d\\n\"", "\"\\ud83d\\u0041\"", "\"\\ud83d\\ud83d\"",
			"\"\\ude00\"", "\"\\ude00\\ud83d\"" })
	void loneSurrogateEscapeIsRefused(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse(text))
			.withMessageMatching("Malformed JSON at offset 1: (high surrogate \\\\u[0-9a-f]{4} not followed by a low "
					+ "surrogate escape|lone low surrogate \\\\u[0-9a-f]{4})");
	}

	@Test
	void loneSurrogateMessagesNameTheEscape() {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("\"\\uD83D\""))
			.withMessage("Malformed JSON at offset 1: high surrogate \\ud83d not followed by a low surrogate escape");
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("\"ok \\uDE00\""))
			.withMessage("Malformed JSON at offset 4: lone low surrogate \\ude00");
	}

	@Test
	void objectIsRequiredWhereAnObjectIsExpected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parseObject("[]"))
			.withMessage("expected a JSON object, found an array");
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parseObject("null"))
			.withMessage("expected a JSON object, found null");
	}

}
