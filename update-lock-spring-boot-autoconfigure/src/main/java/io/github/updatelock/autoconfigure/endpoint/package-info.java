/**
 * Auto-configuration of the {@code updatelock} actuator endpoint.
 */
@NullMarked
package io.github.updatelock.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
