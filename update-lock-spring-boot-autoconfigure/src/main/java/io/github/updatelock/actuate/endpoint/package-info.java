/**
 * The {@code updatelock} actuator endpoint: what the update lock is doing and why, and
 * (when an operator allows it) named holds taken and released over HTTP.
 */
@NullMarked
package io.github.updatelock.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
