/**
 * The actuator endpoints, one per thing an operator may do: {@code updatelock} shows what
 * the update lock is doing and why, and (when an operator allows it) takes and releases
 * named holds over HTTP; {@code updatewindow} shows and opens or closes update windows;
 * {@code forceupdate} asks the Supervisor to apply an update over every lock.
 */
@NullMarked
package io.github.updatelock.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
