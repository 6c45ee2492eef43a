/**
 * Spring Boot auto-configuration of fleet visibility ({@code update-lock.fleet.*}): a
 * {@link io.github.updatelock.fleet.FleetTagPublisher} that shows the update lock's state as
 * balenaCloud device tags.
 */
@NullMarked
package io.github.updatelock.autoconfigure.fleet;

import org.jspecify.annotations.NullMarked;
