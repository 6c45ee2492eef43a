package io.github.updatelock.sample.boot3;

import io.github.updatelock.UpdateLockStatus;

/**
 * What a critical section answers once its work is done.
 *
 * @param section which critical section ran: {@code sync}, {@code async} or
 * {@code reactive}
 * @param millis how long its work took
 * @param lockStatus the lock's status as the work ended, still inside the section
 */
public record SectionResult(String section, long millis, UpdateLockStatus lockStatus) {
}
