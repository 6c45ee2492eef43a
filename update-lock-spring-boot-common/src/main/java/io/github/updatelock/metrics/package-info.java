/**
 * Micrometer meters for the update lock ({@code update.lock.*}).
 */
@NullMarked
package io.github.updatelock.metrics;

import org.jspecify.annotations.NullMarked;
