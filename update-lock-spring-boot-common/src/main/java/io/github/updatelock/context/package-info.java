/**
 * The update lock in the application context's life: the startup hold, the lifecycles that
 * start and stop the manager and the update windows, holds given up to a pending update, and
 * the bridge that publishes the lock's events as application events.
 */
@NullMarked
package io.github.updatelock.context;

import org.jspecify.annotations.NullMarked;
