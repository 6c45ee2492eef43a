package io.github.updatelock.autoconfigure.supervisor;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.updatelock.autoconfigure.InvalidUpdateLockPropertyException;
import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.UpdateYieldMode;
import io.github.updatelock.supervisor.UpdateYieldPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Supervisor API awareness ({@code update-lock.supervisor.*}).
 * <p>
 * The address and key normally come from the variables the Supervisor injects into a
 * service with the label {@code io.balena.features.supervisor-api: '1'}; the properties
 * here override them. Setters reject values that cannot work by throwing an
 * {@link InvalidUpdateLockPropertyException} that names the full key and never shows the
 * API key.
 */
@ConfigurationProperties("update-lock.supervisor")
public class SupervisorApiProperties {

	private static final String PREFIX = "update-lock.supervisor.";

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
		this.address = (address != null) ? checkAddress(address.strip()) : null;
	}

	public String getApiKey() {
		return this.apiKey;
	}

	public void setApiKey(String apiKey) {
		String key = (apiKey != null) ? apiKey.strip() : null;
		if (key != null) {
			// The value is a secret: the exception carries no value, and the problem never quotes it.
			SupervisorApiSettings.apiKeyProblem(key).ifPresent((problem) -> {
				throw new InvalidUpdateLockPropertyException(PREFIX + "api-key", null, problem);
			});
		}
		this.apiKey = key;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = requirePositive(PREFIX + "connect-timeout", connectTimeout);
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requirePositive(PREFIX + "request-timeout", requestTimeout);
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = requirePositive(PREFIX + "poll-interval", pollInterval);
	}

	public Duration getErrorLogInterval() {
		return this.errorLogInterval;
	}

	public void setErrorLogInterval(Duration errorLogInterval) {
		this.errorLogInterval = requirePositive(PREFIX + "error-log-interval", errorLogInterval);
	}

	public Yield getYield() {
		return this.yield;
	}

	/**
	 * Applies the timeouts and the poll interval to settings found elsewhere.
	 * @param settings the address and key, with any timeouts
	 * @return the settings with the configured timeouts and poll interval
	 */
	public SupervisorApiSettings applyTo(SupervisorApiSettings settings) {
		return settings.withConnectTimeout(this.connectTimeout)
			.withRequestTimeout(this.requestTimeout)
			.withPollInterval(this.pollInterval);
	}

	private static String checkAddress(String address) {
		String requirement = "must be an absolute http or https address without query, such as "
				+ "http://127.0.0.1:48484";
		try {
			URI uri = new URI(address);
			String scheme = uri.getScheme();
			if (uri.isAbsolute() && uri.getHost() != null && uri.getRawQuery() == null
					&& uri.getRawFragment() == null
					&& ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
				return address;
			}
		}
		catch (URISyntaxException ex) {
			// Reported below like any other unusable address.
		}
		throw new InvalidUpdateLockPropertyException(PREFIX + "address", address, requirement);
	}

	private static Duration requirePositive(String property, Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new InvalidUpdateLockPropertyException(property, value, "must be more than zero");
		}
		return value;
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
			if (holds != null
					&& (holds.isEmpty() || holds.stream().anyMatch((name) -> name == null || name.isBlank()))) {
				throw new InvalidUpdateLockPropertyException(PREFIX + "yield.holds", holds,
						"must name at least one hold and no blank names");
			}
			this.holds = holds;
		}

		public Duration getMaxDeferral() {
			return this.maxDeferral;
		}

		public void setMaxDeferral(Duration maxDeferral) {
			this.maxDeferral = requirePositive(PREFIX + "yield.max-deferral", maxDeferral);
		}

		/**
		 * The policy these properties describe.
		 * @param defaultHolds the holds to yield when {@code holds} is not set
		 * @return the policy
		 */
		public UpdateYieldPolicy toPolicy(Set<String> defaultHolds) {
			if (this.mode == UpdateYieldMode.NEVER) {
				return UpdateYieldPolicy.never();
			}
			Set<String> names = (this.holds != null) ? Set.copyOf(this.holds) : defaultHolds;
			return new UpdateYieldPolicy(this.mode, names, this.maxDeferral);
		}

	}

}
