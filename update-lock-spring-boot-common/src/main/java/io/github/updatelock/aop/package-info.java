/**
 * {@link io.github.updatelock.aop.HoldUpdateLock @HoldUpdateLock}: hold the update lock
 * around a method, through an advisor that Spring's auto-proxy creator applies (no AspectJ
 * weaver needed), and {@link io.github.updatelock.aop.UpdateLockAssert} to prove in a
 * test that it applies.
 */
@NullMarked
package io.github.updatelock.aop;

import org.jspecify.annotations.NullMarked;
