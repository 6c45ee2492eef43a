package io.github.updatelock.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BalenaApiSettingsTests {

	private static final String KEY = "s3cr3tDeviceKey0123456789";

	private static final String UUID = "0123456789abcdef0123456789abcdef";

	private static Map<String, String> environment() {
		Map<String, String> environment = new HashMap<>();
		environment.put("BALENA_API_URL", "https://api.balena-cloud.com/");
		environment.put("BALENA_API_KEY", KEY);
		environment.put("BALENA_DEVICE_UUID", UUID);
		return environment;
	}

	@Test
	void balenaVariablesAreUsedWithDefaults() {
		BalenaApiSettings settings = BalenaApiSettings.fromEnvironment(environment()).orElseThrow();
		assertThat(settings.apiUrl()).isEqualTo(URI.create("https://api.balena-cloud.com"));
		assertThat(settings.apiKey()).isEqualTo(KEY);
		assertThat(settings.deviceUuid()).isEqualTo(UUID);
		assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(BalenaApiSettings.missingVariable(environment())).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "BALENA_API_URL", "BALENA_API_KEY", "BALENA_DEVICE_UUID" })
	void aMissingOrBlankVariableTurnsTheFeatureOffAndIsNamed(String variable) {
		Map<String, String> missing = environment();
		missing.remove(variable);
		assertThat(BalenaApiSettings.fromEnvironment(missing)).isEmpty();
		assertThat(BalenaApiSettings.missingVariable(missing)).contains(variable);
		Map<String, String> blank = environment();
		blank.put(variable, " ");
		assertThat(BalenaApiSettings.fromEnvironment(blank)).isEmpty();
		assertThat(BalenaApiSettings.missingVariable(blank)).contains(variable);
	}

	@Test
	void theFirstMissingVariableIsNamed() {
		assertThat(BalenaApiSettings.missingVariable(Map.of())).contains("BALENA_API_URL");
		assertThat(BalenaApiSettings.missingVariable(Map.of("BALENA_API_URL", "https://api.balena-cloud.com",
				"BALENA_DEVICE_UUID", UUID))).contains("BALENA_API_KEY");
	}

	@Test
	void anUnusableKeyIsNamedAndNeverShown() {
		Map<String, String> environment = environment();
		environment.put("BALENA_API_KEY", "s3cr3t K3y");
		assertThatIllegalArgumentException().isThrownBy(() -> BalenaApiSettings.fromEnvironment(environment))
			.withMessage("BALENA_API_KEY must be one or more visible ASCII characters (0x21-0x7e); "
					+ "character 7 is U+0020")
			.withMessageNotContaining("s3cr3t");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BalenaApiSettings.of(URI.create("https://api.balena-cloud.com"), "k\u00e9y", UUID))
			.withMessage("apiKey must be one or more visible ASCII characters (0x21-0x7e); character 2 is U+00E9");
	}

	@ParameterizedTest
	@ValueSource(strings = { "012345", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			"0123456789abcdeg", "0123-4567-89ab" })
	void anUnusableDeviceUuidIsNamedWithWhatIsAccepted(String uuid) {
		Map<String, String> environment = environment();
		environment.put("BALENA_DEVICE_UUID", uuid);
		assertThatIllegalArgumentException().isThrownBy(() -> BalenaApiSettings.fromEnvironment(environment))
			.withMessage("BALENA_DEVICE_UUID must be 7 to 62 hex digits (0-9, a-f), was '" + uuid + "'");
	}

	@Test
	void theDeviceUuidIsKeptInLowerCaseAndItsShortFormIsAccepted() {
		assertThat(BalenaApiSettings.of(URI.create("https://api.balena-cloud.com"), KEY, "ABCDEF0").deviceUuid())
			.isEqualTo("abcdef0");
	}

	@Test
	void anUnusableAddressIsNamed() {
		Map<String, String> environment = environment();
		environment.put("BALENA_API_URL", "api.balena-cloud.com");
		assertThatIllegalArgumentException().isThrownBy(() -> BalenaApiSettings.fromEnvironment(environment))
			.withMessage("BALENA_API_URL must be an absolute http or https URI without query, was "
					+ "'api.balena-cloud.com'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://device:s3cret-pass@api.balena-cloud.com",
			"https://s3cret-pass@api.balena-cloud.com/", "https://d:s3cret@pass@api.balena-cloud.com" })
	void anAddressWithUserInfoIsRefusedNamingTheVariableWithoutShowingIt(String address) {
		Map<String, String> environment = environment();
		environment.put("BALENA_API_URL", address);
		assertThatIllegalArgumentException().isThrownBy(() -> BalenaApiSettings.fromEnvironment(environment))
			.withMessage("BALENA_API_URL must not contain user info (user:password@ before the host): it is never "
					+ "sent, the key has a setting of its own, and the address is shown in logs and on the endpoint")
			.withMessageNotContaining("s3cret");
	}

	@Test
	void timeoutsMustBePositive() {
		BalenaApiSettings settings = BalenaApiSettings.fromEnvironment(environment()).orElseThrow();
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withRequestTimeout(Duration.ZERO))
			.withMessage("requestTimeout must be more than zero, was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withConnectTimeout(Duration.ofSeconds(-1)))
			.withMessage("connectTimeout must be more than zero, was PT-1S");
		assertThat(settings.withRequestTimeout(Duration.ofSeconds(3)).requestTimeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void toStringNeverShowsTheKey() {
		BalenaApiSettings settings = BalenaApiSettings.fromEnvironment(environment()).orElseThrow();
		assertThat(settings.toString()).contains("apiKey=****", UUID).doesNotContain(KEY);
	}

}
