package io.github.updatelock.autoconfigure.supervisor;

import java.time.Duration;
import java.util.List;

import io.github.updatelock.supervisor.UpdateYieldMode;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Supervisor API awareness ({@code update-lock.supervisor.*}).
 * <p>
 * The address and key normally come from the variables the Supervisor injects into a
 * service with the label {@code io.balena.features.supervisor-api: '1'}; the properties
 * here override them. The values are checked by the core's settings, monitor and yield
 * policy; the auto-configuration reports a rejected value under its key, and never shows
 * the API key.
 */
@ConfigurationProperties("update-lock.supervisor")
public class SupervisorApiProperties {

	/**
	 * Whether to watch the Supervisor API for updates that wait on the lock, when its address and key are known.
	 */
	private boolean enabled = true;

	/**
	 * Supervisor API address, such as http://127.0.0.1:48484; overrides BALENA_SUPERVISOR_ADDRESS.
	 */
	private String address;

	/**
	 * Supervisor API key; overrides BALENA_SUPERVISOR_API_KEY.
	 */
	private String apiKey;

	/**
	 * How long to wait for a connection to the Supervisor API.
	 */
	private Duration connectTimeout = Duration.ofSeconds(2);

	/**
	 * How long to wait for a whole answer of the Supervisor API.
	 */
	private Duration requestTimeout = Duration.ofSeconds(5);

	/**
	 * How often to ask the Supervisor API for pending updates, only while the lock is held or awaited.
	 */
	private Duration pollInterval = Duration.ofSeconds(30);

	/**
	 * Shortest time between two logged failures to reach the Supervisor API; the first one is logged at once.
	 */
	private Duration errorLogInterval = Duration.ofMinutes(10);

	private final Yield yield = new Yield();

	private final ForceUpdate forceUpdate = new ForceUpdate();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getAddress() {
		return this.address;
	}

	public void setAddress(String address) {
		this.address = address;
	}

	public String getApiKey() {
		return this.apiKey;
	}

	public void setApiKey(String apiKey) {
		this.apiKey = apiKey;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public Duration getErrorLogInterval() {
		return this.errorLogInterval;
	}

	public void setErrorLogInterval(Duration errorLogInterval) {
		this.errorLogInterval = errorLogInterval;
	}

	public Yield getYield() {
		return this.yield;
	}

	public ForceUpdate getForceUpdate() {
		return this.forceUpdate;
	}

	/**
	 * Giving way to pending updates ({@code update-lock.supervisor.yield.*}).
	 */
	public static class Yield {

		/**
		 * Whether to release the yieldable holds when an update is pending and no other hold is active.
		 */
		private UpdateYieldMode mode = UpdateYieldMode.NEVER;

		/**
		 * Names of the holds that may be released for a pending update; by default the startup and window holds.
		 */
		private List<String> holds;

		/**
		 * How long a pending update may wait on the yieldable holds while other holds are active; unset for no limit.
		 */
		private Duration maxDeferral;

		public UpdateYieldMode getMode() {
			return this.mode;
		}

		public void setMode(UpdateYieldMode mode) {
			this.mode = mode;
		}

		public List<String> getHolds() {
			return this.holds;
		}

		public void setHolds(List<String> holds) {
			this.holds = holds;
		}

		public Duration getMaxDeferral() {
			return this.maxDeferral;
		}

		public void setMaxDeferral(Duration maxDeferral) {
			this.maxDeferral = maxDeferral;
		}

	}

	/**
	 * Forcing an update over every lock ({@code update-lock.supervisor.force-update.*}).
	 */
	public static class ForceUpdate {

		/**
		 * Whether the forceupdate endpoint may exist; its own access and exposure are needed as well.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
