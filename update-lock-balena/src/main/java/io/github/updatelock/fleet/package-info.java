/**
 * Fleet visibility: this process's update lock shown as balenaCloud device tags, so that a
 * fleet operator sees in the dashboard's device list which devices hold back a release, for
 * what work and since when.
 * <p>
 * {@link io.github.updatelock.fleet.BalenaApiSettings} finds the API address, the device key
 * and the device's uuid (the service needs the label {@code io.balena.features.balena-api: '1'}),
 * {@link io.github.updatelock.fleet.BalenaApiClient} makes the few Pine (OData) calls needed,
 * {@link io.github.updatelock.fleet.FleetTags} works out the tags from the lock's state, and
 * {@link io.github.updatelock.fleet.FleetTagPublisher} writes them in the background,
 * coalesced and with backoff, never in the lock's way.
 */
@NullMarked
package io.github.updatelock.fleet;

import org.jspecify.annotations.NullMarked;
