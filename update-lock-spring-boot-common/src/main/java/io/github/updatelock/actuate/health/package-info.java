/**
 * The update lock's health, as a plain check that each Spring Boot line's health indicator
 * adapts to its own types.
 */
@NullMarked
package io.github.updatelock.actuate.health;

import org.jspecify.annotations.NullMarked;
