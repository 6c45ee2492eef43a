package io.github.updatelock.autoconfigure.window;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.updatelock.window.InvalidUpdateWindowException;
import io.github.updatelock.window.UpdateWindow;
import io.github.updatelock.window.UpdateWindowSchedule;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds the {@link UpdateWindowSchedule} of the {@code update-lock.window.*} properties.
 * The core names the field at fault and gives an example in its own terms
 * ({@code zone=...}, {@code from=..., to=...}); both are turned into full keys that can be
 * copied.
 */
final class ConfiguredUpdateWindowSchedule {

	private static final String PREFIX = "update-lock.window.";

	private ConfiguredUpdateWindowSchedule() {
	}

	/**
	 * The schedule the properties describe.
	 * @param properties the bound properties
	 * @return the schedule, empty when no ranges are configured
	 * @throws InvalidConfigurationPropertyValueException naming the full key of the first
	 * value at fault, with a valid example
	 */
	static UpdateWindowSchedule of(UpdateWindowProperties properties) {
		String zone = properties.getZone();
		ZoneId zoneId = (zone != null) ? check(PREFIX, zone, () -> UpdateWindowSchedule.parseZone(zone)) : null;
		List<UpdateWindow> windows = new ArrayList<>();
		List<UpdateWindowProperties.Range> ranges = properties.getRanges();
		for (int index = 0; index < ranges.size(); index++) {
			windows.add(window(PREFIX + "ranges[" + index + "].", ranges.get(index)));
		}
		return check(PREFIX, zone, () -> new UpdateWindowSchedule(zoneId, windows));
	}

	private static UpdateWindow window(String prefix, UpdateWindowProperties.Range range) {
		LocalTime from = check(prefix, range.getFrom(), () -> UpdateWindow.parseTime("from", range.getFrom()));
		LocalTime to = check(prefix, range.getTo(), () -> UpdateWindow.parseTime("to", range.getTo()));
		String days = (range.getDays() != null) ? String.join(",", range.getDays()) : null;
		Set<DayOfWeek> parsedDays = (days != null) ? check(prefix, days, () -> UpdateWindow.parseDays(days)) : null;
		return check(prefix, null, () -> new UpdateWindow(parsedDays, from, to));
	}

	private static <T> T check(String prefix, Object value, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (InvalidUpdateWindowException ex) {
			throw new InvalidConfigurationPropertyValueException(prefix + ex.getField(), value,
					ex.getProblem() + ". A valid example: " + withKeys(prefix, ex.getExample()));
		}
	}

	private static String withKeys(String prefix, String example) {
		return Arrays.stream(example.split(", "))
			.map((part) -> (part.contains("=") ? prefix : "") + part)
			.collect(Collectors.joining(", "));
	}

}
