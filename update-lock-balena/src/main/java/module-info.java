/**
 * The balena APIs for the update lock: knowing when an update waits on this process's lock,
 * yielding holds to it, and asking the Supervisor to apply it now
 * ({@code io.github.updatelock.supervisor}); showing the lock's state to the fleet operator as
 * balenaCloud device tags ({@code io.github.updatelock.fleet}).
 * <p>
 * What the two clients share lives in {@code io.github.updatelock.balena.internal}, which is
 * not exported. The lock itself is the core's ({@code io.github.updatelock}), which needs
 * neither HTTP nor JSON; this module talks to the balena APIs over the JDK's HTTP client and
 * reads their answers with Jackson's streaming parser (jackson-core, without databind).
 */
module io.github.updatelock.balena {

	requires transitive io.github.updatelock;

	requires java.net.http;

	requires tools.jackson.core;

	requires static org.jspecify;

	exports io.github.updatelock.supervisor;

	exports io.github.updatelock.fleet;

}
