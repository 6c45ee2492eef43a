/**
 * Auto-configuration of the {@code updateLock} health contributor.
 */
@NullMarked
package io.github.updatelock.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
