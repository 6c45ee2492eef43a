/**
 * The balenaOS update lock protocol and its public API.
 * <p>
 * Applications use {@code io.github.updatelock} (the manager, holds, snapshots, listeners
 * and exceptions), {@code io.github.updatelock.event} (what happened to the lock) and
 * {@code io.github.updatelock.window} (update windows). The file protocol and the native
 * calls live in {@code io.github.updatelock.internal}, which is not exported: its types
 * may change in any release.
 */
module io.github.updatelock {

	// Optional: Java 22+ calls libc through FFM without it; with neither the lock file is still
	// created exclusively, without flock(2).
	requires static com.sun.jna;

	requires static org.jspecify;

	exports io.github.updatelock;
	exports io.github.updatelock.event;
	exports io.github.updatelock.window;

}
