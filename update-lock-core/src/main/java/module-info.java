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

	// Not static: a static requires is resolved only when something else requires the module, so
	// an application that requires only this one would run without JNA, and so without flock(2),
	// on Java 17 to 21. JNA is needed on Java 22+ too: on a 32-bit ARM JDK built without libffi's
	// fallback linker (it has no other FFM linker there), and where a repacked jar is not read as
	// multi-release. JNA's jar names itself com.sun.jna
	// (Automatic-Module-Name), so the name is stable.
	requires com.sun.jna;

	requires static org.jspecify;

	exports io.github.updatelock;
	exports io.github.updatelock.event;
	exports io.github.updatelock.window;

}
