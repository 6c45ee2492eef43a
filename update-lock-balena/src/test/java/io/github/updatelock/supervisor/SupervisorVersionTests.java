package io.github.updatelock.supervisor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SupervisorVersionTests {

	@ParameterizedTest
	@CsvSource({ "17.8.0, true", "17.8.3, true", "17.10.0, true", "18.0.0, true", "v19.0.5, true",
			"17.8.0-rc1+rev2, true", "17.7.99, false", "16.12.0, false", "17.8, true", "17.7, false" })
	void onlySupervisorsFrom17Point8StoreDeviceTags(String version, boolean hasTags) {
		assertThat(SupervisorVersion.parse(version).isAtLeast(SupervisorVersion.DEVICE_TAGS)).isEqualTo(hasTags);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "seventeen", "17", ".8.0" })
	void somethingElseIsRejectedWithWhatIsAccepted(String version) {
		assertThatIllegalArgumentException().isThrownBy(() -> SupervisorVersion.parse(version))
			.withMessageStartingWith("not a version such as 17.8.3: '");
	}

}
