/**
 * Update windows: let updates in only at certain times of the week.
 * <p>
 * An {@link io.github.updatelock.window.UpdateWindow} is one daily time range on some days
 * of the week ({@code MON-FRI 02:00-04:00}).
 */
package io.github.updatelock.window;
