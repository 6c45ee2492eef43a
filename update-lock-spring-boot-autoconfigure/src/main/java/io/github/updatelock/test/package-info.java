/**
 * Helpers for applications' own tests: {@link io.github.updatelock.test.UpdateLockAssert}
 * proves that {@code @HoldUpdateLock} applies. Shipped in the main jar because it is meant
 * to be called from application code too, like ShedLock's {@code LockAssert}.
 */
@NullMarked
package io.github.updatelock.test;

import org.jspecify.annotations.NullMarked;
