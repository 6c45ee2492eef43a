package io.github.updatelock.autoconfigure;

/**
 * An {@code update-lock.*} property has a value the lock cannot work with. Its message
 * names the full key, so that it is clear even without the failure analysis that
 * {@link InvalidUpdateLockPropertyFailureAnalyzer} adds at startup.
 */
public class InvalidUpdateLockPropertyException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final transient Object value;

	private final String requirement;

	private final String example;

	/**
	 * Creates an exception for one property whose default is a sensible way out.
	 * @param property the full key, such as {@code update-lock.max-backoff}
	 * @param value the rejected value
	 * @param requirement what the value must satisfy, as the end of a sentence that starts
	 * with the key, such as "must be more than zero"
	 */
	public InvalidUpdateLockPropertyException(String property, Object value, String requirement) {
		this(property, value, requirement, null);
	}

	/**
	 * Creates an exception for one property, with a valid configuration to copy; for
	 * properties without a default or whose default is no way out.
	 * @param property the full key, such as {@code update-lock.window.zone}
	 * @param value the rejected value, or {@code null} when the property is missing or its
	 * value is a secret that must not be shown
	 * @param requirement what the value must satisfy, as the end of a sentence that starts
	 * with the key, such as "is missing"
	 * @param example a valid configuration, such as {@code update-lock.window.zone=Europe/Berlin},
	 * or {@code null}
	 */
	public InvalidUpdateLockPropertyException(String property, Object value, String requirement, String example) {
		super(property + " " + requirement + ((value != null) ? ", was " + value : "")
				+ ((example != null) ? ". A valid example: " + example : ""));
		this.property = property;
		this.value = value;
		this.requirement = requirement;
		this.example = example;
	}

	/**
	 * The full key of the property.
	 * @return the key, such as {@code update-lock.max-backoff}
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The rejected value, as bound.
	 * @return the value, or {@code null} when the property is missing or a secret
	 */
	public Object getValue() {
		return this.value;
	}

	/**
	 * What the value must satisfy.
	 * @return the requirement, such as "must be more than zero"
	 */
	public String getRequirement() {
		return this.requirement;
	}

	/**
	 * A valid configuration to copy.
	 * @return the example, or {@code null} when leaving the property unset is the way out
	 */
	public String getExample() {
		return this.example;
	}

}
