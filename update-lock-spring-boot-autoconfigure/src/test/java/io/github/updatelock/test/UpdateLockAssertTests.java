package io.github.updatelock.test;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import io.github.updatelock.aop.HoldUpdateLock;
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration;
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
	void checksTheHoldName() {
		runner().run((context) -> assertThatIllegalStateException()
			.isThrownBy(() -> context.getBean(FirmwareService.class).expectOtherName())
			.withMessage("The @HoldUpdateLock hold on this thread is 'firmware', not 'backup'"));
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
		assertThatNoException().isThrownBy(() -> UpdateLockAssert.assertHeld("anything"));
	}

	static class FirmwareService {

		@HoldUpdateLock("firmware")
		public String flash() {
			UpdateLockAssert.assertHeld();
			UpdateLockAssert.assertHeld("firmware");
			return "flashed";
		}

		@HoldUpdateLock("firmware")
		public CompletableFuture<String> flashAsync() {
			UpdateLockAssert.assertHeld("firmware");
			return CompletableFuture.completedFuture("flashed");
		}

		@HoldUpdateLock("firmware")
		public void expectOtherName() {
			UpdateLockAssert.assertHeld("backup");
		}

		public String flashThroughThis() {
			return flash();
		}

	}

}
