package io.github.updatelock;

/**
 * The knobs the torture tests share. Every random choice of a torture test comes from its
 * seed, so a failure seen once can be replayed with
 * {@code -D}{@value #SEED_PROPERTY}{@code =<the seed it printed>}; the sizes can be raised
 * for a longer soak.
 */
final class TortureSettings {

	static final String SEED_PROPERTY = "updatelock.torture.seed";

	/** Fixed, so that the normal test run is the same run every time. */
	static final long DEFAULT_SEED = 20260815L;

	private TortureSettings() {
	}

	static long seed() {
		return Long.getLong(SEED_PROPERTY, DEFAULT_SEED);
	}

	/**
	 * A size read from a system property.
	 * @param property the property
	 * @param defaultValue the size in the normal test run
	 * @return the size, at least one
	 */
	static int size(String property, int defaultValue) {
		int value = Integer.getInteger(property, defaultValue);
		if (value < 1) {
			throw new IllegalArgumentException(property + " must be at least 1, was " + value);
		}
		return value;
	}

}
