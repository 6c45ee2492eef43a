/**
 * Auto-configuration of the update lock's Micrometer meters.
 */
@NullMarked
package io.github.updatelock.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
