package io.github.updatelock.window;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The update windows of an application, in one time zone: updates are allowed while any
 * window is open.
 * <p>
 * Overlapping and adjacent windows act as one: {@code 01:00-03:00} and {@code 02:00-05:00}
 * are open from 01:00 to 05:00 without a transition in between. Each window is turned into
 * instants with {@link ZonedDateTime#of}, which settles daylight saving time:
 * <ul>
 * <li>A wall time that does not exist (a spring-forward gap) is moved forward by the length
 * of the gap. In Europe/Berlin on 2026-03-29, {@code 02:00} becomes 03:00 CEST and
 * {@code 02:30} becomes 03:30 CEST, so {@code 02:00-04:00} is open for one hour that night,
 * and {@code 02:30-03:30} does not open at all that night.</li>
 * <li>A wall time that happens twice (a fall-back overlap) counts the first time, at the
 * earlier offset. In Europe/Berlin on 2026-10-25, {@code 02:00-04:00} opens at 02:00 CEST
 * and closes at 04:00 CET, three hours later; {@code 02:15-02:45} is open only during the
 * first 02:15-02:45 (CEST).</li>
 * </ul>
 * A schedule without windows restricts nothing: it is always open and never changes.
 *
 * @param zone the time zone of every window's wall-clock times
 * @param windows the windows, in any order
 */
public record UpdateWindowSchedule(ZoneId zone, List<UpdateWindow> windows) {

	/** A valid zone, shown in the validation message. */
	public static final String ZONE_EXAMPLE = "zone=Europe/Berlin";

	/**
	 * How far ahead a transition is looked for. A run of open windows can be longer than a
	 * week only when a daylight saving shift bridges the one gap in the week, and such a
	 * bridge happens at most once in two weeks; a longer run means the windows cover the
	 * whole week.
	 */
	private static final int HORIZON_DAYS = 15;

	/**
	 * A window that crosses midnight reaches into the next day; two days back also covers a
	 * boundary that a daylight saving gap at midnight pushes into the day after.
	 */
	private static final int LOOK_BACK_DAYS = 2;

	/**
	 * Validates the schedule.
	 * @param zone the time zone of every window's wall-clock times
	 * @param windows the windows, in any order
	 * @throws InvalidUpdateWindowException naming {@code zone} when windows are given without one
	 */
	public UpdateWindowSchedule {
		windows = (windows != null) ? List.copyOf(windows) : List.of();
		if (zone == null) {
			if (!windows.isEmpty()) {
				throw new InvalidUpdateWindowException("zone", "is missing; the windows' times are wall-clock times "
						+ "of a time zone, and a container's default zone is usually UTC", ZONE_EXAMPLE);
			}
			zone = ZoneOffset.UTC;
		}
	}

	/**
	 * Creates a schedule.
	 * @param zone the time zone of the windows' times
	 * @param windows the windows
	 * @return the schedule
	 */
	public static UpdateWindowSchedule of(ZoneId zone, UpdateWindow... windows) {
		return new UpdateWindowSchedule(zone, List.of(windows));
	}

	/**
	 * A schedule without windows: always open.
	 * @return the empty schedule
	 */
	public static UpdateWindowSchedule none() {
		return new UpdateWindowSchedule(null, List.of());
	}

	/**
	 * Parses a time zone ID such as {@code Europe/Berlin} or {@code UTC}.
	 * @param zone the zone ID
	 * @return the zone
	 * @throws InvalidUpdateWindowException naming {@code zone} when the ID is unknown
	 */
	public static ZoneId parseZone(String zone) {
		if (zone == null || zone.isBlank()) {
			throw new InvalidUpdateWindowException("zone", "is empty", ZONE_EXAMPLE);
		}
		try {
			return ZoneId.of(zone.strip());
		}
		catch (DateTimeException ex) {
			throw new InvalidUpdateWindowException("zone", "\"" + zone + "\" is not a time zone ID ("
					+ ex.getMessage() + "); use a region ID such as Europe/Berlin, or UTC", ZONE_EXAMPLE);
		}
	}

	/**
	 * Whether no windows are configured, so that nothing is restricted.
	 * @return {@code true} without windows
	 */
	public boolean isEmpty() {
		return this.windows.isEmpty();
	}

	/**
	 * Whether updates are allowed at an instant.
	 * @param instant the instant
	 * @return {@code true} when a window is open (always, without windows)
	 */
	public boolean isOpen(Instant instant) {
		if (isEmpty()) {
			return true;
		}
		LocalDate date = LocalDate.ofInstant(instant, this.zone);
		return runs(date.minusDays(LOOK_BACK_DAYS), date).stream().anyMatch((run) -> run.contains(instant));
	}

	/**
	 * The next instant after {@code instant} at which {@link #isOpen(Instant)} changes: the
	 * end of the open run of windows containing it, or else the start of the next one.
	 * @param instant the instant
	 * @return the transition, strictly after {@code instant}; empty when the state never
	 * changes (no windows, or windows that together cover the whole week)
	 */
	public Optional<Instant> nextTransition(Instant instant) {
		if (isEmpty()) {
			return Optional.empty();
		}
		LocalDate date = LocalDate.ofInstant(instant, this.zone);
		LocalDate last = date.plusDays(HORIZON_DAYS);
		// No window of a later day starts before this, so a run ending earlier is complete.
		Instant horizon = last.plusDays(1).atStartOfDay(this.zone).toInstant();
		for (Run run : runs(date.minusDays(LOOK_BACK_DAYS), last)) {
			if (run.contains(instant)) {
				return run.end().isBefore(horizon) ? Optional.of(run.end()) : Optional.empty();
			}
			if (run.start().isAfter(instant)) {
				return Optional.of(run.start());
			}
		}
		return Optional.empty();
	}

	/**
	 * The windows as an operator reads them, such as
	 * {@code MON-FRI 02:00-04:00, SAT,SUN 01:00-05:00 (Europe/Berlin)}.
	 * @return a compact description
	 */
	@Override
	public String toString() {
		if (isEmpty()) {
			return "no update windows";
		}
		return this.windows.stream().map(UpdateWindow::toString).collect(Collectors.joining(", ")) + " ("
				+ this.zone.getId() + ")";
	}

	/** The windows opening on the given days as instants, overlapping and adjacent ones merged, in order. */
	private List<Run> runs(LocalDate first, LocalDate last) {
		List<Run> intervals = new ArrayList<>();
		for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
			for (UpdateWindow window : this.windows) {
				if (window.days().contains(date.getDayOfWeek())) {
					Instant start = ZonedDateTime.of(date, window.from(), this.zone).toInstant();
					LocalDate endDate = window.crossesMidnight() ? date.plusDays(1) : date;
					Instant end = ZonedDateTime.of(endDate, window.to(), this.zone).toInstant();
					// A window inside a spring-forward gap can end up with no length that night.
					if (end.isAfter(start)) {
						intervals.add(new Run(start, end));
					}
				}
			}
		}
		intervals.sort(Comparator.comparing(Run::start));
		List<Run> merged = new ArrayList<>();
		for (Run next : intervals) {
			int lastIndex = merged.size() - 1;
			if (lastIndex >= 0 && !next.start().isAfter(merged.get(lastIndex).end())) {
				Run current = merged.get(lastIndex);
				if (next.end().isAfter(current.end())) {
					merged.set(lastIndex, new Run(current.start(), next.end()));
				}
			}
			else {
				merged.add(next);
			}
		}
		return merged;
	}

	private record Run(Instant start, Instant end) {

		boolean contains(Instant instant) {
			return !instant.isBefore(this.start) && instant.isBefore(this.end);
		}

	}

}
