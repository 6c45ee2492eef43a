/**
 * What the tests of every module share: the real programs that share the balenaOS update
 * lock with us ({@link io.github.updatelock.testsupport.LockPeers}), a fake balena
 * Supervisor API ({@link io.github.updatelock.testsupport.FakeSupervisor}), a fake
 * balenaCloud API for device tags ({@link io.github.updatelock.testsupport.FakeBalenaApi})
 * and a clock that only moves when a test moves it
 * ({@link io.github.updatelock.testsupport.MutableClock}).
 * <p>
 * Plain Java and JUnit Jupiter only: the core's tests use it, so it cannot depend on the
 * core, and nothing here may pull Spring onto their class path.
 */
package io.github.updatelock.testsupport;
