/**
 * A device application that flashes firmware and syncs data while holding the balenaOS
 * update lock, and shows what the lock does over HTTP: {@code POST /demo/critical},
 * {@code GET /actuator/updatelock} and {@code GET /actuator/health}.
 */
package io.github.updatelock.sample;
