package io.github.updatelock.supervisor;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UpdateYieldPolicyTests {

	@Test
	void neverYieldsAnything() {
		UpdateYieldPolicy never = UpdateYieldPolicy.never();
		assertThat(never.mode()).isEqualTo(UpdateYieldMode.NEVER);
		assertThat(never.yields("startup")).isFalse();
		assertThat(new UpdateYieldPolicy(UpdateYieldMode.NEVER, Set.of("startup"), Duration.ofMinutes(1))
			.yields("startup")).isFalse();
	}

	@Test
	void whenIdleYieldsOnlyTheNamedHolds() {
		UpdateYieldPolicy policy = UpdateYieldPolicy.whenIdle("startup", "update-window");
		assertThat(policy.yields("startup")).isTrue();
		assertThat(policy.yields("update-window")).isTrue();
		assertThat(policy.yields("payment")).isFalse();
		assertThat(policy.maxDeferral()).isNull();
		assertThat(policy.withMaxDeferral(Duration.ofMinutes(30)).maxDeferral()).isEqualTo(Duration.ofMinutes(30));
	}

	@Test
	void validationNamesTheField() {
		assertThatIllegalArgumentException().isThrownBy(UpdateYieldPolicy::whenIdle)
			.withMessage("holdNames must name at least one hold when mode is WHEN_IDLE");
		assertThatIllegalArgumentException().isThrownBy(() -> UpdateYieldPolicy.whenIdle("startup", " "))
			.withMessage("holdNames must not contain blank names");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpdateYieldPolicy.whenIdle("startup").withMaxDeferral(Duration.ZERO))
			.withMessage("maxDeferral must be more than zero, was PT0S");
	}

}
