/**
 * The smallest Spring Boot 3.5 application with the update lock: three critical sections,
 * one per kind of return type, reachable over {@code POST /critical/{sync|async|reactive}},
 * and the lock's state at {@code GET /actuator/updatelock} and {@code GET /actuator/health}.
 */
@NullMarked
package io.github.updatelock.sample.boot3;

import org.jspecify.annotations.NullMarked;
