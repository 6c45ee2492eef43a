package io.github.updatelock.autoconfigure.window;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.updatelock.autoconfigure.InvalidUpdateLockPropertyException;
import io.github.updatelock.window.InvalidUpdateWindowException;
import io.github.updatelock.window.UpdateWindow;
import io.github.updatelock.window.UpdateWindowSchedule;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of update windows ({@code update-lock.window.*}): the times of the week
 * during which updates may be applied. Outside every window the application keeps a named
 * hold, so that the Supervisor waits.
 * <p>
 * Setters reject values the guard cannot work with; the windows themselves are checked as a
 * whole by {@link #toSchedule()}. Every failure is an {@link InvalidUpdateLockPropertyException}
 * that names the full key and shows a valid example.
 */
@ConfigurationProperties("update-lock.window")
public class UpdateWindowProperties {

	private static final String PREFIX = "update-lock.window.";

	private static final Duration LONGEST_MAX_SLEEP = Duration.ofDays(1);

	/**
	 * Time zone of the ranges' wall-clock times, such as Europe/Berlin; required when ranges are set.
	 */
	private String zone;

	/**
	 * Daily time ranges during which updates may be applied; outside all of them updates wait.
	 */
	private List<Range> ranges = new ArrayList<>();

	/**
	 * Name of the hold kept while every window is closed, as shown in snapshots, logs and events.
	 */
	private String holdName = "update-window";

	/**
	 * Longest time between two looks at the clock, which bounds how late a clock jump is noticed.
	 */
	private Duration maxSleep = Duration.ofMinutes(1);

	/**
	 * Longest window an operator may open through the endpoint.
	 */
	private Duration maxOperatorWindow = Duration.ofHours(24);

	/**
	 * Pause before the next attempt when taking the hold failed (a lock held elsewhere is retried with the manager's backoff).
	 */
	private Duration retryInterval = Duration.ofSeconds(1);

	public String getZone() {
		return this.zone;
	}

	public void setZone(String zone) {
		this.zone = zone;
	}

	public List<Range> getRanges() {
		return this.ranges;
	}

	public void setRanges(List<Range> ranges) {
		this.ranges = ranges;
	}

	public String getHoldName() {
		return this.holdName;
	}

	public void setHoldName(String holdName) {
		if (holdName == null || holdName.isBlank()) {
			throw new InvalidUpdateLockPropertyException(PREFIX + "hold-name", "'" + holdName + "'",
					"must not be blank");
		}
		this.holdName = holdName;
	}

	public Duration getMaxSleep() {
		return this.maxSleep;
	}

	public void setMaxSleep(Duration maxSleep) {
		if (maxSleep != null
				&& (maxSleep.isNegative() || maxSleep.isZero() || maxSleep.compareTo(LONGEST_MAX_SLEEP) > 0)) {
			throw new InvalidUpdateLockPropertyException(PREFIX + "max-sleep", maxSleep,
					"must be more than zero and at most one day");
		}
		this.maxSleep = maxSleep;
	}

	public Duration getMaxOperatorWindow() {
		return this.maxOperatorWindow;
	}

	public void setMaxOperatorWindow(Duration maxOperatorWindow) {
		this.maxOperatorWindow = requirePositive(PREFIX + "max-operator-window", maxOperatorWindow);
	}

	public Duration getRetryInterval() {
		return this.retryInterval;
	}

	public void setRetryInterval(Duration retryInterval) {
		this.retryInterval = requirePositive(PREFIX + "retry-interval", retryInterval);
	}

	/**
	 * Turns the configured ranges into a schedule.
	 * @return the schedule, empty when no ranges are configured
	 * @throws InvalidUpdateLockPropertyException naming the full key of the first value at
	 * fault, with a valid example
	 */
	public UpdateWindowSchedule toSchedule() {
		ZoneId zoneId = (this.zone != null) ? parseZone(this.zone) : null;
		List<UpdateWindow> windows = new ArrayList<>();
		for (int index = 0; index < this.ranges.size(); index++) {
			windows.add(this.ranges.get(index).toWindow(PREFIX + "ranges[" + index + "]."));
		}
		try {
			return new UpdateWindowSchedule(zoneId, windows);
		}
		catch (InvalidUpdateWindowException ex) {
			throw invalid(PREFIX, ex, this.zone);
		}
	}

	private static ZoneId parseZone(String zone) {
		try {
			return UpdateWindowSchedule.parseZone(zone);
		}
		catch (InvalidUpdateWindowException ex) {
			throw invalid(PREFIX, ex, zone);
		}
	}

	/**
	 * The core names the field and gives an example in its own terms ({@code zone=...},
	 * {@code from=..., to=...}); both are turned into full keys that can be copied.
	 */
	private static InvalidUpdateLockPropertyException invalid(String prefix, InvalidUpdateWindowException ex,
			Object value) {
		return new InvalidUpdateLockPropertyException(prefix + ex.getField(), value, ex.getProblem(),
				withKeys(prefix, ex.getExample()));
	}

	private static String withKeys(String prefix, String example) {
		return Arrays.stream(example.split(", "))
			.map((part) -> (part.contains("=") ? prefix : "") + part)
			.collect(Collectors.joining(", "));
	}

	private static Duration requirePositive(String property, Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new InvalidUpdateLockPropertyException(property, value, "must be more than zero");
		}
		return value;
	}

	/**
	 * One daily time range ({@code update-lock.window.ranges[i].*}).
	 */
	public static class Range {

		/**
		 * Days on which the range opens, such as MON-FRI or SAT,SUN; every day when unset.
		 */
		private List<String> days;

		/**
		 * Wall-clock time the range opens, such as 02:00.
		 */
		private String from;

		/**
		 * Wall-clock time the range closes, such as 04:00; at or before 'from' it closes on the next day.
		 */
		private String to;

		public List<String> getDays() {
			return this.days;
		}

		public void setDays(List<String> days) {
			this.days = days;
		}

		public String getFrom() {
			return this.from;
		}

		public void setFrom(String from) {
			this.from = from;
		}

		public String getTo() {
			return this.to;
		}

		public void setTo(String to) {
			this.to = to;
		}

		UpdateWindow toWindow(String prefix) {
			LocalTime opens = parseTime(prefix, "from", this.from);
			LocalTime closes = parseTime(prefix, "to", this.to);
			String dayList = (this.days != null) ? String.join(",", this.days) : null;
			try {
				Set<DayOfWeek> parsedDays = (dayList != null) ? UpdateWindow.parseDays(dayList) : null;
				return new UpdateWindow(parsedDays, opens, closes);
			}
			catch (InvalidUpdateWindowException ex) {
				Object value = switch (ex.getField()) {
					case "from" -> this.from;
					case "to" -> this.to;
					default -> dayList;
				};
				throw invalid(prefix, ex, value);
			}
		}

		private static LocalTime parseTime(String prefix, String field, String value) {
			if (value == null) {
				return null;
			}
			try {
				return LocalTime.parse(value.strip());
			}
			catch (DateTimeParseException ex) {
				// YAML 1.1 reads an unquoted 22:00 as the sexagesimal number 1320.
				String hint = value.strip().matches("\\d+") ? "; in YAML, quote times such as '22:00', which are "
						+ "otherwise read as numbers" : "";
				throw new InvalidUpdateLockPropertyException(prefix + field, value,
						"must be a time of day such as 02:00 or 23:30" + hint, withKeys(prefix, UpdateWindow.EXAMPLE));
			}
		}

	}

}
