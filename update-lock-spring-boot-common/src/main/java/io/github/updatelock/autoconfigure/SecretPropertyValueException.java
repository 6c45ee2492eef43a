package io.github.updatelock.autoconfigure;

/**
 * A configuration property whose value was refused and must not be shown: an API key, or
 * an address that may carry a password. Boot's own
 * {@code InvalidConfigurationPropertyValueException} would have its failure analysis print
 * the value as written, so this one names the property and the reason only, and
 * {@link SecretPropertyValueFailureAnalyzer} explains it.
 */
public class SecretPropertyValueException extends IllegalArgumentException {

	private final String name;

	private final String reason;

	/**
	 * Creates an exception.
	 * @param name the property's full key, such as {@code update-lock.supervisor.api-key}
	 * @param reason what is wrong and what is accepted, without any of the value
	 */
	public SecretPropertyValueException(String name, String reason) {
		super(name + " " + reason);
		this.name = name;
		this.reason = reason;
	}

	/**
	 * The property's full key.
	 * @return the key
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * What is wrong and what is accepted.
	 * @return the reason, without any of the value
	 */
	public String getReason() {
		return this.reason;
	}

}
