package io.github.updatelock.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import io.github.updatelock.UnavailableLockPolicy;
import io.github.updatelock.aop.HoldUpdateLockAdvisor;
import io.github.updatelock.aop.LockNotObtainedPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the balenaOS update lock ({@code update-lock.*}).
 * <p>
 * The values are checked where they are used, by the core's builders; the
 * auto-configuration reports a rejected value under its key.
 */
@ConfigurationProperties("update-lock")
public class UpdateLockProperties {

	/**
	 * Whether to take the update lock at all; when off, no manager, advice or startup hold is set up.
	 */
	private boolean enabled = true;

	/**
	 * Lock file. When unset: BALENA_APP_LOCK_PATH, then RESIN_APP_LOCK_PATH, then /tmp/balena/updates.lock.
	 */
	private Path path;

	/**
	 * Whether to hold a flock(2) on the lock file, so that host OS updates wait too. Off, the lock protects against app updates only.
	 */
	private boolean flock = true;

	/**
	 * How long an acquisition waits while someone else holds the lock, unless it says otherwise.
	 */
	private Duration acquireTimeout = Duration.ofSeconds(10);

	/**
	 * First pause between two tries while waiting; it doubles up to the maximum backoff.
	 */
	private Duration initialBackoff = Duration.ofMillis(50);

	/**
	 * Longest pause between two tries while waiting; where the lock directory gives no change events, it bounds how late a freed lock is noticed.
	 */
	private Duration maxBackoff = Duration.ofSeconds(2);

	/**
	 * How often a held lock file is checked to still be ours.
	 */
	private Duration watchInterval = Duration.ofMillis(500);

	/**
	 * How long a hold may last before a warning names it (log, health detail, meter); 0 switches the warning off.
	 */
	private Duration longHoldWarning = Duration.ofHours(1);

	/**
	 * What acquisitions do where the lock cannot protect anything (lock directory missing or not writable).
	 */
	private UnavailableLockPolicy unavailablePolicy = UnavailableLockPolicy.RUN_UNPROTECTED;

	/**
	 * Whether to take a hold as the application starts, kept until released through UpdateLockStartupHold.
	 */
	private boolean holdOnStartup;

	private final Startup startup = new Startup();

	private final Shutdown shutdown = new Shutdown();

	private final Advice advice = new Advice();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Path getPath() {
		return this.path;
	}

	public void setPath(Path path) {
		this.path = path;
	}

	public boolean isFlock() {
		return this.flock;
	}

	public void setFlock(boolean flock) {
		this.flock = flock;
	}

	public Duration getAcquireTimeout() {
		return this.acquireTimeout;
	}

	public void setAcquireTimeout(Duration acquireTimeout) {
		this.acquireTimeout = acquireTimeout;
	}

	public Duration getInitialBackoff() {
		return this.initialBackoff;
	}

	public void setInitialBackoff(Duration initialBackoff) {
		this.initialBackoff = initialBackoff;
	}

	public Duration getMaxBackoff() {
		return this.maxBackoff;
	}

	public void setMaxBackoff(Duration maxBackoff) {
		this.maxBackoff = maxBackoff;
	}

	public Duration getWatchInterval() {
		return this.watchInterval;
	}

	public void setWatchInterval(Duration watchInterval) {
		this.watchInterval = watchInterval;
	}

	public Duration getLongHoldWarning() {
		return this.longHoldWarning;
	}

	public void setLongHoldWarning(Duration longHoldWarning) {
		this.longHoldWarning = longHoldWarning;
	}

	public UnavailableLockPolicy getUnavailablePolicy() {
		return this.unavailablePolicy;
	}

	public void setUnavailablePolicy(UnavailableLockPolicy unavailablePolicy) {
		this.unavailablePolicy = unavailablePolicy;
	}

	public boolean isHoldOnStartup() {
		return this.holdOnStartup;
	}

	public void setHoldOnStartup(boolean holdOnStartup) {
		this.holdOnStartup = holdOnStartup;
	}

	public Startup getStartup() {
		return this.startup;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Advice getAdvice() {
		return this.advice;
	}

	/**
	 * The hold taken as the application starts ({@code update-lock.startup.*}).
	 */
	public static class Startup {

		/**
		 * Name of the startup hold, as shown in snapshots, logs and events.
		 */
		private String name = "startup";

		/**
		 * How long startup waits for the startup hold; after that it goes on while the hold is taken in the background.
		 */
		private Duration wait = Duration.ZERO;

		/**
		 * Whether the application fails to start when the startup hold is not held once the wait is over.
		 */
		private boolean required;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public Duration getWait() {
			return this.wait;
		}

		public void setWait(Duration wait) {
			this.wait = wait;
		}

		public boolean isRequired() {
			return this.required;
		}

		public void setRequired(boolean required) {
			this.required = required;
		}

	}

	/**
	 * Orderly shutdown ({@code update-lock.shutdown.*}).
	 */
	public static class Shutdown {

		/**
		 * How long shutdown waits for running holds to end before the manager releases them anyway.
		 */
		private Duration wait = Duration.ofSeconds(5);

		public Duration getWait() {
			return this.wait;
		}

		public void setWait(Duration wait) {
			this.wait = wait;
		}

	}

	/**
	 * The {@code @HoldUpdateLock} advice ({@code update-lock.advice.*}).
	 */
	public static class Advice {

		/**
		 * What @HoldUpdateLock methods do when the lock cannot be had and the annotation leaves it to configuration.
		 */
		private LockNotObtainedPolicy ifNotObtained = LockNotObtainedPolicy.THROW;

		/**
		 * Order of the @HoldUpdateLock advice among other advice; lower values wrap around higher ones.
		 */
		private int order = HoldUpdateLockAdvisor.DEFAULT_ORDER;

		public LockNotObtainedPolicy getIfNotObtained() {
			return this.ifNotObtained;
		}

		public void setIfNotObtained(LockNotObtainedPolicy ifNotObtained) {
			this.ifNotObtained = ifNotObtained;
		}

		public int getOrder() {
			return this.order;
		}

		public void setOrder(int order) {
			this.order = order;
		}

	}

}
