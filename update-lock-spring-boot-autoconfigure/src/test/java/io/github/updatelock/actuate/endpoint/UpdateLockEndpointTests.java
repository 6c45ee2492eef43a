package io.github.updatelock.actuate.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import io.github.updatelock.UnavailableLockPolicy;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockProblem;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockWaitingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UpdateLockEndpoint}, called directly on a real manager and real files.
 */
class UpdateLockEndpointTests {

	@TempDir
	Path directory;

	private UpdateLockManager manager;

	@AfterEach
	void closeManager() {
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private Path lockPath() {
		return this.directory.resolve("updates.lock");
	}

	private UpdateLockManager manager() {
		return manager((builder) -> {
		});
	}

	private UpdateLockManager manager(Consumer<UpdateLockManager.Builder> customizer) {
		UpdateLockManager.Builder builder = UpdateLockManager.builder()
			.lockPath(lockPath())
			.environment(Map.of())
			.shutdownHook(false);
		customizer.accept(builder);
		this.manager = builder.build();
		return this.manager;
	}

	@Test
	void readWhileIdleReportsAReleasedLockAndNoFile() {
		UpdateLockDescriptor read = new UpdateLockEndpoint(manager()).updateLock();
		assertThat(read.status()).isEqualTo(UpdateLockStatus.RELEASED);
		assertThat(read.path()).isEqualTo(lockPath().toString());
		assertThat(read.file()).isEqualTo(new LockFileDescriptor(false, false, null));
		assertThat(read.flockHeld()).isFalse();
		assertThat(read.heldSince()).isNull();
		assertThat(read.holds()).isEmpty();
		assertThat(read.blocker()).isNull();
		assertThat(read.blockedSince()).isNull();
		assertThat(read.staleReclaims()).isZero();
		assertThat(read.lastStaleReclaim()).isNull();
		assertThat(read.lastLost()).isNull();
		assertThat(read.startupHold()).isNull();
		assertThat(read.window()).isNull();
		assertThat(read.supervisor()).isNull();
		assertThat(read.warnings()).isEmpty();
	}

	@Test
	void readWhileCodeHoldsTheLockShowsTheHoldAndOurFile() throws IOException {
		UpdateLockManager manager = manager();
		try (UpdateLockHold hold = manager.acquire("nightly-sync")) {
			UpdateLockDescriptor read = new UpdateLockEndpoint(manager).updateLock();
			assertThat(read.status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(read.file()).isEqualTo(new LockFileDescriptor(true, true, ownerOf(lockPath())));
			assertThat(read.flockHeld()).isTrue();
			assertThat(read.heldSince()).isNotNull();
			assertThat(read.holds()).singleElement().satisfies((described) -> {
				assertThat(described.id()).isEqualTo(hold.id());
				assertThat(described.name()).isEqualTo("nightly-sync");
				assertThat(described.since()).isEqualTo(hold.since());
				assertThat(described.duration()).isGreaterThanOrEqualTo(Duration.ZERO);
				assertThat(described.operator()).isFalse();
			});
		}
	}

	@Test
	void readShowsAFileThatIsNotOurs() throws IOException {
		Files.writeString(lockPath(), "another program's lock");
		UpdateLockDescriptor read = new UpdateLockEndpoint(manager()).updateLock();
		assertThat(read.status()).isEqualTo(UpdateLockStatus.RELEASED);
		assertThat(read.file()).isEqualTo(new LockFileDescriptor(true, false, ownerOf(lockPath())));
	}

	@Test
	void readAsksTheStartupHoldSourceEveryTime() {
		String[] state = { "HELD" };
		UpdateLockEndpoint endpoint = new UpdateLockEndpoint(manager(), () -> state[0]);
		assertThat(endpoint.updateLock().startupHold()).isEqualTo("HELD");
		state[0] = "RELEASED";
		assertThat(endpoint.updateLock().startupHold()).isEqualTo("RELEASED");
	}

	@Test
	void readWarnsAboutAnOverrideVariableInTheEnvironment() {
		UpdateLockManager manager = manager((builder) -> builder
			.environment(Map.of("BALENA_SUPERVISOR_OVERRIDE_LOCK", "1")));
		assertThat(new UpdateLockEndpoint(manager).updateLock().warnings()).singleElement().satisfies((warning) -> {
			assertThat(warning.problem()).isEqualTo(UpdateLockProblem.OVERRIDE_VARIABLE_SET);
			assertThat(warning.message()).contains("BALENA_SUPERVISOR_OVERRIDE_LOCK=1");
		});
	}

	@Test
	void readReportsAMissingLockDirectory() {
		Path missing = this.directory.resolve("not-balena");
		UpdateLockManager manager = manager((builder) -> builder.lockPath(missing.resolve("updates.lock")));
		UpdateLockDescriptor read = new UpdateLockEndpoint(manager).updateLock();
		assertThat(read.status()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
		assertThat(read.warnings()).extracting(WarningDescriptor::problem)
			.containsExactly(UpdateLockProblem.LOCK_DIRECTORY_MISSING);
		assertThat(read.file()).isEqualTo(new LockFileDescriptor(false, false, null));
	}

	@Test
	void takeHoldKeepsTheLockUntilReleaseHold() {
		UpdateLockEndpoint endpoint = new UpdateLockEndpoint(manager());
		OperatorHoldDescriptor taken = endpoint.takeHold("maintenance", null);
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
		assertThat(taken.lockStatus()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(taken.since()).isNotNull();
		assertThat(taken.message()).contains("maintenance");
		assertThat(lockPath()).exists();
		assertThat(endpoint.updateLock().holds()).singleElement().satisfies((hold) -> {
			assertThat(hold.name()).isEqualTo("maintenance");
			assertThat(hold.operator()).isTrue();
		});
		OperatorHoldDescriptor released = endpoint.releaseHold("maintenance");
		assertThat(released.outcome()).isEqualTo(OperatorHoldOutcome.RELEASED);
		assertThat(released.lockStatus()).isEqualTo(UpdateLockStatus.RELEASED);
		assertThat(released.since()).isEqualTo(taken.since());
		assertThat(released.heldFor()).isGreaterThanOrEqualTo(Duration.ZERO);
		assertThat(released.message()).contains("updates may proceed");
		assertThat(lockPath()).doesNotExist();
	}

	@Test
	void takeHoldOfANameAlreadyHeldChangesNothing() {
		UpdateLockEndpoint endpoint = new UpdateLockEndpoint(manager());
		OperatorHoldDescriptor first = endpoint.takeHold("maintenance", null);
		OperatorHoldDescriptor second = endpoint.takeHold("maintenance", null);
		assertThat(second.outcome()).isEqualTo(OperatorHoldOutcome.ALREADY_HELD);
		assertThat(second.since()).isEqualTo(first.since());
		assertThat(this.manager.snapshot().holds()).hasSize(1);
	}

	@Test
	void takeHoldWhileAnotherProgramHoldsTheLockIsBlocked() throws IOException {
		Files.writeString(lockPath(), "another program's lock");
		UpdateLockEndpoint endpoint = new UpdateLockEndpoint(manager());
		OperatorHoldDescriptor answer = endpoint.takeHold("maintenance", null);
		assertThat(answer.outcome()).isEqualTo(OperatorHoldOutcome.BLOCKED);
		assertThat(answer.message()).contains("another program");
		assertThat(answer.since()).isNull();
		assertThat(this.manager.snapshot().holds()).isEmpty();
	}

	@Test
	void takeHoldWaitsUpToTheRequestedTime() throws IOException {
		Files.writeString(lockPath(), "another program's lock");
		UpdateLockManager manager = manager((builder) -> builder.initialBackoff(Duration.ofMillis(10))
			.listener((event) -> {
				if (event instanceof UpdateLockWaitingEvent) {
					// The other program lets go while the operator's request waits.
					delete(lockPath());
				}
			}));
		OperatorHoldDescriptor answer = new UpdateLockEndpoint(manager).takeHold("maintenance", "5s");
		assertThat(answer.outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
		assertThat(answer.lockStatus()).isEqualTo(UpdateLockStatus.HELD);
	}

	@Test
	void takeHoldWhereTheLockCannotWorkAndWorkMustNotRunIsUnavailable() {
		UpdateLockManager manager = manager((builder) -> builder
			.lockPath(this.directory.resolve("not-balena").resolve("updates.lock"))
			.unavailablePolicy(UnavailableLockPolicy.FAIL));
		OperatorHoldDescriptor answer = new UpdateLockEndpoint(manager).takeHold("maintenance", null);
		assertThat(answer.outcome()).isEqualTo(OperatorHoldOutcome.UNAVAILABLE);
		assertThat(answer.message()).contains("not-balena");
	}

	@Test
	void takeHoldWhereTheLockCannotWorkSaysThatNothingIsProtected() {
		UpdateLockManager manager = manager((builder) -> builder
			.lockPath(this.directory.resolve("not-balena").resolve("updates.lock")));
		OperatorHoldDescriptor answer = new UpdateLockEndpoint(manager).takeHold("maintenance", null);
		assertThat(answer.outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
		assertThat(answer.lockStatus()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
		assertThat(answer.message()).contains("protects nothing").contains("not-balena");
	}

	@Test
	void releaseHoldRefusesAHoldTakenByCode() {
		UpdateLockManager manager = manager();
		try (UpdateLockHold hold = manager.acquire("firmware-write")) {
			OperatorHoldDescriptor answer = new UpdateLockEndpoint(manager).releaseHold("firmware-write");
			assertThat(answer.outcome()).isEqualTo(OperatorHoldOutcome.REFUSED);
			assertThat(answer.message()).contains("firmware-write").contains("cannot be released here");
			assertThat(hold.isReleased()).isFalse();
			assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		}
	}

	@Test
	void releaseHoldOfAnUnknownNameIsNotFound() {
		OperatorHoldDescriptor answer = new UpdateLockEndpoint(manager()).releaseHold("maintenance");
		assertThat(answer.outcome()).isEqualTo(OperatorHoldOutcome.NOT_FOUND);
		assertThat(answer.message()).contains("maintenance");
	}

	@Test
	void releaseHoldSaysWhenOtherHoldsStillKeepTheLock() {
		UpdateLockManager manager = manager();
		UpdateLockEndpoint endpoint = new UpdateLockEndpoint(manager);
		try (UpdateLockHold hold = manager.acquire("firmware-write")) {
			endpoint.takeHold("maintenance", null);
			OperatorHoldDescriptor answer = endpoint.releaseHold("maintenance");
			assertThat(answer.outcome()).isEqualTo(OperatorHoldOutcome.RELEASED);
			assertThat(answer.lockStatus()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(answer.message()).contains("1 other hold(s)");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "bad name", "a/b", "-leading-dash", "caf\u00e9",
			"a1234567890123456789012345678901234567890123456789012345678901234" })
	void malformedNamesAreInvalidAndTakeNothing(String name) {
		UpdateLockEndpoint endpoint = new UpdateLockEndpoint(manager());
		OperatorHoldDescriptor taken = endpoint.takeHold(name, null);
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.INVALID);
		assertThat(taken.message()).contains("is not valid");
		assertThat(endpoint.releaseHold(name).outcome()).isEqualTo(OperatorHoldOutcome.INVALID);
		assertThat(this.manager.snapshot().holds()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "banana", "-1s", "61s", "2m", "PT-1S", "1.5.3" })
	void malformedWaitsAreInvalidAndTakeNothing(String wait) {
		OperatorHoldDescriptor taken = new UpdateLockEndpoint(manager()).takeHold("maintenance", wait);
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.INVALID);
		assertThat(taken.message()).startsWith("wait '" + wait + "'");
		assertThat(this.manager.snapshot().holds()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "2", "500ms", "30s", "PT1M", "1m" })
	void waitsUpToOneMinuteAreAccepted(String wait) {
		OperatorHoldDescriptor taken = new UpdateLockEndpoint(manager()).takeHold("maintenance", wait);
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
	}

	private static Integer ownerOf(Path path) throws IOException {
		return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
	}

	private static void delete(Path path) {
		try {
			Files.delete(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
