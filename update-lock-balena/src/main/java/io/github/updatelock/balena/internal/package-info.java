/**
 * What the balena APIs' clients share, not exported by the module: the API key rule,
 * one bounded call with its failures classified, bounded answer bodies and JSON read under
 * limits.
 */
@NullMarked
package io.github.updatelock.balena.internal;

import org.jspecify.annotations.NullMarked;
