/**
 * Spring Boot auto-configuration of Supervisor API awareness ({@code update-lock.supervisor.*}):
 * a {@link io.github.updatelock.supervisor.SupervisorClient} and an
 * {@link io.github.updatelock.supervisor.UpdatePendingMonitor} that reports updates waiting on
 * the lock as Spring application events and may yield the startup and update-window holds
 * to them.
 */
@NullMarked
package io.github.updatelock.autoconfigure.supervisor;

import org.jspecify.annotations.NullMarked;
