package io.github.updatelock.autoconfigure.window;

import io.github.updatelock.window.UpdateWindowGuard;

/**
 * Customizes the auto-configured {@link UpdateWindowGuard} before it is built, after the
 * {@code update-lock.window.*} properties are applied: for example to judge the windows by
 * another clock or to run the guard on a scheduler of the application's own.
 */
@FunctionalInterface
public interface UpdateWindowGuardBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder, with the configured properties already set
	 */
	void customize(UpdateWindowGuard.Builder builder);

}
