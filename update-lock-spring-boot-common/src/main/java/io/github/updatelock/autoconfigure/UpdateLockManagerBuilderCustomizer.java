package io.github.updatelock.autoconfigure;

import io.github.updatelock.UpdateLockManager;

/**
 * Customizes the {@link UpdateLockManager.Builder} of the auto-configured manager, after
 * the {@code update-lock.*} properties are applied: for what has no property, such as
 * the clock, the environment read for the lock path, or listeners. The shutdown hook stays
 * off whatever a customizer does: Spring closes the manager.
 */
@FunctionalInterface
public interface UpdateLockManagerBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder, with the properties applied
	 */
	void customize(UpdateLockManager.Builder builder);

}
