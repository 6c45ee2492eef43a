package io.github.updatelock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A failure while a hold is being taken, after the lock file exists: the file goes again,
 * with its flock, no hold is granted, and the failure reaches the caller. And the
 * durations that could make such a failure are refused before anything is taken.
 */
class FailedTakeTests {

	@TempDir
	Path directory;

	private final RefusingScheduler scheduler = new RefusingScheduler();

	private final List<UpdateLockManager> managers = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	private Path lockFile() {
		return this.directory.resolve("updates.lock");
	}

	private UpdateLockManager manager() {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(lockFile())
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.scheduler(this.scheduler)
			.build();
		this.managers.add(manager);
		return manager;
	}

	@Test
	void aSchedulerThatRefusesTheWatchLeavesNoFileAndTheNextHoldWorks() {
		UpdateLockManager manager = manager();
		this.scheduler.refusing = true;
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> manager.acquire("firmware"));
		assertThat(lockFile()).doesNotExist();
		UpdateLockSnapshot after = manager.snapshot();
		assertThat(after.status()).isEqualTo(UpdateLockStatus.RELEASED);
		assertThat(after.holds()).isEmpty();
		this.scheduler.refusing = false;
		try (UpdateLockHold hold = manager.acquire("firmware")) {
			assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(LockPeers.hostOsProbe(lockFile())).isEqualTo(Probe.BUSY);
		}
		manager.close();
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void aWatchIntervalThatWouldOverflowIsRefusedNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpdateLockManager.builder().watchInterval(Duration.ofDays(200_000)))
			.withMessage("watchInterval must be at most 36500 days (PT876000H), was PT4800000H");
	}

	@Test
	void anOperatorHoldWithAnOverflowingTtlIsRefusedBeforeAnythingIsTaken() {
		UpdateLockManager manager = manager();
		OperatorHolds holds = new OperatorHolds(manager);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> holds.take("maintenance", Duration.ZERO, Duration.ofSeconds(Long.MAX_VALUE)))
			.withMessageStartingWith("ttl must be at most 36500 days");
		assertThat(lockFile()).doesNotExist();
		assertThat(manager.snapshot().holds()).isEmpty();
		assertThat(holds.take("maintenance", Duration.ZERO, Duration.ofHours(1)).outcome())
			.isEqualTo(OperatorHolds.TakeOutcome.TAKEN);
		assertThat(holds.release("maintenance")).isPresent();
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void anOperatorHoldWhoseTtlCannotBePlannedEndsWithTheFailure() {
		UpdateLockManager manager = manager();
		OperatorHolds holds = new OperatorHolds(manager);
		// The manager's watch and the hold's own tasks are planned; only the ttl is refused.
		this.scheduler.refuseDelay = Duration.ofHours(1);
		assertThatExceptionOfType(RejectedExecutionException.class)
			.isThrownBy(() -> holds.take("maintenance", Duration.ZERO, Duration.ofHours(1)));
		assertThat(holds.active()).isEmpty();
		assertThat(manager.snapshot().holds()).isEmpty();
		assertThat(lockFile()).doesNotExist();
	}

	/** A scheduler that plans nothing, and refuses tasks when told to, as a shut down executor does. */
	private static final class RefusingScheduler implements UpdateLockScheduler {

		volatile boolean refusing;

		volatile Duration refuseDelay;

		@Override
		public Cancellable schedule(Runnable task, Duration delay) {
			if (this.refusing || delay.equals(this.refuseDelay)) {
				throw new RejectedExecutionException("refused on purpose");
			}
			return () -> {
			};
		}

	}

}
