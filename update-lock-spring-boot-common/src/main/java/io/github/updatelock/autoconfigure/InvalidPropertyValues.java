package io.github.updatelock.autoconfigure;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Hands configured values to the core's builders, which own the rules, and turns a
 * builder's rejection into Spring Boot's {@link InvalidConfigurationPropertyValueException}
 * for the key the value came from. Boot's failure analysis then names the key, the value
 * as written and where it was written, with the builder's message as the reason.
 */
public final class InvalidPropertyValues {

	private InvalidPropertyValues() {
	}

	/**
	 * Passes a configured value to a builder call.
	 * @param <T> the value's type
	 * @param key the full key, such as {@code update-lock.watch-interval}
	 * @param value the bound value
	 * @param builderCall the builder call that checks and takes the value
	 * @throws InvalidConfigurationPropertyValueException naming the key if the call rejects it
	 */
	public static <T> void apply(String key, T value, Consumer<T> builderCall) {
		get(key, value, () -> {
			builderCall.accept(value);
			return value;
		});
	}

	/**
	 * Runs a call that checks a configured value, such as a {@code build()} that compares it
	 * with another one.
	 * @param <R> the call's result
	 * @param key the full key of the value the call may reject
	 * @param value the bound value, shown when the key's source cannot be found
	 * @param call the call
	 * @return the call's result
	 * @throws InvalidConfigurationPropertyValueException naming the key if the call rejects it
	 */
	public static <R> R get(String key, Object value, Supplier<R> call) {
		try {
			return call.get();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(key, value, ex.getMessage());
		}
	}

}
