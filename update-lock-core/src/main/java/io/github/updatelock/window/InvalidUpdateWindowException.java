package io.github.updatelock.window;

/**
 * An update window or schedule was configured wrongly. The message names the field and
 * shows a valid example; the parts are available separately so that a framework can prefix
 * the field with its own configuration key.
 */
public class InvalidUpdateWindowException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	/** The field at fault. */
	private final String field;

	/** What is wrong with the field, without its name. */
	private final String problem;

	/** A valid configuration to copy. */
	private final String example;

	/**
	 * Creates an exception for one field.
	 * @param field the field at fault, such as {@code from}, {@code to}, {@code days} or {@code zone}
	 * @param problem what is wrong with it, without the field name
	 * @param example a valid configuration to copy
	 */
	public InvalidUpdateWindowException(String field, String problem, String example) {
		super("Invalid update window '" + field + "': " + problem + ". A valid example: " + example);
		this.field = field;
		this.problem = problem;
		this.example = example;
	}

	/**
	 * The field at fault.
	 * @return {@code from}, {@code to}, {@code days} or {@code zone}
	 */
	public String getField() {
		return this.field;
	}

	/**
	 * What is wrong, without the field name.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * A valid configuration to copy.
	 * @return the example, such as {@code from=02:00, to=04:00, days=MON-FRI}
	 */
	public String getExample() {
		return this.example;
	}

}
