package io.github.updatelock.window;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpdateWindowTests {

	private static final LocalTime TWO = LocalTime.of(2, 0);

	private static final LocalTime FOUR = LocalTime.of(4, 0);

	@Test
	void parsesSingleDaysListsAndRanges() {
		assertThat(UpdateWindow.parseDays("MON")).containsExactly(MONDAY);
		assertThat(UpdateWindow.parseDays("SAT,SUN")).containsExactly(SATURDAY, SUNDAY);
		assertThat(UpdateWindow.parseDays("MON-FRI")).containsExactly(MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY);
		assertThat(UpdateWindow.parseDays("MON-WED,FRI")).containsExactly(MONDAY, TUESDAY, WEDNESDAY, FRIDAY);
	}

	@Test
	void parsesFullNamesAnyCaseAndSpaces() {
		assertThat(UpdateWindow.parseDays(" monday - Wednesday , sat ")).containsExactly(MONDAY, TUESDAY, WEDNESDAY,
				SATURDAY);
	}

	@Test
	void rangeMayWrapPastSunday() {
		assertThat(UpdateWindow.parseDays("FRI-MON")).containsExactly(MONDAY, FRIDAY, SATURDAY, SUNDAY);
		assertThat(UpdateWindow.parseDays("WED-WED")).containsExactly(WEDNESDAY);
	}

	@Test
	void unknownDayIsRejectedNamingTheFieldAndTheAcceptedForms() {
		assertThatExceptionOfType(InvalidUpdateWindowException.class).isThrownBy(() -> UpdateWindow.parseDays("MO-FR"))
			.withMessageStartingWith("Invalid update window 'days': has \"MO-FR\" with \"MO\", which is not a day")
			.withMessageContaining("MON, TUE, WED, THU, FRI, SAT, SUN")
			.withMessageContaining("MON-FRI, SAT,SUN or MON-WED,FRI")
			.withMessageEndingWith("A valid example: from=02:00, to=04:00, days=MON-FRI")
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("days"));
	}

	@Test
	void malformedDayListsAreRejected() {
		assertThatThrownBy(() -> UpdateWindow.parseDays("MON,,FRI")).hasMessageContaining("with an empty entry");
		assertThatThrownBy(() -> UpdateWindow.parseDays("MON-")).hasMessageContaining("with an empty entry");
		assertThatThrownBy(() -> UpdateWindow.parseDays("MON-WED-FRI"))
			.hasMessageContaining("a range of more than two days (\"MON-WED-FRI\")");
		assertThatThrownBy(() -> UpdateWindow.parseDays(" ")).hasMessageContaining("'days': is empty");
		assertThatThrownBy(() -> UpdateWindow.parseDays(null)).isInstanceOf(InvalidUpdateWindowException.class);
	}

	@Test
	void parsesTimesAndExplainsAYamlNumberThatWasMeantAsATime() {
		assertThat(UpdateWindow.parseTime("from", " 02:30 ")).isEqualTo(LocalTime.of(2, 30));
		assertThatExceptionOfType(InvalidUpdateWindowException.class)
			.isThrownBy(() -> UpdateWindow.parseTime("to", "24:00"))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("to"))
			.satisfies((ex) -> assertThat(ex.getProblem())
				.isEqualTo("must be a time of day such as 02:00 or 23:30, was 24:00"));
		assertThatThrownBy(() -> UpdateWindow.parseTime("from", "1320"))
			.hasMessageContaining("was 1320; in YAML, quote times such as '22:00', which are otherwise read as numbers");
		assertThatThrownBy(() -> UpdateWindow.parseTime("from", null)).hasMessageContaining("'from': is missing");
	}

	@Test
	void missingFromIsRejectedWithAnExample() {
		assertThatExceptionOfType(InvalidUpdateWindowException.class)
			.isThrownBy(() -> new UpdateWindow(Set.of(MONDAY), null, FOUR))
			.withMessage("Invalid update window 'from': is missing. A valid example: from=02:00, to=04:00, days=MON-FRI")
			.satisfies((ex) -> {
				assertThat(ex.getField()).isEqualTo("from");
				assertThat(ex.getProblem()).isEqualTo("is missing");
				assertThat(ex.getExample()).isEqualTo(UpdateWindow.EXAMPLE);
			});
	}

	@Test
	void missingToIsRejected() {
		assertThatExceptionOfType(InvalidUpdateWindowException.class)
			.isThrownBy(() -> new UpdateWindow(Set.of(MONDAY), TWO, null))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("to"));
	}

	@Test
	void windowWithoutLengthIsRejected() {
		assertThatExceptionOfType(InvalidUpdateWindowException.class)
			.isThrownBy(() -> new UpdateWindow(Set.of(MONDAY), TWO, TWO))
			.withMessageContaining("'to': equals 'from' (02:00)")
			.withMessageContaining("crosses midnight");
	}

	@Test
	void emptyDaysAreRejectedButMissingDaysMeanEveryDay() {
		assertThatExceptionOfType(InvalidUpdateWindowException.class)
			.isThrownBy(() -> new UpdateWindow(Set.of(), TWO, FOUR))
			.withMessageContaining("'days': is empty, so the window never opens");
		assertThat(new UpdateWindow(null, TWO, FOUR).days()).containsExactly(DayOfWeek.values());
	}

	@Test
	void nullDayIsRejected() {
		Set<DayOfWeek> days = new HashSet<>();
		days.add(null);
		assertThatThrownBy(() -> new UpdateWindow(days, TWO, FOUR)).hasMessageContaining("'days': contains an empty entry");
	}

	@Test
	void daysAreCopiedAndCannotBeChanged() {
		Set<DayOfWeek> days = EnumSet.of(MONDAY);
		UpdateWindow window = new UpdateWindow(days, TWO, FOUR);
		days.add(TUESDAY);
		assertThat(window.days()).containsExactly(MONDAY);
		assertThatThrownBy(() -> window.days().add(FRIDAY)).isInstanceOf(UnsupportedOperationException.class);
		assertThat(window).isEqualTo(UpdateWindow.of("mon", TWO, FOUR));
	}

	@Test
	void toAtOrBeforeFromCrossesMidnight() {
		assertThat(UpdateWindow.of("FRI", LocalTime.of(22, 0), TWO).crossesMidnight()).isTrue();
		assertThat(UpdateWindow.of("FRI", LocalTime.of(22, 0), LocalTime.MIDNIGHT).crossesMidnight()).isTrue();
		assertThat(UpdateWindow.of("FRI", TWO, FOUR).crossesMidnight()).isFalse();
	}

	@Test
	void readsLikeTheSentenceAnOperatorSays() {
		assertThat(UpdateWindow.of("MON-FRI", TWO, FOUR)).hasToString("MON-FRI 02:00-04:00");
		assertThat(UpdateWindow.of("SAT,SUN", TWO, FOUR)).hasToString("SAT,SUN 02:00-04:00");
		assertThat(UpdateWindow.of("FRI-MON,WED", LocalTime.of(22, 30), TWO)).hasToString("MON,WED,FRI-SUN 22:30-02:00");
		assertThat(new UpdateWindow(null, TWO, FOUR)).hasToString("MON-SUN 02:00-04:00");
	}

}
