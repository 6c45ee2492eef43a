package io.github.updatelock.actuate.endpoint;

import io.github.updatelock.UpdateLockProblem;

/**
 * Something that limits what the lock protects here.
 *
 * @param problem the kind of problem, a stable name
 * @param message what it means and what to do, naming the path
 */
public record WarningDescriptor(UpdateLockProblem problem, String message) {
}
