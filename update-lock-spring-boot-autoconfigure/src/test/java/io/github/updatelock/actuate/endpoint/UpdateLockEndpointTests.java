package io.github.updatelock.actuate.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.NoLibcBinding;
import io.github.updatelock.UnavailableLockPolicy;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockProblem;
import io.github.updatelock.UpdateLockProtection;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.event.UpdateLockWaitingEvent;
import io.github.updatelock.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link UpdateLockEndpoint}, called directly on a real manager and real files.
 */
@ExtendWith(OutputCaptureExtension.class)
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

	private UpdateLockEndpoint endpoint(UpdateLockManager manager) {
		return new UpdateLockEndpoint(manager);
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
	void durationsDoNotFollowAWallClockThatSteppedByDays() {
		// The hold starts 3 days before the system clock shows: as after an NTP step on a device without a RTC.
		MutableClock wallClock = new MutableClock(Instant.now().minus(Duration.ofDays(3)));
		UpdateLockEndpoint endpoint = endpoint(manager((builder) -> builder.clock(wallClock)));
		OperatorHoldDescriptor taken = endpoint.takeHold("maintenance", null, null);
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
		try (UpdateLockHold job = this.manager.acquire("job")) {
			assertThat(endpoint.updateLock().holds()).hasSize(2)
				.allSatisfy((hold) -> assertThat(hold.duration()).isGreaterThanOrEqualTo(Duration.ZERO)
					.isLessThan(Duration.ofMinutes(1)));
		}
		assertThat(endpoint.releaseHold("maintenance").heldFor()).isGreaterThanOrEqualTo(Duration.ZERO)
			.isLessThan(Duration.ofMinutes(1));
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
	void readWithoutTheWantedFlockSaysAppUpdatesOnly() {
		UpdateLockManager manager = manager(NoLibcBinding::apply);
		try (UpdateLockHold hold = manager.acquire("nightly-sync")) {
			UpdateLockDescriptor read = new UpdateLockEndpoint(manager).updateLock();
			assertThat(read.status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(read.flockHeld()).isFalse();
			assertThat(read.protection()).isEqualTo(UpdateLockProtection.APP_UPDATES_ONLY);
			assertThat(read.warnings()).singleElement()
				.satisfies((warning) -> assertThat(warning.message()).contains("host OS updates will not wait"));
		}
	}

	@Test
	void readWhileCodeHoldsTheLockShowsTheHoldAndOurFile() throws IOException {
		UpdateLockManager manager = manager();
		try (UpdateLockHold hold = manager.acquire("nightly-sync")) {
			UpdateLockDescriptor read = new UpdateLockEndpoint(manager).updateLock();
			assertThat(read.status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(read.file()).isEqualTo(new LockFileDescriptor(true, true, ownerOf(lockPath())));
			assertThat(read.flockHeld()).isTrue();
			assertThat(read.protection()).isEqualTo(UpdateLockProtection.APP_AND_HOST_OS_UPDATES);
			assertThat(read.heldSince()).isNotNull();
			assertThat(read.holds()).singleElement().satisfies((described) -> {
				assertThat(described.id()).isEqualTo(hold.id());
				assertThat(described.name()).isEqualTo("nightly-sync");
				assertThat(described.since()).isEqualTo(hold.since());
				assertThat(described.duration()).isGreaterThanOrEqualTo(Duration.ZERO);
				assertThat(described.operator()).isFalse();
				assertThat(described.longRunning()).isFalse();
			});
		}
	}

	@Test
	void readMarksAHoldThatOutlivedTheLongHoldWarning() {
		UpdateLockManager manager = manager(
				(builder) -> builder.longHoldWarning(Duration.ofMillis(100)).watchInterval(Duration.ofMillis(20)));
		try (UpdateLockHold hold = manager.acquire("endless-stream")) {
			UpdateLockEndpoint endpoint = new UpdateLockEndpoint(manager);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(endpoint.updateLock().holds()).singleElement()
					.satisfies((described) -> assertThat(described.longRunning()).isTrue()));
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
		OperatorHoldDescriptor taken = endpoint.takeHold("maintenance", null, null);
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
		OperatorHoldDescriptor first = endpoint.takeHold("maintenance", null, null);
		OperatorHoldDescriptor second = endpoint.takeHold("maintenance", null, null);
		assertThat(second.outcome()).isEqualTo(OperatorHoldOutcome.ALREADY_HELD);
		assertThat(second.since()).isEqualTo(first.since());
		assertThat(this.manager.snapshot().holds()).hasSize(1);
	}

	@Test
	void takeHoldWhileAnotherProgramHoldsTheLockIsBlocked() throws IOException {
		Files.writeString(lockPath(), "another program's lock");
		UpdateLockEndpoint endpoint = new UpdateLockEndpoint(manager());
		OperatorHoldDescriptor answer = endpoint.takeHold("maintenance", null, null);
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
		OperatorHoldDescriptor answer = new UpdateLockEndpoint(manager).takeHold("maintenance", "5s", null);
		assertThat(answer.outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
		assertThat(answer.lockStatus()).isEqualTo(UpdateLockStatus.HELD);
	}

	@Test
	void takeHoldWhereTheLockCannotWorkAndWorkMustNotRunIsUnavailable() {
		UpdateLockManager manager = manager((builder) -> builder
			.lockPath(this.directory.resolve("not-balena").resolve("updates.lock"))
			.unavailablePolicy(UnavailableLockPolicy.FAIL));
		OperatorHoldDescriptor answer = new UpdateLockEndpoint(manager).takeHold("maintenance", null, null);
		assertThat(answer.outcome()).isEqualTo(OperatorHoldOutcome.UNAVAILABLE);
		assertThat(answer.message()).contains("not-balena");
	}

	@Test
	void takeHoldWhereTheLockCannotWorkSaysThatNothingIsProtected() {
		UpdateLockManager manager = manager((builder) -> builder
			.lockPath(this.directory.resolve("not-balena").resolve("updates.lock")));
		OperatorHoldDescriptor answer = new UpdateLockEndpoint(manager).takeHold("maintenance", null, null);
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
			endpoint.takeHold("maintenance", null, null);
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
		OperatorHoldDescriptor taken = endpoint.takeHold(name, null, null);
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.INVALID);
		assertThat(taken.message()).contains("is not valid");
		assertThat(endpoint.releaseHold(name).outcome()).isEqualTo(OperatorHoldOutcome.INVALID);
		assertThat(this.manager.snapshot().holds()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "banana", "-1s", "61s", "2m", "PT-1S", "1.5.3" })
	void malformedWaitsAreInvalidAndTakeNothing(String wait) {
		OperatorHoldDescriptor taken = new UpdateLockEndpoint(manager()).takeHold("maintenance", wait, null);
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.INVALID);
		assertThat(taken.message()).startsWith("wait '" + wait + "'");
		assertThat(this.manager.snapshot().holds()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "2", "500ms", "30s", "PT1M", "1m" })
	void waitsUpToOneMinuteAreAccepted(String wait) {
		OperatorHoldDescriptor taken = new UpdateLockEndpoint(manager()).takeHold("maintenance", wait, null);
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
	}

	@Test
	void theSeventeenthOperatorHoldIsRefusedAndTheSixteenStay() {
		UpdateLockManager manager = manager();
		UpdateLockEndpoint endpoint = endpoint(manager);
		List<String> sixteen = IntStream.rangeClosed(1, 16).mapToObj((n) -> "maintenance-" + n).toList();
		sixteen.forEach((name) -> assertThat(endpoint.takeHold(name, null, null).outcome())
			.isEqualTo(OperatorHoldOutcome.TAKEN));
		OperatorHoldDescriptor refused = endpoint.takeHold("maintenance-17", null, "1h");
		assertThat(refused.outcome()).isEqualTo(OperatorHoldOutcome.LIMIT_REACHED);
		assertThat(refused.message()).isEqualTo("There are already 16 operator holds (requests still waiting count "
				+ "too), the most there may be at once: release one with DELETE /actuator/updatelock/{name}; "
				+ "GET /actuator/updatelock lists them under holds");
		assertThat(refused.since()).isNull();
		assertThat(refused.expiresAt()).isNull();
		assertThat(holdNames(manager)).containsExactlyElementsOf(sixteen);
		assertThat(endpoint.takeHold("maintenance-1", null, null).outcome())
			.isEqualTo(OperatorHoldOutcome.ALREADY_HELD);
		assertThat(endpoint.releaseHold("maintenance-1").outcome()).isEqualTo(OperatorHoldOutcome.RELEASED);
		assertThat(endpoint.takeHold("maintenance-17", null, null).outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
	}

	@Test
	void anOperatorHoldWithATtlEndsByItself(CapturedOutput output) {
		UpdateLockEndpoint endpoint = endpoint(manager());
		Instant before = Instant.now();
		// Long enough for the checks right after taking it, even on a busy machine.
		OperatorHoldDescriptor taken = endpoint.takeHold("maintenance", null, "500ms");
		assertThat(lockPath()).exists();
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
		assertThat(taken.expiresAt()).isBetween(before.plusMillis(500), Instant.now().plusMillis(500));
		assertThat(taken.message())
			.isEqualTo("Took operator hold 'maintenance' (it ends by itself at " + taken.expiresAt()
					+ "): updates wait until it is released");
		await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.updateLock().holds().isEmpty());
		assertThat(endpoint.updateLock().status()).isEqualTo(UpdateLockStatus.RELEASED);
		assertThat(lockPath()).doesNotExist();
		assertThat(endpoint.releaseHold("maintenance").outcome()).isEqualTo(OperatorHoldOutcome.NOT_FOUND);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output)
				.contains("Operator hold 'maintenance' ended by itself: its ttl of PT0.5S ran out"));
	}

	@Test
	void readShowsWhenEachOperatorHoldEnds() {
		UpdateLockManager manager = manager();
		UpdateLockEndpoint endpoint = endpoint(manager);
		OperatorHoldDescriptor withTtl = endpoint.takeHold("maintenance", null, "1h");
		endpoint.takeHold("inspection", null, null);
		try (UpdateLockHold codeHold = manager.acquire("firmware-write")) {
			assertThat(endpoint.updateLock().holds())
				.extracting(HoldDescriptor::name, HoldDescriptor::operator, HoldDescriptor::expiresAt)
				.containsExactly(tuple("maintenance", true, withTtl.expiresAt()), tuple("inspection", true, null),
						tuple("firmware-write", false, null));
		}
	}

	@Test
	void anExpiredOperatorHoldGivesItsPlaceBack() {
		UpdateLockManager manager = manager();
		UpdateLockEndpoint endpoint = endpoint(manager);
		IntStream.rangeClosed(1, 15).forEach((n) -> endpoint.takeHold("maintenance-" + n, null, null));
		assertThat(endpoint.takeHold("short", null, "500ms").outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
		assertThat(endpoint.takeHold("maintenance-16", null, null).outcome())
			.isEqualTo(OperatorHoldOutcome.LIMIT_REACHED);
		await().atMost(Duration.ofSeconds(10)).until(() -> !holdNames(manager).contains("short"));
		assertThat(endpoint.takeHold("maintenance-16", null, null).outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
	}

	@Test
	void releasingAnOperatorHoldByHandCancelsItsExpiry() {
		UpdateLockManager manager = manager();
		UpdateLockEndpoint endpoint = endpoint(manager);
		OperatorHoldDescriptor taken = endpoint.takeHold("maintenance", null, "500ms");
		OperatorHoldDescriptor released = endpoint.releaseHold("maintenance");
		assertThat(released.outcome()).isEqualTo(OperatorHoldOutcome.RELEASED);
		assertThat(released.expiresAt()).isEqualTo(taken.expiresAt());
		// Taken again without a ttl, the name must outlive the first hold's expiry.
		OperatorHoldDescriptor again = endpoint.takeHold("maintenance", null, null);
		assertThat(again.expiresAt()).isNull();
		await().during(Duration.ofMillis(1000))
			.atMost(Duration.ofSeconds(5))
			.until(() -> holdNames(manager).equals(List.of("maintenance")));
		assertThat(endpoint.updateLock().holds()).singleElement().satisfies((hold) -> {
			assertThat(hold.operator()).isTrue();
			assertThat(hold.expiresAt()).isNull();
		});
		assertThat(lockPath()).exists();
		assertThat(endpoint.releaseHold("maintenance").outcome()).isEqualTo(OperatorHoldOutcome.RELEASED);
	}

	@Test
	void takingANameAlreadyHeldKeepsItsExpiry() {
		UpdateLockEndpoint endpoint = endpoint(manager());
		OperatorHoldDescriptor first = endpoint.takeHold("maintenance", null, "1h");
		OperatorHoldDescriptor second = endpoint.takeHold("maintenance", null, "2h");
		assertThat(second.outcome()).isEqualTo(OperatorHoldOutcome.ALREADY_HELD);
		assertThat(second.expiresAt()).isEqualTo(first.expiresAt());
	}

	@ParameterizedTest(name = "ttl={0}")
	@CsvSource(delimiter = '|', textBlock = """
			banana | ttl 'banana' is not a duration: use for example 30m, 2h or PT10M
			1.5h   | ttl '1.5h' is not a duration: use for example 30m, 2h or PT10M
			120    | ttl '120' has no unit: use for example 30m, 2h or PT10M
			0s     | ttl '0s' is out of range: it must be more than zero and at most 7 days
			PT0S   | ttl 'PT0S' is out of range: it must be more than zero and at most 7 days
			-1m    | ttl '-1m' is out of range: it must be more than zero and at most 7 days
			8d     | ttl '8d' is out of range: it must be more than zero and at most 7 days
			PT169H | ttl 'PT169H' is out of range: it must be more than zero and at most 7 days
			""")
	void malformedTtlsAreInvalidAndTakeNothing(String ttl, String message) {
		OperatorHoldDescriptor taken = endpoint(manager()).takeHold("maintenance", null, ttl);
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.INVALID);
		assertThat(taken.message()).isEqualTo(message);
		assertThat(this.manager.snapshot().holds()).isEmpty();
		assertThat(lockPath()).doesNotExist();
	}

	@ParameterizedTest
	@CsvSource({ "30m, PT30M", "2h, PT2H", "PT10M, PT10M", "7d, PT168H", "' ', ", "'', " })
	void ttlsUpToSevenDaysAreAccepted(String ttl, Duration expected) {
		Instant before = Instant.now();
		OperatorHoldDescriptor taken = endpoint(manager()).takeHold("maintenance", null, ttl);
		assertThat(taken.outcome()).isEqualTo(OperatorHoldOutcome.TAKEN);
		if (expected == null) {
			assertThat(taken.expiresAt()).isNull();
		}
		else {
			assertThat(taken.expiresAt()).isBetween(before.plus(expected), Instant.now().plus(expected));
		}
	}

	@Test
	void aTtlIsEndedOnTheManagersSchedulerNotOnAThreadOfTheEndpoint() {
		List<Duration> planned = new CopyOnWriteArrayList<>();
		this.manager = UpdateLockManager.builder()
			.lockPath(lockPath())
			.environment(Map.of())
			.shutdownHook(false)
			.scheduler((task, delay) -> {
				planned.add(delay);
				return () -> {
				};
			})
			.build();
		UpdateLockEndpoint endpoint = endpoint(this.manager);
		endpoint.takeHold("maintenance", null, null);
		endpoint.takeHold("maintenance-with-ttl", null, "1h");
		assertThat(planned).contains(Duration.ofHours(1));
	}

	private static List<String> holdNames(UpdateLockManager manager) {
		return manager.snapshot().holds().stream().map(ActiveHold::name).toList();
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
