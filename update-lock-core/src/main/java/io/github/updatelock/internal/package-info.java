/**
 * The lock file protocol (exclusive create, marker, classification, reclaim, inode-checked
 * release) and the native calls it needs. Not exported by the module and not API: use
 * {@link io.github.updatelock.UpdateLockManager}.
 */
@NullMarked
package io.github.updatelock.internal;

import org.jspecify.annotations.NullMarked;
