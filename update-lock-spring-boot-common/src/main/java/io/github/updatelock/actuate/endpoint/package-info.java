/**
 * The actuator endpoints, one per thing an operator may do: {@code updatelock} shows what
 * the update lock is doing and why, and (when an operator allows it) takes and releases
 * named holds over HTTP; {@code updatewindow} shows and opens or closes update windows;
 * {@code forceupdate} asks the Supervisor to apply an update over every lock.
 * <p>
 * An optional parameter of an operation carries two {@code @Nullable}s: JSpecify's, for the
 * code and Spring Boot 4, and Spring Framework's {@code org.springframework.lang.Nullable},
 * the only one by which Spring Boot 3.5 tells an optional parameter from a required one (it
 * answers 400 for a request without a parameter it takes for required).
 */
@NullMarked
package io.github.updatelock.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
