/**
 * The {@code updateLock} health contributor: UP while the lock works (held or not), DOWN
 * only for faults an operator has to act on.
 */
@NullMarked
package io.github.updatelock.health;

import org.jspecify.annotations.NullMarked;
