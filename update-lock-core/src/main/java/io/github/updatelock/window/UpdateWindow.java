package io.github.updatelock.window;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One daily time range, on some days of the week, during which updates may be applied.
 * <p>
 * The range is half-open: it opens at {@code from} and closes at {@code to}. When
 * {@code to} is not after {@code from} the range crosses midnight and belongs to the day
 * it starts on: {@code FRI 22:00-02:00} is open from Friday 22:00 to Saturday 02:00.
 * {@code from == to} is rejected because a window needs a length. Times are wall-clock
 * times of the schedule's zone; see {@link UpdateWindowSchedule} for daylight saving time.
 *
 * @param days the days on which the window opens; {@code null} means every day
 * @param from the wall-clock time the window opens
 * @param to the wall-clock time the window closes, on the next day when not after {@code from}
 */
public record UpdateWindow(@Nullable Set<DayOfWeek> days, LocalTime from, LocalTime to) {

	/** A valid window, shown in every validation message. */
	public static final String EXAMPLE = "from=02:00, to=04:00, days=MON-FRI";

	private static final String DAY_FORMS = "use MON, TUE, WED, THU, FRI, SAT, SUN (or the full names), "
			+ "single days or ranges separated by commas, such as MON-FRI, SAT,SUN or MON-WED,FRI";

	/**
	 * Validates the window.
	 * @param days the days on which the window opens; {@code null} means every day
	 * @param from the wall-clock time the window opens
	 * @param to the wall-clock time the window closes, on the next day when not after {@code from}
	 * @throws InvalidUpdateWindowException naming the field at fault
	 */
	public UpdateWindow {
		if (from == null) {
			throw invalid("from", "is missing");
		}
		if (to == null) {
			throw invalid("to", "is missing");
		}
		if (from.equals(to)) {
			throw invalid("to", "equals 'from' (" + from + "), so the window has no length; "
					+ "a 'to' at or before 'from' means the window crosses midnight");
		}
		if (days == null) {
			days = EnumSet.allOf(DayOfWeek.class);
		}
		else if (days.isEmpty()) {
			throw invalid("days", "is empty, so the window never opens; leave it out to mean every day");
		}
		else if (days.stream().anyMatch(Objects::isNull)) {
			throw invalid("days", "contains an empty entry");
		}
		days = Collections.unmodifiableSet(EnumSet.copyOf(days));
	}

	/**
	 * Creates a window from a day list as an operator writes it.
	 * @param days a day list for {@link #parseDays(String)}
	 * @param from the wall-clock time the window opens
	 * @param to the wall-clock time the window closes
	 * @return the window
	 * @throws InvalidUpdateWindowException naming the field at fault
	 */
	public static UpdateWindow of(String days, LocalTime from, LocalTime to) {
		return new UpdateWindow(parseDays(days), from, to);
	}

	/**
	 * Parses a day list: days ({@code MON} or {@code MONDAY}, any case) and ranges
	 * ({@code MON-FRI}) separated by commas, such as {@code MON-FRI}, {@code SAT,SUN} or
	 * {@code MON-WED,FRI}. A range follows the week and may wrap past Sunday:
	 * {@code FRI-MON} is Friday to Monday.
	 * @param spec the day list
	 * @return the days, never empty
	 * @throws InvalidUpdateWindowException naming {@code days} and the accepted forms
	 */
	public static Set<DayOfWeek> parseDays(String spec) {
		if (spec == null || spec.isBlank()) {
			throw invalid("days", "is empty; " + DAY_FORMS);
		}
		Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
		for (String part : spec.split(",", -1)) {
			String entry = part.strip();
			int dash = entry.indexOf('-');
			if (dash < 0) {
				days.add(day(entry, spec));
				continue;
			}
			if (entry.indexOf('-', dash + 1) >= 0) {
				throw invalid("days", "has \"" + spec + "\" with a range of more than two days (\"" + entry + "\"); "
						+ DAY_FORMS);
			}
			DayOfWeek first = day(entry.substring(0, dash).strip(), spec);
			DayOfWeek last = day(entry.substring(dash + 1).strip(), spec);
			for (DayOfWeek day = first; day != last; day = day.plus(1)) {
				days.add(day);
			}
			days.add(last);
		}
		return days;
	}

	/**
	 * Parses a wall-clock time such as {@code 02:00} or {@code 23:30}.
	 * @param field the field the time is for, {@code from} or {@code to}, named in the message
	 * @param time the time as written
	 * @return the time
	 * @throws InvalidUpdateWindowException naming the field and the accepted form
	 */
	public static LocalTime parseTime(String field, String time) {
		if (time == null) {
			throw invalid(field, "is missing");
		}
		try {
			return LocalTime.parse(time.strip());
		}
		catch (DateTimeParseException ex) {
			// YAML 1.1 reads an unquoted 22:00 as the sexagesimal number 1320.
			String hint = time.strip().matches("\\d+")
					? "; in YAML, quote times such as '22:00', which are otherwise read as numbers" : "";
			throw invalid(field, "must be a time of day such as 02:00 or 23:30, was " + time + hint);
		}
	}

	/**
	 * Whether the window closes on the day after it opens.
	 * @return {@code true} when {@code to} is not after {@code from}
	 */
	public boolean crossesMidnight() {
		return !this.to.isAfter(this.from);
	}

	/**
	 * The window as an operator reads it, such as {@code MON-FRI 02:00-04:00}.
	 * @return a compact description
	 */
	@Override
	public String toString() {
		return formatDays(this.days) + " " + this.from + "-" + this.to;
	}

	private static DayOfWeek day(String name, String spec) {
		String upper = name.toUpperCase(Locale.ROOT);
		for (DayOfWeek day : DayOfWeek.values()) {
			if (day.name().equals(upper) || day.name().substring(0, 3).equals(upper)) {
				return day;
			}
		}
		String shown = name.isEmpty() ? "an empty entry" : "\"" + name + "\", which is not a day";
		throw invalid("days", "has \"" + spec + "\" with " + shown + "; " + DAY_FORMS);
	}

	/** Consecutive days of three or more read best as a range; two stay a list (SAT,SUN). */
	private static String formatDays(Set<DayOfWeek> days) {
		List<String> parts = new ArrayList<>();
		DayOfWeek[] week = DayOfWeek.values();
		int index = 0;
		while (index < week.length) {
			if (!days.contains(week[index])) {
				index++;
				continue;
			}
			int end = index;
			while (end + 1 < week.length && days.contains(week[end + 1])) {
				end++;
			}
			if (end - index >= 2) {
				parts.add(abbreviation(week[index]) + "-" + abbreviation(week[end]));
			}
			else {
				for (int day = index; day <= end; day++) {
					parts.add(abbreviation(week[day]));
				}
			}
			index = end + 1;
		}
		return String.join(",", parts);
	}

	private static String abbreviation(DayOfWeek day) {
		return day.name().substring(0, 3);
	}

	private static InvalidUpdateWindowException invalid(String field, String problem) {
		return new InvalidUpdateWindowException(field, problem, EXAMPLE);
	}

}
