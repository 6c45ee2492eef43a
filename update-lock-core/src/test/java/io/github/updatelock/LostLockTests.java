package io.github.updatelock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A hold never joins a lost lock (semantics rule 6): after an override, each new hold is a
 * fresh acquisition that waits while the Supervisor's file is there, and takes the lock
 * again, for every active hold, once the path is free.
 */
class LostLockTests {

	private static final Duration SHORT_WAIT = Duration.ofMillis(300);

	private static final Duration LOSS_NOTICED_WITHIN = Duration.ofSeconds(2);

	@TempDir
	Path temporary;

	private Path lockFile;

	private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

	private final List<UpdateLockManager> managers = new ArrayList<>();

	@BeforeEach
	void createLockDirectory() throws IOException {
		LockPeers.require(LockPeers.Peer.SUPERVISOR);
		this.lockFile = LockPeers.lockDirectory(this.temporary).resolve("updates.lock");
	}

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	@Test
	void newHoldAfterAnOverrideWaitsForTheSupervisorAndFailsInsteadOfJoining() throws IOException {
		UpdateLockManager manager = manager(UnavailableLockPolicy.FAIL);
		UpdateLockHold critical = manager.acquire("critical");
		overrideAndAwaitLoss(manager);
		assertThatExceptionOfType(UpdateLockTimeoutException.class)
			.isThrownBy(() -> manager.acquire("after-override", SHORT_WAIT))
			.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR));
		assertThat(manager.tryAcquire("try-after-override")).isEmpty();
		UpdateLockSnapshot snapshot = manager.snapshot();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.LOST);
		assertThat(snapshot.holds()).extracting(ActiveHold::name).containsExactly("critical");
		assertIsTheSupervisorsFile();
		critical.release();
		assertIsTheSupervisorsFile();
	}

	@Test
	void newHoldAfterTheSupervisorLetGoTakesTheLockAgainForEveryActiveHold() throws IOException {
		UpdateLockManager manager = manager(UnavailableLockPolicy.FAIL);
		UpdateLockHold critical = manager.acquire("critical");
		overrideAndAwaitLoss(manager);
		LockPeers.supervisorUnlocks(this.lockFile);
		assertThat(this.lockFile).doesNotExist();
		UpdateLockHold next = manager.acquire("next", SHORT_WAIT);
		UpdateLockSnapshot snapshot = manager.snapshot();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(snapshot.protecting()).isTrue();
		assertThat(snapshot.flockHeld()).isTrue();
		assertThat(snapshot.holds()).extracting(ActiveHold::name).containsExactly("critical", "next");
		assertThat(manager.inspectLockFile().ours()).isTrue();
		assertThat(LockPeers.hostOsProbe(this.lockFile)).isEqualTo(Probe.BUSY);
		assertThat(LockPeers.supervisorLocks(this.lockFile)).as("the Supervisor while the lock is ours again")
			.isFalse();
		// Holds join the new file again, and the old holds keep it until they end too.
		manager.acquire("nested", Duration.ZERO).release();
		next.release();
		assertThat(manager.inspectLockFile().ours()).as("the first hold still counts on the new file").isTrue();
		critical.release();
		assertThat(this.lockFile).doesNotExist();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.RELEASED);
		DeliveredEvents.await(manager);
		assertThat(this.events).filteredOn(UpdateLockAcquiredEvent.class::isInstance).hasSize(2);
		assertThat(this.events).filteredOn(UpdateLockReleasedEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((UpdateLockReleasedEvent) event).fileRemoved()).isTrue());
	}

	@Test
	void newHoldWaitingAfterAnOverrideGetsTheLockOnceTheSupervisorLetsGo() throws Exception {
		UpdateLockManager manager = manager(UnavailableLockPolicy.FAIL);
		UpdateLockHold critical = manager.acquire("critical");
		overrideAndAwaitLoss(manager);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			CompletableFuture<UpdateLockHold> waiting = CompletableFuture
				.supplyAsync(() -> manager.acquire("waits", LockPeers.TIMEOUT), executor);
			await().atMost(LockPeers.TIMEOUT)
				.untilAsserted(() -> assertThat(manager.snapshot().blocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR));
			assertThat(waiting).isNotDone();
			assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.LOST);
			LockPeers.supervisorUnlocks(this.lockFile);
			await().atMost(LockPeers.TIMEOUT).until(waiting::isDone);
			assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
			waiting.join().release();
			critical.release();
			assertThat(this.lockFile).doesNotExist();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void theWatchNeverTakesALostLockAgainByItself() throws IOException {
		UpdateLockManager manager = manager(UnavailableLockPolicy.FAIL);
		UpdateLockHold critical = manager.acquire("critical");
		overrideAndAwaitLoss(manager);
		LockPeers.supervisorUnlocks(this.lockFile);
		// Several watch rounds pass: the path stays free, and the status stays LOST.
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.until(() -> !Files.exists(this.lockFile, LinkOption.NOFOLLOW_LINKS)
					&& manager.snapshot().status() == UpdateLockStatus.LOST);
		critical.release();
	}

	private void overrideAndAwaitLoss(UpdateLockManager manager) {
		LockPeers.supervisorOverrides(this.lockFile);
		await().atMost(LOSS_NOTICED_WITHIN)
			.untilAsserted(() -> assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.LOST));
	}

	private UpdateLockManager manager(UnavailableLockPolicy policy) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(this.lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			.unavailablePolicy(policy)
			.initialBackoff(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(100))
			.watchInterval(Duration.ofMillis(50))
			.listener(this.events::add)
			.build();
		this.managers.add(manager);
		return manager;
	}

	private void assertIsTheSupervisorsFile() throws IOException {
		assertThat(Files.getAttribute(this.lockFile, "unix:uid", LinkOption.NOFOLLOW_LINKS))
			.isEqualTo(LockPeers.SUPERVISOR_UID);
		assertThat(Files.readString(this.lockFile, StandardCharsets.UTF_8)).isEqualTo("0");
	}

}
