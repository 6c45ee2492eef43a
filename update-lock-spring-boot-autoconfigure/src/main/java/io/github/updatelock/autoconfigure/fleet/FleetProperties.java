package io.github.updatelock.autoconfigure.fleet;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of fleet visibility ({@code update-lock.fleet.*}): the lock's state as
 * balenaCloud device tags.
 * <p>
 * The API address, device key and device uuid normally come from the variables balena
 * injects into a service with the label {@code io.balena.features.balena-api: '1'}; the
 * properties here override them. The values are checked by the balena module's settings and
 * publisher; the auto-configuration reports a rejected value under its key, and never shows
 * the device key.
 */
@ConfigurationProperties("update-lock.fleet")
public class FleetProperties {

	/**
	 * Whether to show the lock's state as balenaCloud device tags, when the API address, device key and uuid are known.
	 */
	private boolean enabled;

	/**
	 * balenaCloud API address, such as https://api.balena-cloud.com; overrides BALENA_API_URL.
	 */
	private String apiUrl;

	/**
	 * balenaCloud device API key; overrides BALENA_API_KEY.
	 */
	private String apiKey;

	/**
	 * The device's uuid; overrides BALENA_DEVICE_UUID.
	 */
	private String deviceUuid;

	/**
	 * Shortest time between two writes of one tag; changes in between are written together when it ends.
	 */
	private Duration minInterval = Duration.ofSeconds(30);

	/**
	 * Prefix of the tag keys, such as update-lock for update-lock.status.
	 */
	private String tagPrefix = "update-lock";

	/**
	 * Whether to remove the tags when the application stops in an orderly way.
	 */
	private boolean removeTagsOnShutdown = true;

	/**
	 * How long to wait for a connection to the balenaCloud API.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * How long to wait for a whole answer of the balenaCloud API.
	 */
	private Duration requestTimeout = Duration.ofSeconds(10);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getApiUrl() {
		return this.apiUrl;
	}

	public void setApiUrl(String apiUrl) {
		this.apiUrl = apiUrl;
	}

	public String getApiKey() {
		return this.apiKey;
	}

	public void setApiKey(String apiKey) {
		this.apiKey = apiKey;
	}

	public String getDeviceUuid() {
		return this.deviceUuid;
	}

	public void setDeviceUuid(String deviceUuid) {
		this.deviceUuid = deviceUuid;
	}

	public Duration getMinInterval() {
		return this.minInterval;
	}

	public void setMinInterval(Duration minInterval) {
		this.minInterval = minInterval;
	}

	public String getTagPrefix() {
		return this.tagPrefix;
	}

	public void setTagPrefix(String tagPrefix) {
		this.tagPrefix = tagPrefix;
	}

	public boolean isRemoveTagsOnShutdown() {
		return this.removeTagsOnShutdown;
	}

	public void setRemoveTagsOnShutdown(boolean removeTagsOnShutdown) {
		this.removeTagsOnShutdown = removeTagsOnShutdown;
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

}
