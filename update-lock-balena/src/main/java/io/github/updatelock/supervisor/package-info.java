/**
 * Awareness of the balena Supervisor's HTTP API: knowing when an update waits on this
 * process's lock, and asking the Supervisor to apply it now.
 * <p>
 * {@link io.github.updatelock.supervisor.SupervisorApiSettings} finds the API address and
 * key (the service needs the label {@code io.balena.features.supervisor-api: '1'}),
 * {@link io.github.updatelock.supervisor.SupervisorClient} makes the few calls needed, and
 * {@link io.github.updatelock.supervisor.UpdatePendingMonitor} polls them only while the
 * lock is held or awaited, reports a pending update once, and can yield named holds
 * according to an {@link io.github.updatelock.supervisor.UpdateYieldPolicy}.
 */
@NullMarked
package io.github.updatelock.supervisor;

import org.jspecify.annotations.NullMarked;
