package io.github.updatelock.actuate.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * Tells the {@link UpdateLockEndpoint} what the application's startup hold is doing, for
 * its {@code startupHold} field. The auto-configuration reads it from the
 * {@link io.github.updatelock.context.UpdateLockStartupHold} bean; without one the
 * field is {@code null}.
 */
@FunctionalInterface
public interface StartupHoldStateSource {

	/**
	 * The state of the startup hold in one word, for example {@code HELD} while the
	 * application starts and {@code RELEASED} once it has started.
	 * @return the state, or {@code null} when there is nothing to report
	 */
	@Nullable String startupHoldState();

}
