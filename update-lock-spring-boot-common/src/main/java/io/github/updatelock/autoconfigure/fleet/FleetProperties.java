package io.github.updatelock.autoconfigure.fleet;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of fleet visibility ({@code update-lock.fleet.*}): what the update lock holds
 * back, as device tags written through the Supervisor, or through balenaCloud on Supervisors
 * older than 17.8.
 * <p>
 * For that fallback, the API address, device key and device uuid come from the variables
 * balena injects into a service with the label {@code io.balena.features.balena-api: '1'}; the
 * properties here override them. The values are checked by the balena module's settings and
 * publisher; the auto-configuration reports a rejected value under its key, and never shows
 * the device key.
 */
@ConfigurationProperties("update-lock.fleet")
public class FleetProperties {

	/**
	 * Whether to show what the update lock holds back as device tags, through the Supervisor API or the balenaCloud API.
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
	 * Shortest time between two tag writes; changes in between are written together when it ends.
	 */
	private Duration minInterval = Duration.ofSeconds(30);

	/**
	 * Prefix of the tag keys, such as update-lock for update-lock.main.status.
	 */
	private String tagPrefix = "update-lock";

	/**
	 * Whether to write "none" (or "ok") into the tags this application set when it stops in an orderly way; tags cannot be deleted through the Supervisor.
	 */
	private boolean clearTagsOnShutdown = true;

	/**
	 * Name of the service, part of every tag key; overrides BALENA_SERVICE_NAME.
	 */
	private String serviceName;

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

	public boolean isClearTagsOnShutdown() {
		return this.clearTagsOnShutdown;
	}

	public void setClearTagsOnShutdown(boolean clearTagsOnShutdown) {
		this.clearTagsOnShutdown = clearTagsOnShutdown;
	}

	public String getServiceName() {
		return this.serviceName;
	}

	public void setServiceName(String serviceName) {
		this.serviceName = serviceName;
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
