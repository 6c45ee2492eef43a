package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.github.updatelock.event.StaleUpdateLockReclaimedEvent;
import io.github.updatelock.event.UpdateLockDeniedEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockLostEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;
import io.github.updatelock.event.UpdateLockWaitingEvent;
import io.github.updatelock.internal.FileIdentity;
import io.github.updatelock.internal.Libc;
import io.github.updatelock.internal.LocalInstance;
import io.github.updatelock.internal.LockMarker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class UpdateLockManagerTests {

	@TempDir
	Path directory;

	private final List<UpdateLockManager> managers = new CopyOnWriteArrayList<>();

	private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	private Path lockFile() {
		return this.directory.resolve("updates.lock");
	}

	private UpdateLockManager manager() {
		return manager(UnaryOperator.identity());
	}

	private UpdateLockManager manager(UnaryOperator<UpdateLockManager.Builder> customizer) {
		UpdateLockManager.Builder builder = UpdateLockManager.builder()
			.lockPath(lockFile())
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.initialBackoff(Duration.ofMillis(10))
			.maxBackoff(Duration.ofMillis(50))
			.watchInterval(Duration.ofMillis(100))
			.listener(this.events::add);
		UpdateLockManager manager = customizer.apply(builder).build();
		this.managers.add(manager);
		return manager;
	}

	@Test
	void firstHoldCreatesMarkedFileAndLastReleaseRemovesIt() throws IOException {
		UpdateLockManager manager = manager();
		UpdateLockHold outer = manager.acquire("outer");
		assertThat(lockFile()).exists();
		assertThat(Files.readString(lockFile())).startsWith(LockMarker.FIRST_LINE).contains("flock=true");
		UpdateLockSnapshot held = manager.snapshot();
		assertThat(held.status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(held.protecting()).isTrue();
		assertThat(held.flockHeld()).isTrue();
		assertThat(held.heldSince()).isNotNull();
		UpdateLockHold inner = manager.acquire("inner");
		outer.release();
		assertThat(lockFile()).exists();
		inner.release();
		assertThat(lockFile()).doesNotExist();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.RELEASED);
		assertThat(manager.snapshot().heldSince()).isNull();
	}

	@Test
	void nestedHoldsReuseTheFileAndAreReportedByName() throws IOException {
		UpdateLockManager manager = manager();
		try (UpdateLockHold first = manager.acquire("firmware")) {
			FileIdentity created = FileIdentity.of(lockFile());
			try (UpdateLockHold second = manager.acquire("payment")) {
				assertThat(FileIdentity.of(lockFile())).isEqualTo(created);
				assertThat(manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly("firmware", "payment");
			}
			assertThat(manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly("firmware");
		}
		assertThat(manager.snapshot().holds()).isEmpty();
	}

	@Test
	void holdsReportTheDeclaredNameTheyWereTakenWith() {
		UpdateLockManager manager = manager();
		try (UpdateLockHold first = manager.acquire("payment-41", "payment-#{#order.id}");
				UpdateLockHold second = manager.acquire("payment-42", "payment-#{#order.id}", Duration.ZERO);
				UpdateLockHold plain = manager.acquire("export")) {
			assertThat(first.declaredName()).isEqualTo("payment-#{#order.id}");
			assertThat(plain.declaredName()).isEqualTo("export");
			assertThat(manager.snapshot().holds()).extracting(ActiveHold::name, ActiveHold::declaredName)
				.containsExactly(tuple("payment-41", "payment-#{#order.id}"), tuple("payment-42", "payment-#{#order.id}"),
						tuple("export", "export"));
		}
	}

	@Test
	void releaseIsIdempotentAndWorksFromAnotherThread() {
		UpdateLockManager manager = manager();
		UpdateLockHold first = manager.acquire("first");
		UpdateLockHold second = manager.acquire("second");
		CompletableFuture.runAsync(first::release).join();
		first.release();
		assertThat(first.isReleased()).isTrue();
		assertThat(lockFile()).exists();
		assertThat(manager.snapshot().holds()).hasSize(1);
		second.close();
		assertThat(lockFile()).doesNotExist();
	}

	@Test
	void anotherInstanceHoldingTheLockBlocksAsLiveInstance() {
		UpdateLockManager other = manager();
		UpdateLockManager manager = manager();
		try (UpdateLockHold held = other.acquire("other")) {
			assertThat(manager.tryAcquire("mine")).isEmpty();
			assertThatExceptionOfType(UpdateLockTimeoutException.class).isThrownBy(() -> manager.acquire("mine"))
				.withMessageContaining(lockFile().toString())
				.withMessageContaining("another live instance")
				.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.LIVE_INSTANCE));
			assertThat(lockFile()).exists();
		}
		DeliveredEvents.await(manager);
		assertThat(this.events).filteredOn(UpdateLockDeniedEvent.class::isInstance).isNotEmpty();
	}

	@Test
	void waitingAcquisitionIsReportedAndSucceedsOnceTheOtherInstanceReleases() {
		UpdateLockManager other = manager();
		UpdateLockManager manager = manager((builder) -> builder.acquireTimeout(Duration.ofSeconds(30)));
		UpdateLockHold otherHold = other.acquire("other");
		CompletableFuture<UpdateLockHold> waiting = CompletableFuture.supplyAsync(() -> manager.acquire("mine"));
		await().untilAsserted(() -> {
			UpdateLockSnapshot snapshot = manager.snapshot();
			assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.WAITING);
			assertThat(snapshot.blocker()).isEqualTo(UpdateLockBlocker.LIVE_INSTANCE);
			assertThat(snapshot.blockedSince()).isNotNull();
		});
		otherHold.release();
		UpdateLockHold mine = waiting.join();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(manager.snapshot().blocker()).isNull();
		DeliveredEvents.await(manager);
		assertThat(this.events).filteredOn(UpdateLockWaitingEvent.class::isInstance).isNotEmpty();
		mine.release();
	}

	@Test
	void practicallyEndlessWaitDoesNotOverflow() {
		UpdateLockManager manager = manager();
		try (UpdateLockHold hold = manager.acquire("startup", Duration.ofSeconds(Long.MAX_VALUE))) {
			assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		}
	}

	@Test
	void staleFileOfADeadInstanceIsReclaimedAndReported() throws IOException {
		LockMarker dead = LockMarker.of(LocalInstance.current(Map.of()), true, Instant.now());
		Files.write(lockFile(), dead.toBytes());
		UpdateLockManager manager = manager();
		try (UpdateLockHold hold = manager.acquire("after-crash")) {
			UpdateLockSnapshot snapshot = manager.snapshot();
			assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(snapshot.staleReclaims()).isEqualTo(1);
			assertThat(snapshot.lastStaleReclaim()).isNotNull();
			assertThat(Files.readString(lockFile())).doesNotContain(dead.instanceId());
		}
		DeliveredEvents.await(manager);
		assertThat(this.events).filteredOn(StaleUpdateLockReclaimedEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((StaleUpdateLockReclaimedEvent) event).previousOwner())
				.contains(dead.instanceId()));
	}

	@Test
	void markedFileOfAnotherOwnerIsForeignAndNeverDeleted() throws IOException {
		LockMarker dead = LockMarker.of(LocalInstance.current(Map.of()), true, Instant.now());
		Files.write(lockFile(), dead.toBytes());
		// The file belongs to this test's uid; the manager behaves as another user would.
		int anotherUid = Libc.geteuid() + 1000;
		UpdateLockManager manager = manager((builder) -> builder.effectiveUid(anotherUid));
		assertThatExceptionOfType(UpdateLockTimeoutException.class).isThrownBy(() -> manager.acquire("mine"))
			.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.FOREIGN));
		assertThat(manager.snapshot().staleReclaims()).isZero();
		assertThat(Files.readString(lockFile())).contains(dead.instanceId());
	}

	@Test
	void reclaimEventIsPublishedOutsideTheFileLock() throws IOException {
		Files.write(lockFile(), LockMarker.of(LocalInstance.current(Map.of()), true, Instant.now()).toBytes());
		UpdateLockManager[] holder = new UpdateLockManager[1];
		List<Boolean> lockFreeInListener = new CopyOnWriteArrayList<>();
		UpdateLockManager manager = manager((builder) -> builder.listener((event) -> {
			if (event instanceof StaleUpdateLockReclaimedEvent) {
				// Another thread must be able to take a hold while a listener runs: a listener that ran
				// under the file lock would stall every acquisition and release.
				CompletableFuture<Boolean> other = CompletableFuture
					.supplyAsync(() -> holder[0].tryAcquire("other-thread").map((hold) -> {
						hold.release();
						return true;
					}).orElse(false))
					.completeOnTimeout(false, 2, TimeUnit.SECONDS);
				lockFreeInListener.add(other.join());
			}
		}));
		holder[0] = manager;
		manager.acquire("after-crash").release();
		DeliveredEvents.await(manager);
		assertThat(lockFreeInListener).containsExactly(true);
	}

	@Test
	void withoutFlockAFileOfALiveProcessIsNotStale() throws IOException {
		LocalInstance self = LocalInstance.current(Map.of());
		Files.write(lockFile(), LockMarker.of(self, false, Instant.now()).toBytes());
		UpdateLockManager manager = manager();
		assertThat(manager.tryAcquire("mine")).isEmpty();
		assertThat(manager.snapshot().staleReclaims()).isZero();
		assertThat(lockFile()).exists();
	}

	@Test
	void withoutFlockAFileOfAProcessThatNoLongerRunsIsStale() throws IOException {
		LocalInstance self = LocalInstance.current(Map.of());
		LocalInstance previousRun = new LocalInstance("previous", self.hostname(), self.bootId(), self.pid(), "1",
				self.pidNamespace());
		Files.write(lockFile(), LockMarker.of(previousRun, false, Instant.now()).toBytes());
		UpdateLockManager manager = manager();
		assertThat(manager.tryAcquire("mine")).isPresent();
		assertThat(manager.snapshot().staleReclaims()).isEqualTo(1);
	}

	@Test
	void fileWithoutOurMarkerIsForeignAndNeverDeleted() throws IOException {
		Files.writeString(lockFile(), "0");
		UpdateLockManager manager = manager();
		assertThatExceptionOfType(UpdateLockTimeoutException.class).isThrownBy(() -> manager.acquire("mine"))
			.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.FOREIGN));
		manager.close();
		assertThat(Files.readString(lockFile())).isEqualTo("0");
	}

	@Test
	void lockTakenAwayWhileHeldIsReportedLostAndTheNewFileSurvivesRelease() throws IOException {
		UpdateLockManager manager = manager();
		UpdateLockHold hold = manager.acquire("critical");
		Files.delete(lockFile());
		Files.writeString(lockFile(), "0");
		// The watch sets the status first and publishes the event after leaving the file lock.
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
			assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.LOST);
			assertThat(this.events).filteredOn(UpdateLockLostEvent.class::isInstance).hasSize(1);
		});
		UpdateLockSnapshot lost = manager.snapshot();
		assertThat(lost.protecting()).isFalse();
		assertThat(lost.flockHeld()).isFalse();
		assertThat(lost.lastLost()).isNotNull();
		// A hold never joins a lost lock: a new one is a fresh acquisition, refused by the file in the way.
		assertThatExceptionOfType(UpdateLockTimeoutException.class)
			.isThrownBy(() -> manager.acquire("after-the-loss"))
			.satisfies((ex) -> assertThat(ex.getBlocker()).isEqualTo(UpdateLockBlocker.FOREIGN));
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.LOST);
		hold.release();
		assertThat(Files.readString(lockFile())).isEqualTo("0");
		DeliveredEvents.await(manager);
		assertThat(this.events).filteredOn(UpdateLockLostEvent.class::isInstance).hasSize(1);
		assertThat(this.events).filteredOn(UpdateLockReleasedEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((UpdateLockReleasedEvent) event).fileRemoved()).isFalse());
	}

	@Test
	void missingDirectoryRunsUnprotectedByDefaultAndSaysSo() {
		Path missing = this.directory.resolve("not-balena/updates.lock");
		UpdateLockManager manager = manager((builder) -> builder.lockPath(missing));
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
		try (UpdateLockHold hold = manager.acquire("work")) {
			UpdateLockSnapshot snapshot = manager.snapshot();
			assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
			assertThat(snapshot.protecting()).isFalse();
			assertThat(snapshot.holds()).hasSize(1);
			assertThat(snapshot.warnings()).extracting(UpdateLockWarning::problem)
				.contains(UpdateLockProblem.LOCK_DIRECTORY_MISSING);
			assertThat(snapshot.warnings().get(0).message()).contains(missing.getParent().toString());
		}
		assertThat(missing).doesNotExist();
	}

	@Test
	void missingDirectoryFailsWhenThePolicySaysSo() {
		Path missing = this.directory.resolve("not-balena/updates.lock");
		UpdateLockManager manager = manager(
				(builder) -> builder.lockPath(missing).unavailablePolicy(UnavailableLockPolicy.FAIL));
		assertThatExceptionOfType(UpdateLockUnavailableException.class).isThrownBy(() -> manager.acquire("work"))
			.withMessageContaining(missing.getParent().toString())
			.satisfies((ex) -> assertThat(ex.getWarnings()).extracting(UpdateLockWarning::problem)
				.containsExactly(UpdateLockProblem.LOCK_DIRECTORY_MISSING));
		assertThat(manager.snapshot().holds()).isEmpty();
	}

	@Test
	void unwritableDirectoryIsReported() {
		// sysfs refuses file creation even to root, so this holds in CI too.
		UpdateLockManager manager = manager((builder) -> builder.lockPath(Path.of("/sys/updates.lock")));
		try (UpdateLockHold hold = manager.acquire("work")) {
			assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
			assertThat(manager.snapshot().warnings()).extracting(UpdateLockWarning::problem)
				.contains(UpdateLockProblem.LOCK_DIRECTORY_NOT_WRITABLE);
		}
	}

	@Test
	void runningAsTheSupervisorUidTakesNoLock() {
		UpdateLockManager manager = manager((builder) -> builder.effectiveUid(65534));
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
		try (UpdateLockHold hold = manager.acquire("work")) {
			assertThat(lockFile()).doesNotExist();
			assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.UNAVAILABLE);
			assertThat(manager.snapshot().warnings()).extracting(UpdateLockWarning::problem)
				.contains(UpdateLockProblem.RUNNING_AS_SUPERVISOR_UID);
		}
	}

	@Test
	void flockSwitchedOffStillCreatesTheFileButSaysHostUpdatesWillNotWait() throws IOException {
		UpdateLockManager manager = manager((builder) -> builder.flock(false));
		try (UpdateLockHold hold = manager.acquire("work")) {
			UpdateLockSnapshot snapshot = manager.snapshot();
			assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
			assertThat(snapshot.flockHeld()).isFalse();
			assertThat(snapshot.warnings()).extracting(UpdateLockWarning::problem)
				.containsExactly(UpdateLockProblem.FLOCK_DISABLED);
			assertThat(Files.readString(lockFile())).contains("flock=false");
		}
	}

	@Test
	void overrideVariableInTheEnvironmentIsReported() {
		UpdateLockManager manager = manager(
				(builder) -> builder.environment(Map.of("BALENA_SUPERVISOR_OVERRIDE_LOCK", "1")));
		assertThat(manager.snapshot().warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning.message()).contains("BALENA_SUPERVISOR_OVERRIDE_LOCK=1"));
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.RELEASED);
	}

	@Test
	void lockPathComesFromTheEnvironmentWhenNotConfigured() {
		Path fromEnvironment = this.directory.resolve("from-env.lock");
		UpdateLockManager manager = manager((builder) -> builder.lockPath(null)
			.environment(Map.of("BALENA_APP_LOCK_PATH", fromEnvironment.toString())));
		try (UpdateLockHold hold = manager.acquire("work")) {
			assertThat(fromEnvironment).exists();
		}
	}

	@Test
	void failingListenerNeverBreaksAcquireOrRelease() {
		UpdateLockManager manager = manager((builder) -> builder.listener((event) -> {
			throw new IllegalStateException("listener bug");
		}));
		UpdateLockHold hold = manager.acquire("work");
		hold.release();
		assertThat(lockFile()).doesNotExist();
		DeliveredEvents.await(manager);
		assertThat(this.events).hasAtLeastOneElementOfType(UpdateLockReleasedEvent.class);
	}

	@Test
	void eventsTellTheLifeOfTheLock() {
		UpdateLockManager manager = manager();
		try (UpdateLockHold outer = manager.acquire("outer"); UpdateLockHold inner = manager.acquire("inner")) {
			assertThat(inner.name()).isEqualTo("inner");
		}
		DeliveredEvents.await(manager);
		assertThat(this.events).extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("UpdateLockAcquiredEvent", "UpdateLockHoldAcquiredEvent", "UpdateLockHoldAcquiredEvent",
					"UpdateLockHoldReleasedEvent", "UpdateLockHoldReleasedEvent", "UpdateLockReleasedEvent");
	}

	@Test
	void listenerThatWantsNoHoldEventsGetsOnlyLockEvents() {
		List<UpdateLockEvent> lockOnly = new CopyOnWriteArrayList<>();
		UpdateLockManager manager = manager();
		manager.addListener(new UpdateLockListener() {

			@Override
			public void onEvent(UpdateLockEvent event) {
				lockOnly.add(event);
			}

			@Override
			public boolean wantsHoldEvents() {
				return false;
			}

		});
		try (UpdateLockHold outer = manager.acquire("outer"); UpdateLockHold inner = manager.acquire("inner")) {
			assertThat(inner.isReleased()).isFalse();
		}
		DeliveredEvents.await(manager);
		assertThat(lockOnly).extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("UpdateLockAcquiredEvent", "UpdateLockReleasedEvent");
		assertThat(this.events).hasSize(6);
	}

	@Test
	void closeReleasesEveryHoldAndRefusesNewOnes() {
		UpdateLockManager manager = manager();
		UpdateLockHold first = manager.acquire("first");
		UpdateLockHold second = manager.acquire("second");
		manager.close();
		assertThat(first.isReleased()).isTrue();
		assertThat(second.isReleased()).isTrue();
		assertThat(lockFile()).doesNotExist();
		assertThatIllegalStateException().isThrownBy(() -> manager.acquire("late")).withMessageContaining("closed");
	}

	@Test
	void builderRejectsBadValuesNamingTheOption() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpdateLockManager.builder().watchInterval(Duration.ZERO))
			.withMessage("watchInterval must be more than zero, was PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpdateLockManager.builder().acquireTimeout(Duration.ofSeconds(-1)))
			.withMessage("acquireTimeout must be zero or more, was PT-1S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpdateLockManager.builder()
				.initialBackoff(Duration.ofSeconds(5))
				.maxBackoff(Duration.ofSeconds(1))
				.build())
			.withMessageContaining("maxBackoff (PT1S) must not be less than initialBackoff (PT5S)");
	}

	@Test
	void builderAcceptsOnlyTheLockFileNamesThatUpdatesWaitFor() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpdateLockManager.builder().lockPath(this.directory.resolve("app.lock")))
			.withMessage("lockPath must name a file called updates.lock (or the legacy resin-updates.lock), was "
					+ this.directory.resolve("app.lock"));
		assertThatIllegalArgumentException().isThrownBy(() -> UpdateLockManager.builder().lockPath(Path.of("/")))
			.withMessageStartingWith("lockPath must name a file called updates.lock");
		assertThatNoException().isThrownBy(() -> UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.lockPath(this.directory.resolve("resin-updates.lock")));
	}

}
