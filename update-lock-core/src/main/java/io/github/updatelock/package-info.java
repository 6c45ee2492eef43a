/**
 * The balenaOS update lock in plain Java.
 * <p>
 * {@link io.github.updatelock.UpdateLockManager} takes the one lock file of a process
 * ({@code /tmp/balena/updates.lock} on a device) on behalf of any number of named,
 * reference-counted {@link io.github.updatelock.UpdateLockHold holds}: the Supervisor
 * sees the file and waits with app updates, and a host OS update's final reboot waits on
 * the {@code flock(2)} held on it.
 */
@NullMarked
package io.github.updatelock;

import org.jspecify.annotations.NullMarked;
