package io.github.updatelock.balena.internal;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LimitedJsonTests {

	@Test
	void readsTheDocumentedDeviceAnswer() {
		JsonNode device = LimitedJson.readObject("{\"api_port\":48484,\"ip_address\":\"192.168.0.114 10.42.0.3\","
				+ "\"commit\":\"414e65cd378a69a96f403b75f14b40b55856f860\",\"status\":\"Downloading\","
				+ "\"download_progress\":84,\"os_version\":\"balenaOS 6.0.0\",\"supervisor_version\":\"17.0.0\","
				+ "\"update_pending\":true,\"update_downloaded\":false,\"update_failed\":false}");
		assertThat(LimitedJson.integer(device, "api_port")).isEqualTo(48484L);
		assertThat(LimitedJson.string(device, "commit")).isEqualTo("414e65cd378a69a96f403b75f14b40b55856f860");
		assertThat(LimitedJson.bool(device, "update_pending")).isTrue();
		assertThat(LimitedJson.bool(device, "update_downloaded")).isFalse();
		assertThat(device.propertyNames()).startsWith("api_port", "ip_address", "commit");
	}

	@Test
	void readsNestingArraysLiteralsAndWhitespace() {
		JsonNode value = LimitedJson
			.read(" {\n\t\"a\" : [ 1 , -2.5e3 , 0.25E-1 , true , false , null , { } , [ ] ] , \"b\":{\"c\":\"d\"}}\r\n");
		JsonNode array = value.get("a");
		assertThat(array.size()).isEqualTo(8);
		assertThat(array.get(0).decimalValue()).isEqualTo(new BigDecimal("1"));
		assertThat(array.get(1).decimalValue()).isEqualTo(new BigDecimal("-2.5e3"));
		assertThat(array.get(2).decimalValue()).isEqualTo(new BigDecimal("0.25E-1"));
		assertThat(List.of(array.get(3).booleanValue(), array.get(4).booleanValue())).containsExactly(true, false);
		assertThat(array.get(5).isNull()).isTrue();
		assertThat(array.get(6).isObject() && array.get(6).isEmpty()).isTrue();
		assertThat(array.get(7).isArray() && array.get(7).isEmpty()).isTrue();
		assertThat(LimitedJson.string(value.get("b"), "c")).isEqualTo("d");
	}

	@Test
	void decodesEscapes() {
		assertThat(LimitedJson.read("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC \\ud83d\\ude00\"").stringValue())
			.isEqualTo("q\" b\\ s/ \b\f\n\r\t \u00e9\u20ac \ud83d\ude00");
	}

	@Test
	void repeatedNameKeepsTheLastValue() {
		JsonNode object = LimitedJson.readObject("{\"a\":1,\"a\":2}");
		assertThat(LimitedJson.integer(object, "a")).isEqualTo(2L);
		assertThat(object.size()).isEqualTo(1);
	}

	@Test
	void membersOfAnotherTypeReadAsAbsent() {
		JsonNode object = LimitedJson.readObject(
				"{\"s\":7,\"b\":\"yes\",\"fraction\":12.5,\"whole\":84.0,\"huge\":" + "9".repeat(30) + ",\"o\":[]}");
		assertThat(LimitedJson.string(object, "s")).isNull();
		assertThat(LimitedJson.bool(object, "b")).isFalse();
		assertThat(LimitedJson.integer(object, "fraction")).isNull();
		assertThat(LimitedJson.integer(object, "whole")).isEqualTo(84L);
		assertThat(LimitedJson.integer(object, "huge")).isNull();
		assertThat(LimitedJson.integer(object, "missing")).isNull();
		assertThat(LimitedJson.object(object, "o").isObject()).isTrue();
		assertThat(LimitedJson.object(object, "o").isEmpty()).isTrue();
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
		assertThat(LimitedJson.read(fine).isArray()).isTrue();
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
		assertThat(LimitedJson.read(longest).decimalValue()).isEqualTo(new BigDecimal(longest));
		assertThat(LimitedJson.read("-1.7976931348623157e+308").decimalValue())
			.isEqualTo(new BigDecimal("-1.7976931348623157e+308"));
		String longestWhole = "1".repeat(LimitedJson.MAX_NUMBER_LENGTH);
		assertThat(LimitedJson.read(longestWhole).bigIntegerValue()).hasToString(longestWhole);
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
		assertThat(LimitedJson.read("\"\\u00aF\\u00Af\"").stringValue()).isEqualTo("\u00af\u00af");
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

}
