/**
 * The balena Supervisor API for the update lock: knowing when an update waits on this
 * process's lock, yielding holds to it, and asking the Supervisor to apply it now.
 * <p>
 * Everything lives in {@code io.github.updatelock.supervisor}. The lock itself is the
 * core's ({@code io.github.updatelock}), which needs neither HTTP nor JSON; this module
 * talks to the Supervisor over the JDK's HTTP client and reads its answers with Jackson.
 */
module io.github.updatelock.balena {

	requires transitive io.github.updatelock;

	requires java.net.http;

	requires tools.jackson.databind;

	requires static org.jspecify;

	exports io.github.updatelock.supervisor;

}
