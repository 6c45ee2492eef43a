/**
 * Update windows: let updates in only at certain times of the week.
 * <p>
 * An {@link io.github.updatelock.window.UpdateWindow} is one daily time range on some days
 * of the week ({@code MON-FRI 02:00-04:00}); an
 * {@link io.github.updatelock.window.UpdateWindowSchedule} combines any number of them in one
 * time zone and answers whether updates are allowed at an instant and when that changes
 * next. An {@link io.github.updatelock.window.UpdateWindowGuard} turns a schedule into a
 * named hold on an {@link io.github.updatelock.UpdateLockManager}: held while every window
 * is closed, so that the Supervisor waits, released while one is open.
 */
@NullMarked
package io.github.updatelock.window;

import org.jspecify.annotations.NullMarked;
