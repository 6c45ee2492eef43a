package io.github.updatelock.sample;

import io.github.updatelock.UpdateLockStatus;

/**
 * The outcome of one firmware flash, as {@code POST /demo/critical} answers it.
 *
 * @param variant how the flash ran: {@code blocking}, {@code async} or {@code reactive}
 * @param seconds how long it was asked to take
 * @param completed whether it ran to the end; {@code false} when the application began to
 * shut down first
 * @param lockStatus the update lock's status as the flash ended, still inside its hold:
 * {@code HELD} when it was protected to the end, {@code LOST} after an override,
 * {@code UNAVAILABLE} where the lock protects nothing
 */
public record FlashResult(String variant, int seconds, boolean completed, UpdateLockStatus lockStatus) {
}
