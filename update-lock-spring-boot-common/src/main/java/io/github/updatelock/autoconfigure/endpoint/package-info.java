/**
 * Auto-configuration of the {@code updatelock}, {@code updatewindow} and
 * {@code forceupdate} actuator endpoints.
 */
@NullMarked
package io.github.updatelock.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
