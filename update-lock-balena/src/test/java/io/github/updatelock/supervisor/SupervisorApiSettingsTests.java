package io.github.updatelock.supervisor;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SupervisorApiSettingsTests {

	private static final String KEY = "0123456789abcdef0123456789abcdef";

	private static final String USER_INFO_REFUSAL = "must not contain user info (user:password@ before the host): "
			+ "it is never sent, the key has a setting of its own, and the address is shown in logs and on the endpoint";

	@Test
	void balenaVariablesAreUsedWithDefaults() {
		SupervisorApiSettings settings = SupervisorApiSettings
			.fromEnvironment(Map.of("BALENA_SUPERVISOR_ADDRESS", "http://127.0.0.1:48484", "BALENA_SUPERVISOR_API_KEY",
					KEY))
			.orElseThrow();
		assertThat(settings.address()).isEqualTo(URI.create("http://127.0.0.1:48484"));
		assertThat(settings.apiKey()).isEqualTo(KEY);
		assertThat(settings.connectTimeout()).isEqualTo(SupervisorApiSettings.DEFAULT_CONNECT_TIMEOUT);
		assertThat(settings.requestTimeout()).isEqualTo(SupervisorApiSettings.DEFAULT_REQUEST_TIMEOUT);
		assertThat(settings.pollInterval()).isEqualTo(SupervisorApiSettings.DEFAULT_POLL_INTERVAL);
	}

	@Test
	void balenaVariablesWinOverResinOnes() {
		SupervisorApiSettings settings = SupervisorApiSettings
			.fromEnvironment(Map.of("BALENA_SUPERVISOR_ADDRESS", "http://127.0.0.1:48484", "BALENA_SUPERVISOR_API_KEY",
					KEY, "RESIN_SUPERVISOR_ADDRESS", "http://10.0.0.1:1", "RESIN_SUPERVISOR_API_KEY", "old"))
			.orElseThrow();
		assertThat(settings.address()).isEqualTo(URI.create("http://127.0.0.1:48484"));
		assertThat(settings.apiKey()).isEqualTo(KEY);
	}

	@Test
	void resinVariablesServeOldSupervisors() {
		SupervisorApiSettings settings = SupervisorApiSettings
			.fromEnvironment(Map.of("RESIN_SUPERVISOR_ADDRESS", "http://127.0.0.1:48484/", "RESIN_SUPERVISOR_API_KEY",
					" " + KEY + "\n"))
			.orElseThrow();
		assertThat(settings.address()).isEqualTo(URI.create("http://127.0.0.1:48484"));
		assertThat(settings.apiKey()).isEqualTo(KEY);
	}

	@Test
	void missingOrBlankVariablesTurnTheFeatureOff() {
		assertThat(SupervisorApiSettings.fromEnvironment(Map.of())).isEmpty();
		assertThat(SupervisorApiSettings.fromEnvironment(Map.of("BALENA_SUPERVISOR_ADDRESS", "http://127.0.0.1:48484")))
			.isEmpty();
		assertThat(SupervisorApiSettings.fromEnvironment(Map.of("BALENA_SUPERVISOR_API_KEY", KEY))).isEmpty();
		assertThat(SupervisorApiSettings
			.fromEnvironment(Map.of("BALENA_SUPERVISOR_ADDRESS", " ", "BALENA_SUPERVISOR_API_KEY", KEY))).isEmpty();
	}

	@Test
	void unusableVariableIsNamedAndTheKeyIsNot() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SupervisorApiSettings
				.fromEnvironment(Map.of("BALENA_SUPERVISOR_ADDRESS", "not a uri", "BALENA_SUPERVISOR_API_KEY", KEY)))
			.withMessageStartingWith("BALENA_SUPERVISOR_ADDRESS must be an absolute http or https URI")
			.withMessageNotContaining(KEY);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SupervisorApiSettings.fromEnvironment(
					Map.of("RESIN_SUPERVISOR_ADDRESS", "ftp://127.0.0.1", "BALENA_SUPERVISOR_API_KEY", KEY)))
			.withMessageStartingWith("RESIN_SUPERVISOR_ADDRESS must be an absolute http or https URI");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SupervisorApiSettings.fromEnvironment(
					Map.of("BALENA_SUPERVISOR_ADDRESS", "http://127.0.0.1:48484", "BALENA_SUPERVISOR_API_KEY", "ab cd")))
			.withMessage("BALENA_SUPERVISOR_API_KEY must be one or more visible ASCII characters (0x21-0x7e); "
					+ "character 3 is U+0020");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://operator:s3cret-pass@127.0.0.1:48484", "http://s3cret-pass@127.0.0.1:48484/",
			"http://operator:s3cret-pass@127.0.0.1:48484/?a=b", "http://op:s3cret@pass@127.0.0.1:48484",
			"http://op:s3cret pass@127.0.0.1:48484" })
	void anAddressWithUserInfoIsRefusedNamingTheVariableWithoutShowingIt(String address) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SupervisorApiSettings
				.fromEnvironment(Map.of("BALENA_SUPERVISOR_ADDRESS", address, "BALENA_SUPERVISOR_API_KEY", KEY)))
			.withMessage("BALENA_SUPERVISOR_ADDRESS " + USER_INFO_REFUSAL)
			.withMessageNotContaining("s3cret");
	}

	@Test
	void anAddressWithUserInfoIsRefusedAsAUriToo() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SupervisorApiSettings.of(URI.create("http://operator:s3cret@127.0.0.1:48484"), KEY))
			.withMessage("address " + USER_INFO_REFUSAL)
			.withMessageNotContaining("s3cret");
	}

	@ParameterizedTest(name = "{1}")
	@CsvSource(delimiter = '|', textBlock = """
			0123456789abcdef\u00e90123456789abcdef  | character 17 is U+00E9
			0123456789abcdef\u20ac0123456789abcdef  | character 17 is U+20AC
			0123456789abcdef\ud83d\ude000123456789 | character 17 is U+1F600
			0123456789abcdef\u007f0123456789abcdef  | character 17 is U+007F
			0123456789abcdef\u00a00123456789abcdef  | character 17 is U+00A0
			""")
	void keyOutsideVisibleAsciiIsRefusedWithoutShowingAnyOfIt(String key, String firstBad) {
		Map<String, String> environment = Map.of("BALENA_SUPERVISOR_ADDRESS", "http://127.0.0.1:48484",
				"RESIN_SUPERVISOR_API_KEY", key);
		assertThatIllegalArgumentException().isThrownBy(() -> SupervisorApiSettings.fromEnvironment(environment))
			.withMessage("RESIN_SUPERVISOR_API_KEY must be one or more visible ASCII characters (0x21-0x7e); "
					+ firstBad)
			.withMessageNotContaining("0123")
			.withNoCause();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SupervisorApiSettings.of(URI.create("http://127.0.0.1:48484"), key))
			.withMessage("apiKey must be one or more visible ASCII characters (0x21-0x7e); " + firstBad);
	}

	@Test
	void everyVisibleAsciiCharacterMakesAKey() {
		String key = IntStream.rangeClosed(0x21, 0x7e)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
		assertThat(SupervisorApiSettings.of(URI.create("http://127.0.0.1:48484"), key).apiKey()).isEqualTo(key);
	}

	@Test
	void apiKeyProblemIsEmptyForAGoodKeyAndNamesTheFirstBadCharacterOtherwise() {
		assertThat(SupervisorApiSettings.apiKeyProblem(KEY)).isEmpty();
		assertThat(SupervisorApiSettings.apiKeyProblem("")).contains("must be one or more visible ASCII characters "
				+ "(0x21-0x7e); it is empty");
		assertThat(SupervisorApiSettings.apiKeyProblem("ab\tc\u00e9")).contains("must be one or more visible ASCII "
				+ "characters (0x21-0x7e); character 3 is U+0009");
	}

	@Test
	void validationNamesTheField() {
		URI address = URI.create("http://127.0.0.1:48484");
		assertThatIllegalArgumentException().isThrownBy(() -> SupervisorApiSettings.of(URI.create("/v1"), KEY))
			.withMessageStartingWith("address must be an absolute http or https URI");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SupervisorApiSettings.of(URI.create("http://127.0.0.1:48484?apikey=x"), KEY))
			.withMessageStartingWith("address must be an absolute http or https URI without query");
		assertThatIllegalArgumentException().isThrownBy(() -> SupervisorApiSettings.of(address, ""))
			.withMessage("apiKey must be one or more visible ASCII characters (0x21-0x7e); it is empty");
		SupervisorApiSettings settings = SupervisorApiSettings.of(address, KEY);
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withConnectTimeout(Duration.ZERO))
			.withMessage("connectTimeout must be more than zero, was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withRequestTimeout(Duration.ofSeconds(-1)))
			.withMessage("requestTimeout must be more than zero, was PT-1S");
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withPollInterval(Duration.ZERO))
			.withMessage("pollInterval must be more than zero, was PT0S");
	}

	@Test
	void copiesChangeOnlyTheirField() {
		SupervisorApiSettings settings = SupervisorApiSettings.of(URI.create("https://supervisor.local"), KEY)
			.withConnectTimeout(Duration.ofMillis(100))
			.withRequestTimeout(Duration.ofMillis(200))
			.withPollInterval(Duration.ofSeconds(7));
		assertThat(settings).isEqualTo(new SupervisorApiSettings(URI.create("https://supervisor.local"), KEY,
				Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(7)));
	}

	@Test
	void toStringNeverShowsTheKey() {
		SupervisorApiSettings settings = SupervisorApiSettings.of(URI.create("http://127.0.0.1:48484"), KEY);
		assertThat(settings.toString()).contains("http://127.0.0.1:48484").contains("apiKey=****")
			.doesNotContain(KEY);
	}

}
