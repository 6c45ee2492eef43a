/**
 * The update lock's health indicator for Spring Boot 3.5's health types.
 */
@NullMarked
package io.github.updatelock.boot3.health;

import org.jspecify.annotations.NullMarked;
