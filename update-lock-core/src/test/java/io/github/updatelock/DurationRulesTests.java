package io.github.updatelock;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class DurationRulesTests {

	@Test
	void positiveRejectsZeroAndNegativeNamingTheSetting() {
		assertThat(DurationRules.requirePositive(Duration.ofMillis(1), "pause")).isEqualTo(Duration.ofMillis(1));
		assertThatIllegalArgumentException().isThrownBy(() -> DurationRules.requirePositive(Duration.ZERO, "pause"))
			.withMessage("pause must be more than zero, was PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DurationRules.requirePositive(Duration.ofSeconds(-1), "pause"))
			.withMessage("pause must be more than zero, was PT-1S");
	}

	@Test
	void notNegativeAcceptsZero() {
		assertThat(DurationRules.requireNotNegative(Duration.ZERO, "wait")).isZero();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DurationRules.requireNotNegative(Duration.ofMillis(-5), "wait"))
			.withMessage("wait must be zero or more, was PT-0.005S");
	}

	@Test
	void positiveAtMostRejectsBothEnds() {
		Duration day = Duration.ofDays(1);
		assertThat(DurationRules.requirePositiveAtMost(day, "sleep", day)).isEqualTo(day);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DurationRules.requirePositiveAtMost(Duration.ZERO, "sleep", day))
			.withMessage("sleep must be more than zero and at most PT24H, was PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DurationRules.requirePositiveAtMost(Duration.ofDays(2), "sleep", day))
			.withMessage("sleep must be more than zero and at most PT24H, was PT48H");
	}

	@Test
	void everyRuleRefusesWhatCouldOverflowADeadline() {
		Duration longest = DurationRules.LONGEST;
		Duration more = longest.plusNanos(1);
		assertThat(DurationRules.requirePositive(longest, "pause")).isEqualTo(longest);
		assertThat(DurationRules.requireNotNegative(longest, "wait")).isEqualTo(longest);
		// Twice the longest still fits a nanoTime deadline and toNanos().
		assertThat(longest.multipliedBy(2).toNanos()).isPositive();
		assertThatIllegalArgumentException().isThrownBy(() -> DurationRules.requirePositive(more, "pause"))
			.withMessage("pause must be at most 36500 days (PT876000H), was PT876000H0.000000001S");
		assertThatIllegalArgumentException().isThrownBy(() -> DurationRules.requireNotNegative(more, "wait"))
			.withMessage("wait must be at most 36500 days (PT876000H), was PT876000H0.000000001S");
	}

	@Test
	void aMissingDurationIsNamed() {
		assertThatNullPointerException().isThrownBy(() -> DurationRules.requireNotNegative(null, "wait"))
			.withMessage("wait");
	}

}
