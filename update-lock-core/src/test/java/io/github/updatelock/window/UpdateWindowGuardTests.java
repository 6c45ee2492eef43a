package io.github.updatelock.window;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.BlockingClock;
import io.github.updatelock.ManualScheduler;
import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;
import io.github.updatelock.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class UpdateWindowGuardTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	/** Updates only between 02:00 and 04:00 Europe/Berlin on weekdays. */
	private static final UpdateWindowSchedule WEEKDAY_NIGHTS = UpdateWindowSchedule.of(BERLIN,
			UpdateWindow.of("MON-FRI", LocalTime.of(2, 0), LocalTime.of(4, 0)));

	@TempDir
	Path directory;

	private final MutableClock clock = new MutableClock(local("2026-03-02T01:00"));

	private final ManualScheduler scheduler = new ManualScheduler();

	private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (AutoCloseable closeable : this.toClose) {
			closeable.close();
		}
	}

	/** A Berlin wall time (March 2026 is in winter time until the 29th). */
	private static Instant local(String dateTime) {
		return LocalDateTime.parse(dateTime).atZone(BERLIN).toInstant();
	}

	private Path lockFile() {
		return this.directory.resolve("updates.lock");
	}

	private UpdateLockManager manager() {
		return manager(this.clock);
	}

	private UpdateLockManager manager(Clock managerClock) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(lockFile())
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.clock(managerClock)
			.build();
		this.toClose.add(manager);
		return manager;
	}

	private UpdateWindowGuard guard(UpdateLockManager manager) {
		return guard(manager, WEEKDAY_NIGHTS, UnaryOperator.identity());
	}

	/** Sleeps up to a day unless customised, so that wake-ups land exactly on transitions. */
	private UpdateWindowGuard guard(UpdateLockManager manager, UpdateWindowSchedule schedule,
			UnaryOperator<UpdateWindowGuard.Builder> customizer) {
		UpdateWindowGuard.Builder builder = UpdateWindowGuard.builder(manager, schedule)
			.clock(this.clock)
			// An operator window's length passes as the test clock moves, unless a test steps the wall clock alone.
			.monotonicClock(this.clock::elapsedNanos)
			.scheduler(this.scheduler)
			.maxSleep(Duration.ofDays(1));
		UpdateWindowGuard guard = customizer.apply(builder).build();
		this.toClose.add(0, guard);
		return guard;
	}

	private static List<String> holdNames(UpdateLockManager manager) {
		return manager.snapshot().holds().stream().map(ActiveHold::name).toList();
	}

	@Test
	void startTakesTheHoldOnTheSchedulerThreadNotOnTheCaller() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		assertThat(lockFile()).doesNotExist();
		assertThat(this.scheduler.nextDelay()).isZero();
		this.scheduler.runNext();
		assertThat(lockFile()).exists();
		assertThat(holdNames(manager)).containsExactly("update-window");
		assertThat(guard.state()).isEqualTo(new UpdateWindowState(local("2026-03-02T01:00"), false,
				UpdateWindowReason.SCHEDULE, null, local("2026-03-02T02:00"), local("2026-03-02T02:00"), null, true, null,
				false));
	}

	@Test
	void holdIsReleasedAndTakenBackAtTheExactTransitions() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofHours(1));
		this.clock.set(local("2026-03-02T02:00").minusNanos(1));
		this.scheduler.runNext();
		assertThat(lockFile()).exists();
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofNanos(1));
		this.clock.set(local("2026-03-02T02:00"));
		this.scheduler.runNext();
		assertThat(lockFile()).doesNotExist();
		UpdateWindowState open = guard.state();
		assertThat(open.open()).isTrue();
		assertThat(open.openUntil()).isEqualTo(local("2026-03-02T04:00"));
		assertThat(open.nextOpening()).isNull();
		assertThat(open.holdHeld()).isFalse();
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofHours(2));
		this.clock.set(local("2026-03-02T04:00"));
		this.scheduler.runNext();
		assertThat(lockFile()).exists();
		assertThat(guard.state().nextOpening()).isEqualTo(local("2026-03-03T02:00"));
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofHours(22));
	}

	@Test
	void startInsideAWindowTakesNoHoldUntilItCloses() {
		this.clock.set(local("2026-03-02T03:00"));
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		assertThat(lockFile()).doesNotExist();
		assertThat(guard.state().open()).isTrue();
		assertThat(guard.state().openUntil()).isEqualTo(local("2026-03-02T04:00"));
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofHours(1));
		this.clock.set(local("2026-03-02T04:00"));
		this.scheduler.runNext();
		assertThat(holdNames(manager)).containsExactly("update-window");
	}

	@Test
	void sleepIsCappedSoThatTheClockIsReadAgainAtLeastEveryMinute() {
		UpdateWindowGuard guard = guard(manager(), WEEKDAY_NIGHTS, (builder) -> builder.maxSleep(Duration.ofMinutes(1)));
		guard.start();
		this.scheduler.runNext();
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofMinutes(1));
		this.clock.set(local("2026-03-02T01:59:30"));
		this.scheduler.runNext();
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void clockJumpingForwardIntoAWindowIsCaughtOnTheNextWakeUp() {
		UpdateWindowGuard guard = guard(manager(), WEEKDAY_NIGHTS, (builder) -> builder.maxSleep(Duration.ofMinutes(1)));
		guard.start();
		this.scheduler.runNext();
		assertThat(lockFile()).exists();
		this.clock.set(local("2026-03-02T02:30"));
		this.scheduler.runNext();
		assertThat(lockFile()).doesNotExist();
		assertThat(guard.state().openUntil()).isEqualTo(local("2026-03-02T04:00"));
	}

	@Test
	void clockJumpingBackOutOfAWindowIsCaughtOnTheNextWakeUp() {
		this.clock.set(local("2026-03-02T03:00"));
		UpdateWindowGuard guard = guard(manager(), WEEKDAY_NIGHTS, (builder) -> builder.maxSleep(Duration.ofMinutes(1)));
		guard.start();
		this.scheduler.runNext();
		assertThat(lockFile()).doesNotExist();
		this.clock.set(local("2026-03-02T01:00"));
		this.scheduler.runNext();
		assertThat(lockFile()).exists();
		assertThat(guard.state().nextOpening()).isEqualTo(local("2026-03-02T02:00"));
	}

	@Test
	void clockJumpingOverAWholeWindowKeepsTheHold() {
		UpdateWindowGuard guard = guard(manager(), WEEKDAY_NIGHTS, (builder) -> builder.maxSleep(Duration.ofMinutes(1)));
		guard.start();
		this.scheduler.runNext();
		this.clock.set(local("2026-03-02T05:00"));
		this.scheduler.runNext();
		assertThat(lockFile()).exists();
		assertThat(guard.state().nextOpening()).isEqualTo(local("2026-03-03T02:00"));
	}

	@Test
	void operatorWindowReleasesTheHoldAtOnceAndEndsAtItsBound() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		UpdateWindowState opened = guard.openNow(Duration.ofMinutes(30));
		assertThat(lockFile()).doesNotExist();
		assertThat(opened).isEqualTo(new UpdateWindowState(local("2026-03-02T01:00"), true, UpdateWindowReason.OPERATOR,
				local("2026-03-02T01:30"), null, local("2026-03-02T01:30"), local("2026-03-02T01:30"), false, null,
				false));
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofMinutes(30));
		this.clock.set(local("2026-03-02T01:30"));
		this.scheduler.runNext();
		assertThat(holdNames(manager)).containsExactly("update-window");
		UpdateWindowState ended = guard.state();
		assertThat(ended.open()).isFalse();
		assertThat(ended.reason()).isEqualTo(UpdateWindowReason.SCHEDULE);
		assertThat(ended.operatorWindowEnd()).isNull();
		assertThat(ended.nextOpening()).isEqualTo(local("2026-03-02T02:00"));
	}

	@Test
	void operatorWindowRunningIntoAScheduledWindowStaysOpenUntilTheScheduleCloses() {
		UpdateWindowGuard guard = guard(manager());
		guard.start();
		this.scheduler.runNext();
		UpdateWindowState opened = guard.openNow(Duration.ofMinutes(90));
		assertThat(opened.openUntil()).isEqualTo(local("2026-03-02T04:00"));
		assertThat(opened.operatorWindowEnd()).isEqualTo(local("2026-03-02T02:30"));
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofHours(3));
		this.clock.set(local("2026-03-02T02:30"));
		assertThat(guard.state().reason()).isEqualTo(UpdateWindowReason.SCHEDULE);
		assertThat(guard.state().open()).isTrue();
		this.clock.set(local("2026-03-02T04:00"));
		this.scheduler.runNext();
		assertThat(lockFile()).exists();
	}

	@Test
	void yieldedHoldStaysReleasedUntilAWindowHasOpenedAndClosed() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager, WEEKDAY_NIGHTS, (builder) -> builder.maxSleep(Duration.ofMinutes(1)));
		guard.start();
		this.scheduler.runNext();
		assertThat(guard.yieldHold()).isTrue();
		assertThat(lockFile()).doesNotExist();
		UpdateWindowState yielded = guard.state();
		assertThat(yielded.open()).isFalse();
		assertThat(yielded.holdHeld()).isFalse();
		assertThat(yielded.yielded()).isTrue();
		assertThat(yielded.nextTransition()).isEqualTo(local("2026-03-02T02:00"));
		// Wake-ups before the opening leave the hold with the pending update.
		this.clock.set(local("2026-03-02T01:59"));
		this.scheduler.runNext();
		assertThat(holdNames(manager)).isEmpty();
		this.clock.set(local("2026-03-02T02:00"));
		this.scheduler.runNext();
		assertThat(guard.state().yielded()).isFalse();
		assertThat(holdNames(manager)).isEmpty();
		this.clock.set(local("2026-03-02T04:00"));
		this.scheduler.runNext();
		assertThat(holdNames(manager)).containsExactly("update-window");
	}

	@Test
	void yieldEndsAtTheNextTransitionEvenWhenNoWakeUpSawTheWindowOpen() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager, WEEKDAY_NIGHTS, (builder) -> builder.maxSleep(Duration.ofMinutes(1)));
		guard.start();
		this.scheduler.runNext();
		guard.yieldHold();
		// The device slept through the whole window (or the clock jumped past it).
		this.clock.set(local("2026-03-02T05:00"));
		this.scheduler.runNext();
		assertThat(holdNames(manager)).containsExactly("update-window");
		assertThat(guard.state().yielded()).isFalse();
	}

	@Test
	void yieldDoesNothingWhileTheHoldIsNotHeld() {
		this.clock.set(local("2026-03-02T03:00"));
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		assertThat(guard.yieldHold()).isFalse();
		assertThat(guard.state().yielded()).isFalse();
		this.clock.set(local("2026-03-02T04:00"));
		this.scheduler.runNext();
		assertThat(holdNames(manager)).containsExactly("update-window");
		guard.close();
		assertThat(guard.yieldHold()).isFalse();
	}

	@Test
	void operatorWindowEndsAYield() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		guard.yieldHold();
		guard.openNow(Duration.ofMinutes(10));
		assertThat(guard.state().yielded()).isFalse();
		this.clock.set(local("2026-03-02T01:10"));
		this.scheduler.runNext();
		assertThat(holdNames(manager)).containsExactly("update-window");
	}

	@Test
	void yieldReleasesOnlyTheGuardsOwnHold() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		try (UpdateLockHold work = manager.acquire("critical-work")) {
			assertThat(guard.yieldHold()).isTrue();
			assertThat(holdNames(manager)).containsExactly("critical-work");
			assertThat(lockFile()).exists();
		}
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void closeNowEndsTheOperatorWindowAndTheSchedulerTakesTheHoldBack() {
		UpdateWindowGuard guard = guard(manager());
		guard.start();
		this.scheduler.runNext();
		guard.openNow(Duration.ofHours(2));
		UpdateWindowState closed = guard.closeNow();
		assertThat(closed.open()).isFalse();
		assertThat(closed.operatorWindowEnd()).isNull();
		assertThat(closed.holdHeld()).isFalse();
		assertThat(lockFile()).doesNotExist();
		assertThat(this.scheduler.nextDelay()).isZero();
		this.scheduler.runNext();
		assertThat(lockFile()).exists();
		assertThat(guard.state().holdHeld()).isTrue();
	}

	@Test
	void closeNowInsideAScheduledWindowLeavesItOpen() {
		this.clock.set(local("2026-03-02T03:00"));
		UpdateWindowGuard guard = guard(manager());
		guard.start();
		this.scheduler.runNext();
		guard.openNow(Duration.ofHours(2));
		UpdateWindowState afterClose = guard.closeNow();
		assertThat(afterClose.open()).isTrue();
		assertThat(afterClose.reason()).isEqualTo(UpdateWindowReason.SCHEDULE);
		this.scheduler.runNext();
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void closeNowWithoutAnOperatorWindowChangesNothing() {
		UpdateWindowGuard guard = guard(manager());
		guard.start();
		this.scheduler.runNext();
		assertThat(guard.closeNow().holdHeld()).isTrue();
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void operatorWindowMustBePositiveAndBounded() {
		UpdateWindowGuard guard = guard(manager());
		assertThatIllegalArgumentException().isThrownBy(() -> guard.openNow(Duration.ZERO))
			.withMessage("An operator update window must last more than zero and at most PT24H, was PT0S; "
					+ "for example PT2H for two hours");
		assertThatIllegalArgumentException().isThrownBy(() -> guard.openNow(Duration.ofSeconds(-1)))
			.withMessageContaining("was PT-1S");
		assertThatIllegalArgumentException().isThrownBy(() -> guard.openNow(null)).withMessageContaining("was null");
		assertThatIllegalArgumentException().isThrownBy(() -> guard.openNow(Duration.ofHours(24).plusSeconds(1)))
			.withMessageContaining("at most PT24H, was PT24H1S");
		assertThat(guard.openNow(Duration.ofHours(24)).operatorWindowEnd()).isEqualTo(local("2026-03-03T01:00"));
		UpdateWindowGuard shorter = guard(manager(), WEEKDAY_NIGHTS,
				(builder) -> builder.maxOperatorWindow(Duration.ofHours(4)));
		assertThat(shorter.maxOperatorWindow()).isEqualTo(Duration.ofHours(4));
		assertThatIllegalArgumentException().isThrownBy(() -> shorter.openNow(Duration.ofHours(5)))
			.withMessageContaining("at most PT4H, was PT5H");
	}

	@Test
	void operatorWindowLastsItsLengthWhicheverWayTheWallClockSteps() {
		MutableClock monotonic = new MutableClock(Instant.EPOCH);
		UpdateWindowGuard guard = guard(manager(), WEEKDAY_NIGHTS,
				(builder) -> builder.monotonicClock(monotonic::elapsedNanos));
		guard.start();
		this.scheduler.runNext();
		guard.openNow(Duration.ofMinutes(30));
		// NTP steps the wall clock 3 days forward, to a Thursday night outside the schedule's windows.
		this.clock.set(local("2026-03-05T01:00"));
		monotonic.advance(Duration.ofMinutes(10));
		this.scheduler.runNext();
		assertThat(lockFile()).doesNotExist();
		assertThat(guard.state().operatorWindowEnd()).isEqualTo(local("2026-03-05T01:20"));
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofMinutes(20));
		// Then back by 6 days: the window still ends after its 30 minutes, not 30 minutes after the step.
		this.clock.set(local("2026-02-27T01:00"));
		monotonic.advance(Duration.ofMinutes(20));
		this.scheduler.runNext();
		assertThat(lockFile()).exists();
		assertThat(guard.state().operatorWindowEnd()).isNull();
	}

	@Test
	void transitionsReleaseOnlyTheGuardsOwnHold() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		UpdateLockHold payment = manager.acquire("payment");
		this.clock.set(local("2026-03-02T02:00"));
		this.scheduler.runNext();
		assertThat(holdNames(manager)).containsExactly("payment");
		assertThat(lockFile()).exists();
		payment.release();
		assertThat(lockFile()).doesNotExist();
		this.clock.set(local("2026-03-02T03:00"));
		UpdateLockHold firmware = manager.acquire("firmware");
		this.clock.set(local("2026-03-02T04:00"));
		this.scheduler.runNext();
		assertThat(holdNames(manager)).containsExactly("firmware", "update-window");
		guard.openNow(Duration.ofMinutes(5));
		assertThat(holdNames(manager)).containsExactly("firmware");
		assertThat(firmware.isReleased()).isFalse();
	}

	@Test
	void lockHeldElsewhereIsRetriedOnTheSchedulerWithTheManagersBackoffUntilItIsFree() {
		UpdateLockManager otherInstance = manager();
		UpdateLockHold busy = otherInstance.acquire("other-instance");
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		assertThat(guard.state().holdHeld()).isFalse();
		assertThat(guard.state().open()).isFalse();
		assertThat(guard.state().blockedBy()).isEqualTo(UpdateLockBlocker.LIVE_INSTANCE);
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofMillis(50));
		this.scheduler.runNext();
		assertThat(guard.state().holdHeld()).isFalse();
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofMillis(100));
		busy.release();
		awaitWokenByTheDeletion();
		this.scheduler.runNext();
		assertThat(guard.state().holdHeld()).isTrue();
		assertThat(guard.state().blockedBy()).isNull();
		assertThat(holdNames(manager)).containsExactly("update-window");
		assertThat(this.scheduler.pending()).hasSize(1);
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.between(this.clock.instant(), local("2026-03-02T02:00")));
	}

	@Test
	void supervisorApplyingAnUpdateIsWaitedForAndItsLockIsNeverTouched() throws Exception {
		takeLockAsTheSupervisor();
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		this.scheduler.runNext();
		assertThat(guard.state().holdHeld()).isFalse();
		assertThat(guard.state().blockedBy()).isEqualTo(UpdateLockBlocker.SUPERVISOR);
		assertThat(Files.readString(lockFile())).isEqualTo("0");
		Files.delete(lockFile());
		awaitWokenByTheDeletion();
		this.scheduler.runNext();
		assertThat(guard.state().holdHeld()).isTrue();
		assertThat(guard.state().blockedBy()).isNull();
		assertThat(manager.snapshot().protecting()).isTrue();
	}

	/**
	 * Waits until the deletion of the lock file has woken the waiting hold: the directory
	 * watch does so on its own thread, replacing the backoff's retry with one planned at once.
	 * Running a task before that would race with it: a retry already taken off the scheduler
	 * when the wake-up cancels it does nothing, since only the latest planned try may run.
	 */
	private void awaitWokenByTheDeletion() {
		await().until(() -> this.scheduler.nextDelay().isZero());
	}

	/** Creates the lock file exactly as the Supervisor does: procmail's lockfile, run as uid 65534. */
	private void takeLockAsTheSupervisor() throws IOException, InterruptedException {
		boolean peersRequired = Boolean.parseBoolean(System.getenv("UPDATE_LOCK_REQUIRE_PEERS"));
		boolean available = Files.isExecutable(Path.of("/usr/bin/lockfile"))
				&& Files.isExecutable(Path.of("/usr/bin/setpriv")) && "root".equals(System.getProperty("user.name"));
		if (!peersRequired) {
			assumeTrue(available, "needs procmail's lockfile, setpriv and root to act as the Supervisor");
		}
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		Process lockfile = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=0", "--clear-groups", "lockfile",
				"-r", "0", lockFile().toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(lockfile.getInputStream().readAllBytes());
		assertThat(lockfile.waitFor()).as("lockfile said: %s", output).isZero();
	}

	@Test
	@Timeout(10)
	void retriesForALockHeldElsewhereEndAtTheNextOpening() {
		this.clock.set(local("2026-03-02T02:00").minusMillis(5));
		UpdateLockManager otherInstance = manager();
		UpdateLockHold busy = otherInstance.acquire("other-instance");
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		assertThat(guard.state().holdHeld()).isFalse();
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofMillis(5));
		this.clock.set(local("2026-03-02T02:00"));
		this.scheduler.runNext();
		assertThat(guard.state().open()).isTrue();
		assertThat(this.scheduler.pending()).hasSize(1);
		busy.release();
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofHours(2));
		this.scheduler.runNext();
		assertThat(holdNames(manager)).isEmpty();
	}

	@Test
	void windowOpeningWhileTheHoldIsTakenReleasesItAtOnce() throws Exception {
		BlockingClock managerClock = new BlockingClock(this.clock, "window-evaluation");
		UpdateLockManager manager = manager(managerClock);
		List<String> released = new CopyOnWriteArrayList<>();
		manager.addListener((event) -> {
			if (event instanceof UpdateLockHoldReleasedEvent gone) {
				released.add(gone.hold().name());
			}
		});
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		Thread evaluation = new Thread(this.scheduler::runNext, "window-evaluation");
		evaluation.start();
		assertThat(managerClock.awaitBlocked()).isTrue();
		this.clock.set(local("2026-03-02T02:00"));
		managerClock.unblock();
		evaluation.join(TimeUnit.SECONDS.toMillis(5));
		await().untilAsserted(() -> assertThat(released).containsExactly("update-window"));
		assertThat(lockFile()).doesNotExist();
		assertThat(guard.state().holdHeld()).isFalse();
		assertThat(guard.state().open()).isTrue();
	}

	@Test
	void closeReleasesTheHoldStopsWakingUpAndRefusesFurtherUse() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		UpdateLockHold payment = manager.acquire("payment");
		guard.close();
		guard.close();
		assertThat(holdNames(manager)).containsExactly("payment");
		assertThat(this.scheduler.pending()).isEmpty();
		assertThat(guard.state().holdHeld()).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> guard.openNow(Duration.ofHours(1)))
			.withMessage("UpdateWindowGuard for hold 'update-window' is closed");
		assertThatIllegalStateException().isThrownBy(guard::closeNow);
		assertThatIllegalStateException().isThrownBy(guard::start);
		payment.release();
	}

	@Test
	void scheduleWithoutWindowsNeverHolds() {
		UpdateWindowGuard guard = guard(manager(), UpdateWindowSchedule.none(), UnaryOperator.identity());
		guard.start();
		this.scheduler.runNext();
		assertThat(lockFile()).doesNotExist();
		UpdateWindowState state = guard.state();
		assertThat(state.open()).isTrue();
		assertThat(state.reason()).isEqualTo(UpdateWindowReason.NO_WINDOWS);
		assertThat(state.nextTransition()).isNull();
		assertThat(state.openUntil()).isNull();
		assertThat(this.scheduler.nextDelay()).isEqualTo(Duration.ofDays(1));
	}

	@Test
	void holdNameIsConfigurable() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = guard(manager, WEEKDAY_NIGHTS, (builder) -> builder.holdName("maintenance-window"));
		guard.start();
		this.scheduler.runNext();
		assertThat(guard.holdName()).isEqualTo("maintenance-window");
		assertThat(guard.schedule()).isSameAs(WEEKDAY_NIGHTS);
		assertThat(holdNames(manager)).containsExactly("maintenance-window");
	}

	@Test
	void builderRejectsBadValuesNamingTheOption() {
		UpdateWindowGuard.Builder builder = UpdateWindowGuard.builder(manager(), WEEKDAY_NIGHTS);
		assertThatIllegalArgumentException().isThrownBy(() -> builder.holdName(" "))
			.withMessage("holdName must not be blank, was ' '");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.maxSleep(Duration.ZERO))
			.withMessage("maxSleep must be more than zero and at most PT24H, was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.maxSleep(Duration.ofDays(2)))
			.withMessage("maxSleep must be more than zero and at most PT24H, was PT48H");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.maxOperatorWindow(Duration.ofMinutes(-1)))
			.withMessage("maxOperatorWindow must be more than zero, was PT-1M");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.retryInterval(Duration.ZERO))
			.withMessage("retryInterval must be more than zero, was PT0S");
	}

	@Test
	void defaultSchedulerTakesTheHoldOnItsOwnThreadAndStopsOnClose() {
		UpdateLockManager manager = manager();
		UpdateWindowGuard guard = UpdateWindowGuard.builder(manager, WEEKDAY_NIGHTS).clock(this.clock).build();
		this.toClose.add(0, guard);
		guard.start();
		await().untilAsserted(() -> assertThat(guard.state().holdHeld()).isTrue());
		assertThat(lockFile()).exists();
		guard.close();
		assertThat(lockFile()).doesNotExist();
		assertThat(holdNames(manager)).isEmpty();
	}


	@Test
	void stateAnswersWhileTakingTheHoldIsBlocked() throws Exception {
		BlockingClock managerClock = new BlockingClock(this.clock, "window-evaluation");
		UpdateLockManager manager = manager(managerClock);
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		Thread evaluation = new Thread(this.scheduler::runNext, "window-evaluation");
		evaluation.start();
		try {
			assertThat(managerClock.awaitBlocked()).isTrue();
			UpdateWindowState state = CompletableFuture.supplyAsync(guard::state).get(5, TimeUnit.SECONDS);
			assertThat(state.open()).isFalse();
			assertThat(state.holdHeld()).isFalse();
		}
		finally {
			managerClock.unblock();
		}
		evaluation.join(TimeUnit.SECONDS.toMillis(5));
		assertThat(guard.state().holdHeld()).isTrue();
		assertThat(holdNames(manager)).containsExactly("update-window");
	}

	@Test
	void stateAnswersWhileReleasingTheHoldIsBlocked() throws Exception {
		BlockingClock managerClock = new BlockingClock(this.clock, "operator");
		UpdateLockManager manager = manager(managerClock);
		UpdateWindowGuard guard = guard(manager);
		guard.start();
		this.scheduler.runNext();
		assertThat(guard.state().holdHeld()).isTrue();
		Thread opening = new Thread(() -> guard.openNow(Duration.ofHours(1)), "operator");
		opening.start();
		try {
			assertThat(managerClock.awaitBlocked()).isTrue();
			UpdateWindowState state = CompletableFuture.supplyAsync(guard::state).get(5, TimeUnit.SECONDS);
			assertThat(state.open()).isTrue();
			assertThat(state.reason()).isEqualTo(UpdateWindowReason.OPERATOR);
		}
		finally {
			managerClock.unblock();
		}
		opening.join(TimeUnit.SECONDS.toMillis(5));
		assertThat(guard.state().holdHeld()).isFalse();
		assertThat(lockFile()).doesNotExist();
	}

}
