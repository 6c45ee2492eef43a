package io.github.updatelock.aop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
import io.github.updatelock.testsupport.OwnThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class UpdateLockAssertTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UpdateLockAutoConfiguration.class))
		.withBean(FirmwareService.class);

	@TempDir
	Path tempDir;

	@AfterEach
	void restoreAssertions() {
		UpdateLockAssert.TestHelper.makeAllAssertsPass(false);
	}

	private ApplicationContextRunner runner() {
		return this.contextRunner.withPropertyValues("update-lock.path=" + this.tempDir.resolve("updates.lock"));
	}

	@Test
	void passesInsideAnAdvisedMethod() {
		runner().run((context) -> {
			FirmwareService service = context.getBean(FirmwareService.class);
			assertThatNoException().isThrownBy(service::flash);
			assertThatNoException().isThrownBy(service::flashAsync);
		});
	}

	@Test
	void passesInACallNestedInAnAdvisedOne() {
		runner().run((context) -> assertThat(context.getBean(FirmwareService.class).flashWithHelper())
			.isEqualTo("flashed"));
	}

	@Test
	void failsInTheAsynchronousWorkOfAnAdvisedMethod() {
		runner().run((context) -> assertThat(context.getBean(FirmwareService.class).checkLater())
			.failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageStartingWith("No @HoldUpdateLock hold on this thread"));
	}

	@Test
	void failsOutsideAnyAdvisedMethod() {
		assertThatIllegalStateException().isThrownBy(UpdateLockAssert::assertHeld)
			.withMessageStartingWith("No @HoldUpdateLock hold on this thread");
	}

	@Test
	void failsOnACallThroughThis() {
		runner().run((context) -> assertThatIllegalStateException()
			.isThrownBy(() -> context.getBean(FirmwareService.class).flashThroughThis()));
	}

	@Test
	void failsWhenTheUpdateLockIsSwitchedOff() {
		runner().withPropertyValues("update-lock.enabled=false")
			.run((context) -> assertThatIllegalStateException()
				.isThrownBy(() -> context.getBean(FirmwareService.class).flash()));
	}

	@Test
	void failsAfterTheAdvisedCallReturned() {
		runner().run((context) -> {
			context.getBean(FirmwareService.class).flash();
			assertThatIllegalStateException().isThrownBy(UpdateLockAssert::assertHeld);
		});
	}

	@Test
	void testHelperMakesAssertionsPassWithoutSpring() {
		UpdateLockAssert.TestHelper.makeAllAssertsPass(true);
		assertThat(new FirmwareService().flash()).isEqualTo("flashed");
		assertThatNoException().isThrownBy(UpdateLockAssert::assertHeld);
	}

	static class FirmwareService {

		@HoldUpdateLock("firmware")
		public String flash() {
			UpdateLockAssert.assertHeld();
			return "flashed";
		}

		@HoldUpdateLock("firmware")
		public CompletableFuture<String> flashAsync() {
			UpdateLockAssert.assertHeld();
			return CompletableFuture.completedFuture("flashed");
		}

		@HoldUpdateLock("firmware")
		public String flashWithHelper() {
			return new FlashHelper().write();
		}

		@HoldUpdateLock("firmware")
		public CompletableFuture<Void> checkLater() {
			return CompletableFuture.runAsync(UpdateLockAssert::assertHeld, OwnThread.EXECUTOR);
		}

		public String flashThroughThis() {
			return flash();
		}

	}

	/** Not a bean: a plain object called from inside an advised method. */
	static class FlashHelper {

		String write() {
			UpdateLockAssert.assertHeld();
			return "flashed";
		}

	}

}
