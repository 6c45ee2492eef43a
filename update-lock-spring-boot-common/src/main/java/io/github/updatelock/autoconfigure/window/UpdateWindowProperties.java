package io.github.updatelock.autoconfigure.window;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of update windows ({@code update-lock.window.*}): the times of the week
 * during which updates may be applied. Outside every window the application keeps a named
 * hold, so that the Supervisor waits.
 * <p>
 * The values are checked by the core's window and guard builders; the auto-configuration
 * reports a rejected value under its key, with a valid example.
 */
@ConfigurationProperties("update-lock.window")
public class UpdateWindowProperties {

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
		this.holdName = holdName;
	}

	public Duration getMaxSleep() {
		return this.maxSleep;
	}

	public void setMaxSleep(Duration maxSleep) {
		this.maxSleep = maxSleep;
	}

	public Duration getMaxOperatorWindow() {
		return this.maxOperatorWindow;
	}

	public void setMaxOperatorWindow(Duration maxOperatorWindow) {
		this.maxOperatorWindow = maxOperatorWindow;
	}

	public Duration getRetryInterval() {
		return this.retryInterval;
	}

	public void setRetryInterval(Duration retryInterval) {
		this.retryInterval = retryInterval;
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

	}

}
