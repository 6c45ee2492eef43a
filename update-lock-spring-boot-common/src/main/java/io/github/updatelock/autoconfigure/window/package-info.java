/**
 * Spring Boot auto-configuration of update windows ({@code update-lock.window.*}): an
 * {@link io.github.updatelock.window.UpdateWindowGuard} that keeps a named hold while every
 * configured window is closed, started and stopped with the application.
 */
@NullMarked
package io.github.updatelock.autoconfigure.window;

import org.jspecify.annotations.NullMarked;
