package io.github.updatelock.aop;

/**
 * Published as a Spring application event when a {@link HoldUpdateLock @HoldUpdateLock}
 * method was not called because its hold could not be had and its policy is
 * {@link LockNotObtainedPolicy#SKIP}. Listen with
 * {@code @EventListener void on(HoldUpdateLockSkippedEvent event)}.
 *
 * @param holdName the name of the hold that was asked for
 * @param method the method that was skipped, as {@code fully.qualified.Class#method}
 */
public record HoldUpdateLockSkippedEvent(String holdName, String method) {
}
