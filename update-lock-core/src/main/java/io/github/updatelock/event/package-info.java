/**
 * What happens to the lock, as records an
 * {@link io.github.updatelock.UpdateLockListener} receives (and the Spring integration
 * publishes as application events).
 */
@NullMarked
package io.github.updatelock.event;

import org.jspecify.annotations.NullMarked;
