package io.github.updatelock.aop;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operation look-up, with its small cache in front: the same method may be advised on
 * one class and not on another, and methods that share a cache slot must not see each
 * other's operation.
 */
class HoldUpdateLockOperationSourceTests {

	private final HoldUpdateLockOperationSource operations = new HoldUpdateLockOperationSource(
			LockNotObtainedPolicy.THROW, new StandardEnvironment(), null, getClass().getClassLoader());

	@Test
	void sameMethodIsJudgedPerTargetClassOnEveryCall() throws NoSuchMethodException {
		Method work = Base.class.getMethod("work");
		for (int call = 0; call < 3; call++) {
			assertThat(this.operations.get(work, AnnotatedSubclass.class)).isNotNull()
				.satisfies((operation) -> assertThat(operation.holdName(null, new Object[0])).isEqualTo("subclass"));
			assertThat(this.operations.get(work, PlainSubclass.class)).isNull();
		}
	}

	@Test
	void manyMethodsInTurnEachGetTheirOwnOperation() throws NoSuchMethodException {
		Method flash = Device.class.getMethod("flash");
		// More methods than the cache has slots, so some share flash's slot and evict it.
		Method[] others = String.class.getMethods();
		assertThat(others.length).isGreaterThan(64);
		for (int round = 0; round < 3; round++) {
			for (Method other : others) {
				assertThat(this.operations.get(other, String.class)).isNull();
				assertThat(this.operations.get(flash, Device.class)).isNotNull()
					.satisfies((operation) -> assertThat(operation.holdName(null, new Object[0])).isEqualTo("flash"));
			}
		}
	}

	public static class Base {

		public String work() {
			return "work";
		}

	}

	@HoldUpdateLock("subclass")
	public static class AnnotatedSubclass extends Base {

	}

	public static class PlainSubclass extends Base {

	}

	public static class Device {

		@HoldUpdateLock("flash")
		public void flash() {
		}

	}

}
