package io.github.updatelock.window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UpdateWindowScheduleTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private static final Duration NANO = Duration.ofNanos(1);

	private static UpdateWindow window(String days, String from, String to) {
		return UpdateWindow.of(days, LocalTime.parse(from), LocalTime.parse(to));
	}

	private static UpdateWindowSchedule berlin(UpdateWindow... windows) {
		return UpdateWindowSchedule.of(BERLIN, windows);
	}

	/** A Berlin wall time outside any daylight saving change. */
	private static Instant local(String dateTime) {
		return LocalDateTime.parse(dateTime).atZone(BERLIN).toInstant();
	}

	/** An instant with its offset spelled out, for the daylight saving cases. */
	private static Instant at(String offsetDateTime) {
		return OffsetDateTime.parse(offsetDateTime).toInstant();
	}

	@Test
	void weekdayWindowIsOpenFromItsStartUntilJustBeforeItsEnd() {
		UpdateWindowSchedule schedule = berlin(window("MON-FRI", "02:00", "04:00"));
		Instant from = local("2026-03-02T02:00");
		Instant to = local("2026-03-02T04:00");
		assertThat(schedule.isOpen(from.minus(NANO))).isFalse();
		assertThat(schedule.isOpen(from)).isTrue();
		assertThat(schedule.isOpen(to.minus(NANO))).isTrue();
		assertThat(schedule.isOpen(to)).isFalse();
		assertThat(schedule.nextTransition(local("2026-03-02T01:00"))).contains(from);
		assertThat(schedule.nextTransition(from.minus(NANO))).contains(from);
		assertThat(schedule.nextTransition(from)).contains(to);
		assertThat(schedule.nextTransition(to)).contains(local("2026-03-03T02:00"));
	}

	@Test
	void startInTheMiddleOfAWindowSeesItOpenUntilItsEnd() {
		UpdateWindowSchedule schedule = berlin(window("MON-FRI", "02:00", "04:00"));
		Instant start = local("2026-03-04T03:17:42.5");
		assertThat(schedule.isOpen(start)).isTrue();
		assertThat(schedule.nextTransition(start)).contains(local("2026-03-04T04:00"));
	}

	@Test
	void daysWithoutAWindowAreSkipped() {
		UpdateWindowSchedule schedule = berlin(window("MON-FRI", "02:00", "04:00"));
		assertThat(schedule.isOpen(local("2026-03-07T03:00"))).isFalse();
		assertThat(schedule.isOpen(local("2026-03-08T03:00"))).isFalse();
		assertThat(schedule.nextTransition(local("2026-03-06T04:00"))).contains(local("2026-03-09T02:00"));
	}

	@Test
	void windowCrossingMidnightBelongsToTheDayItStartsOn() {
		UpdateWindowSchedule schedule = berlin(window("FRI", "22:00", "02:00"));
		assertThat(schedule.isOpen(local("2026-03-06T01:00"))).as("Friday morning belongs to Thursday").isFalse();
		assertThat(schedule.isOpen(local("2026-03-06T22:00"))).isTrue();
		assertThat(schedule.isOpen(local("2026-03-07T01:59:59"))).isTrue();
		assertThat(schedule.isOpen(local("2026-03-07T02:00"))).isFalse();
		assertThat(schedule.isOpen(local("2026-03-07T23:00"))).as("Saturday evening has no window").isFalse();
		assertThat(schedule.nextTransition(local("2026-03-06T12:00"))).contains(local("2026-03-06T22:00"));
		assertThat(schedule.nextTransition(local("2026-03-06T23:00"))).contains(local("2026-03-07T02:00"));
		assertThat(schedule.nextTransition(local("2026-03-07T02:00"))).contains(local("2026-03-13T22:00"));
	}

	@Test
	void weekdayWindowCrossingMidnightOpensOnSaturdayMorningButNotOnMondayMorning() {
		UpdateWindowSchedule schedule = berlin(window("MON-FRI", "22:00", "02:00"));
		assertThat(schedule.isOpen(local("2026-03-07T01:00"))).as("Saturday morning belongs to Friday").isTrue();
		assertThat(schedule.isOpen(local("2026-03-09T01:00"))).as("Monday morning belongs to Sunday").isFalse();
		assertThat(schedule.nextTransition(local("2026-03-07T02:00"))).contains(local("2026-03-09T22:00"));
	}

	@Test
	void sundayWindowReachesIntoMonday() {
		UpdateWindowSchedule schedule = berlin(window("SUN", "23:00", "01:00"));
		assertThat(schedule.isOpen(local("2026-03-09T00:30"))).isTrue();
		assertThat(schedule.nextTransition(local("2026-03-09T00:30"))).contains(local("2026-03-09T01:00"));
		assertThat(schedule.nextTransition(local("2026-03-09T01:00"))).contains(local("2026-03-15T23:00"));
	}

	@Test
	void windowUntilMidnightClosesAtMidnight() {
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "22:00", "00:00"));
		assertThat(schedule.isOpen(local("2026-03-06T23:59:59.999999999"))).isTrue();
		assertThat(schedule.isOpen(local("2026-03-07T00:00"))).isFalse();
		assertThat(schedule.nextTransition(local("2026-03-06T23:00"))).contains(local("2026-03-07T00:00"));
	}

	@Test
	void overlappingWindowsActAsOne() {
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "02:00", "05:00"), window("MON-SUN", "01:00", "03:00"));
		assertThat(schedule.isOpen(local("2026-03-04T02:30"))).isTrue();
		assertThat(schedule.nextTransition(local("2026-03-04T00:00"))).contains(local("2026-03-04T01:00"));
		assertThat(schedule.nextTransition(local("2026-03-04T01:30"))).contains(local("2026-03-04T05:00"));
		assertThat(schedule.nextTransition(local("2026-03-04T05:00"))).contains(local("2026-03-05T01:00"));
	}

	@Test
	void windowInsideAnotherAddsNoTransition() {
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "01:00", "05:00"), window("MON-SUN", "02:00", "03:00"));
		assertThat(schedule.nextTransition(local("2026-03-04T02:30"))).contains(local("2026-03-04T05:00"));
		assertThat(schedule.isOpen(local("2026-03-04T03:30"))).isTrue();
	}

	@Test
	void adjacentWindowsHaveNoClosedInstantBetweenThem() {
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "01:00", "02:00"), window("MON-SUN", "02:00", "03:00"));
		assertThat(schedule.isOpen(local("2026-03-04T02:00"))).isTrue();
		assertThat(schedule.nextTransition(local("2026-03-04T01:30"))).contains(local("2026-03-04T03:00"));
	}

	@Test
	void windowCrossingMidnightMergesWithTheNextDaysWindow() {
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "22:00", "02:00"), window("MON", "01:00", "06:00"));
		assertThat(schedule.nextTransition(local("2026-03-08T23:00"))).contains(local("2026-03-09T06:00"));
		assertThat(schedule.nextTransition(local("2026-03-09T23:00"))).contains(local("2026-03-10T02:00"));
	}

	@Test
	void adjacentWindowsChainAcrossDays() {
		UpdateWindowSchedule schedule = berlin(window("MON-FRI", "00:00", "12:00"), window("MON-FRI", "12:00", "00:00"));
		assertThat(schedule.isOpen(local("2026-03-03T10:00"))).isTrue();
		assertThat(schedule.nextTransition(local("2026-03-03T10:00"))).contains(local("2026-03-07T00:00"));
		assertThat(schedule.nextTransition(local("2026-03-07T00:00"))).contains(local("2026-03-09T00:00"));
	}

	@Test
	void windowsCoveringTheWholeWeekNeverChange() {
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "20:00", "08:00"), window("MON-SUN", "08:00", "20:00"));
		assertThat(schedule.isOpen(local("2026-03-03T10:00"))).isTrue();
		assertThat(schedule.isOpen(at("2026-03-29T02:00:00Z"))).isTrue();
		assertThat(schedule.nextTransition(local("2026-03-03T10:00"))).isEmpty();
		assertThat(schedule.nextTransition(at("2026-03-28T12:00:00Z"))).isEmpty();
	}

	@Test
	void springForwardMovesAMissingStartToTheEndOfTheGap() {
		// 2026-03-29: the clocks in Berlin go from 02:00 CET straight to 03:00 CEST.
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "02:00", "04:00"));
		Instant opens = at("2026-03-29T03:00+02:00");
		Instant closes = at("2026-03-29T04:00+02:00");
		assertThat(schedule.nextTransition(at("2026-03-29T00:00+01:00"))).contains(opens);
		assertThat(schedule.isOpen(at("2026-03-29T01:59:59+01:00"))).isFalse();
		assertThat(schedule.isOpen(opens)).isTrue();
		assertThat(schedule.nextTransition(opens)).contains(closes);
		assertThat(Duration.between(opens, closes)).hasHours(1);
		assertThat(schedule.nextTransition(at("2026-03-28T00:00+01:00")))
			.as("the day before is two real hours long")
			.contains(at("2026-03-28T02:00+01:00"));
		assertThat(schedule.nextTransition(at("2026-03-28T02:00+01:00"))).contains(at("2026-03-28T04:00+01:00"));
	}

	@Test
	void springForwardShiftsATimeInsideTheGapByTheGapsLength() {
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "01:00", "02:30"));
		Instant opens = at("2026-03-29T01:00+01:00");
		assertThat(schedule.nextTransition(opens)).contains(at("2026-03-29T03:30+02:00"));
		assertThat(schedule.isOpen(at("2026-03-29T03:15+02:00"))).isTrue();
	}

	@Test
	void springForwardSwallowsAWindowThatStartsInTheGapAndEndsBeforeItsShiftedStart() {
		// 02:30 does not exist and becomes 03:30 CEST, which is where the window ends: no window that night.
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "02:30", "03:30"));
		assertThat(schedule.isOpen(at("2026-03-29T03:15+02:00"))).isFalse();
		assertThat(schedule.nextTransition(at("2026-03-29T00:00+01:00"))).contains(at("2026-03-30T02:30+02:00"));
	}

	@Test
	void springForwardInsideAWindowCrossingMidnight() {
		UpdateWindowSchedule schedule = berlin(window("SAT", "22:00", "02:30"));
		Instant opens = at("2026-03-28T22:00+01:00");
		assertThat(schedule.nextTransition(opens)).contains(at("2026-03-29T03:30+02:00"));
		assertThat(schedule.isOpen(at("2026-03-29T03:00+02:00"))).isTrue();
	}

	@Test
	void fallBackCountsARepeatedStartTheFirstTime() {
		// 2026-10-25: the clocks in Berlin go from 03:00 CEST back to 02:00 CET; 02:00-03:00 happens twice.
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "02:00", "04:00"));
		Instant opens = at("2026-10-25T02:00+02:00");
		Instant closes = at("2026-10-25T04:00+01:00");
		assertThat(schedule.nextTransition(at("2026-10-25T00:00+02:00"))).contains(opens);
		assertThat(schedule.nextTransition(opens)).contains(closes);
		assertThat(schedule.isOpen(at("2026-10-25T02:30+01:00"))).isTrue();
		assertThat(Duration.between(opens, closes)).hasHours(3);
	}

	@Test
	void fallBackWindowInsideTheRepeatedHourOpensOnlyTheFirstTime() {
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "02:15", "02:45"));
		Instant opens = at("2026-10-25T02:15+02:00");
		Instant closes = at("2026-10-25T02:45+02:00");
		assertThat(schedule.nextTransition(at("2026-10-25T00:00+02:00"))).contains(opens);
		assertThat(schedule.nextTransition(opens)).contains(closes);
		assertThat(schedule.isOpen(at("2026-10-25T02:30+01:00"))).isFalse();
		assertThat(schedule.nextTransition(closes)).contains(at("2026-10-26T02:15+01:00"));
	}

	@Test
	void fallBackWindowEndingInTheRepeatedHourClosesTheFirstTime() {
		UpdateWindowSchedule schedule = berlin(window("MON-SUN", "01:00", "02:30"));
		assertThat(schedule.nextTransition(at("2026-10-25T01:00+02:00"))).contains(at("2026-10-25T02:30+02:00"));
		assertThat(schedule.isOpen(at("2026-10-25T02:15+01:00"))).isFalse();
	}

	@Test
	void transitionsFoundFromAnyMomentMatchTheStateEveryFiveMinutesAcrossBothChanges() {
		// Every boundary below is on a five-minute mark, so stepping five minutes meets each transition exactly.
		UpdateWindowSchedule schedule = berlin(window("MON-FRI", "02:00", "04:00"), window("SAT,SUN", "01:00", "02:30"),
				window("FRI", "23:00", "01:00"), window("SUN", "02:15", "02:45"), window("WED", "03:30", "02:10"));
		assertConsistentEveryFiveMinutes(schedule, at("2026-03-25T00:00:00Z"), at("2026-04-02T00:00:00Z"));
		assertConsistentEveryFiveMinutes(schedule, at("2026-10-21T00:00:00Z"), at("2026-10-29T00:00:00Z"));
	}

	private static void assertConsistentEveryFiveMinutes(UpdateWindowSchedule schedule, Instant start, Instant end) {
		boolean open = schedule.isOpen(start);
		Instant next = schedule.nextTransition(start).orElseThrow();
		List<Instant> transitions = new ArrayList<>();
		for (Instant minute = start.plusSeconds(300); minute.isBefore(end); minute = minute.plusSeconds(300)) {
			assertThat(minute).as("transition %s was stepped over", next).isBeforeOrEqualTo(next);
			if (minute.equals(next)) {
				transitions.add(minute);
				assertThat(schedule.isOpen(minute)).as("state changes at %s", minute).isNotEqualTo(open);
				open = !open;
				next = schedule.nextTransition(minute).orElseThrow();
			}
			else {
				assertThat(schedule.isOpen(minute)).as("state at %s", minute).isEqualTo(open);
				assertThat(schedule.nextTransition(minute)).as("next transition seen at %s", minute).contains(next);
			}
		}
		assertThat(transitions).hasSizeGreaterThan(10);
	}

	@Test
	void scheduleWithoutWindowsRestrictsNothing() {
		UpdateWindowSchedule none = UpdateWindowSchedule.none();
		assertThat(none.isEmpty()).isTrue();
		assertThat(none.isOpen(local("2026-03-04T12:00"))).isTrue();
		assertThat(none.nextTransition(local("2026-03-04T12:00"))).isEmpty();
		assertThat(none.zone()).isEqualTo(ZoneOffset.UTC);
		assertThat(none).hasToString("no update windows");
		assertThat(new UpdateWindowSchedule(null, null)).isEqualTo(none);
	}

	@Test
	void windowsWithoutAZoneAreRejectedWithAnExample() {
		List<UpdateWindow> windows = List.of(window("MON-FRI", "02:00", "04:00"));
		assertThatExceptionOfType(InvalidUpdateWindowException.class)
			.isThrownBy(() -> new UpdateWindowSchedule(null, windows))
			.withMessageStartingWith("Invalid update window 'zone': is missing")
			.withMessageEndingWith("A valid example: zone=Europe/Berlin")
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("zone"));
	}

	@Test
	void parsesZoneIdsAndRejectsUnknownOnesWithAnExample() {
		assertThat(UpdateWindowSchedule.parseZone(" Europe/Berlin ")).isEqualTo(BERLIN);
		assertThat(UpdateWindowSchedule.parseZone("UTC")).isEqualTo(ZoneId.of("UTC"));
		assertThatExceptionOfType(InvalidUpdateWindowException.class)
			.isThrownBy(() -> UpdateWindowSchedule.parseZone("Europe/Berlinn"))
			.withMessageStartingWith("Invalid update window 'zone': \"Europe/Berlinn\" is not a time zone ID")
			.withMessageEndingWith("A valid example: zone=Europe/Berlin");
		assertThatExceptionOfType(InvalidUpdateWindowException.class)
			.isThrownBy(() -> UpdateWindowSchedule.parseZone(""))
			.withMessageContaining("'zone': is empty");
	}

	@Test
	void windowsAreCopied() {
		List<UpdateWindow> windows = new ArrayList<>(List.of(window("MON", "02:00", "04:00")));
		UpdateWindowSchedule schedule = new UpdateWindowSchedule(BERLIN, windows);
		windows.clear();
		assertThat(schedule.windows()).hasSize(1);
		assertThat(schedule.nextTransition(local("2026-03-03T00:00"))).isEqualTo(Optional.of(local("2026-03-09T02:00")));
	}

	@Test
	void readsLikeTheConfiguration() {
		assertThat(berlin(window("MON-FRI", "02:00", "04:00"), window("SAT,SUN", "01:00", "05:00")))
			.hasToString("MON-FRI 02:00-04:00, SAT,SUN 01:00-05:00 (Europe/Berlin)");
	}

}
