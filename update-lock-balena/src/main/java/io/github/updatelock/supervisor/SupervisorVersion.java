package io.github.updatelock.supervisor;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Supervisor's version, as {@code GET /v2/version} tells it, so that a caller can tell
 * which API calls it has.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 * @param text the version as the Supervisor wrote it, such as {@code 17.8.3}
 */
public record SupervisorVersion(int major, int minor, int patch, String text) {

	/**
	 * Leading digits only: pre-releases and builds ({@code 17.8.0-rc1+rev2}) compare as their
	 * release. The rest is limited to what a version is made of, since the text is logged.
	 */
	private static final Pattern VERSION = Pattern.compile("v?(\\d{1,9})\\.(\\d{1,9})(?:\\.(\\d{1,9}))?[0-9A-Za-z.+_-]{0,40}");

	/** The first Supervisor with device tags ({@code PATCH /v2/device/tags}); after the pattern it is parsed with. */
	public static final SupervisorVersion DEVICE_TAGS = parse("17.8.0");

	/**
	 * Checks the version.
	 * @param major the major version, not negative
	 * @param minor the minor version, not negative
	 * @param patch the patch version, not negative
	 * @param text the version as the Supervisor wrote it
	 */
	public SupervisorVersion {
		Objects.requireNonNull(text, "text");
		if (major < 0 || minor < 0 || patch < 0) {
			throw new IllegalArgumentException("version numbers must not be negative, was " + text);
		}
	}

	/**
	 * Reads a version such as {@code 17.8.3}.
	 * @param text the version
	 * @return the version
	 * @throws IllegalArgumentException if it does not start with two or three dot-separated numbers
	 */
	public static SupervisorVersion parse(String text) {
		Objects.requireNonNull(text, "text");
		Matcher matcher = VERSION.matcher(text.strip());
		if (!matcher.matches()) {
			throw new IllegalArgumentException("not a version such as 17.8.3: '" + text.strip() + "'");
		}
		int patch = (matcher.group(3) != null) ? Integer.parseInt(matcher.group(3)) : 0;
		return new SupervisorVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), patch,
				text.strip());
	}

	/**
	 * Whether this version is the given one or later.
	 * @param other the version to compare with
	 * @return {@code true} if this version is at least {@code other}
	 */
	public boolean isAtLeast(SupervisorVersion other) {
		if (this.major != other.major) {
			return this.major > other.major;
		}
		if (this.minor != other.minor) {
			return this.minor > other.minor;
		}
		return this.patch >= other.patch;
	}

	@Override
	public String toString() {
		return this.text;
	}

}
