package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.github.updatelock.internal.LibcBinding;
import io.github.updatelock.testsupport.LockPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A manager on a JVM where no libc binding loaded (native access denied, JNA missing): it
 * still makes the lock file, which app updates wait for, but holds no flock, which a host
 * OS update's final reboot waits for. It never says it protects as asked, and on a device
 * {@link UpdateLockManager#requireFlock()} refuses with the root cause and the fix.
 */
class FlockUnavailableTests {

	/** What FFM throws where native access is denied, as the JDK words it. */
	static final IllegalCallerException DENIED = new IllegalCallerException(
			"Illegal native access from: unnamed module @5a2e4553");

	@TempDir
	Path temporary;

	private final List<UpdateLockManager> managers = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	@Test
	void aHoldWithoutTheWantedFlockIsNotReportedAsProtecting() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.temporary).resolve("updates.lock");
		UpdateLockManager manager = manager(lockFile, Map.of(), UnaryOperator.identity());
		UpdateLockHold hold = manager.acquire("flash");
		UpdateLockSnapshot snapshot = manager.snapshot();
		assertThat(lockFile).exists();
		assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile)).as("flock held").isFalse();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(snapshot.flockHeld()).isFalse();
		assertThat(snapshot.protecting()).isFalse();
		assertThat(snapshot.protection()).isEqualTo(UpdateLockProtection.APP_UPDATES_ONLY);
		assertThat(snapshot.warnings()).singleElement().satisfies((warning) -> {
			assertThat(warning.problem()).isEqualTo(UpdateLockProblem.FLOCK_UNAVAILABLE);
			assertThat(warning.message()).contains("IllegalCallerException", "app updates only",
					"host OS updates will not wait");
		});
		hold.release();
	}

	@Test
	void onADeviceRequireFlockRefusesWithTheRootCauseAndTheFix() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.temporary).resolve("updates.lock");
		UpdateLockManager manager = manager(lockFile, Map.of(), UnaryOperator.identity());
		assertThatExceptionOfType(FlockUnavailableException.class).isThrownBy(manager::requireFlock)
			.satisfies((ex) -> {
				assertThat(ex).hasRootCause(DENIED);
				assertThat(ex.getMessage()).contains(lockFile.toString(), "host OS updates would not wait");
				assertThat(ex.getFix()).contains("--enable-native-access=ALL-UNNAMED");
			});
	}

	@Test
	void aLockPathFromTheSupervisorMeansADeviceEvenBeforeItsDirectoryExists() {
		Path lockFile = this.temporary.resolve("not-yet").resolve("updates.lock");
		UpdateLockManager manager = manager(null, Map.of("BALENA_APP_LOCK_PATH", lockFile.toString()),
				UnaryOperator.identity());
		assertThatExceptionOfType(FlockUnavailableException.class).isThrownBy(manager::requireFlock);
	}

	@Test
	void offADeviceRequireFlockLetsTheApplicationStart() {
		Path lockFile = this.temporary.resolve("no-balena-here").resolve("updates.lock");
		UpdateLockManager manager = manager(lockFile, Map.of(), UnaryOperator.identity());
		manager.requireFlock();
		assertThat(manager.snapshot().warnings()).extracting(UpdateLockWarning::problem)
			.contains(UpdateLockProblem.FLOCK_UNAVAILABLE);
	}

	@Test
	void flockSwitchedOffProtectsAppUpdatesOnlyAndSaysSo() throws IOException {
		Path lockFile = LockPeers.lockDirectory(this.temporary).resolve("updates.lock");
		UpdateLockManager manager = manager(lockFile, Map.of(), (builder) -> builder.flock(false));
		manager.requireFlock();
		UpdateLockHold hold = manager.acquire("flash");
		UpdateLockSnapshot snapshot = manager.snapshot();
		assertThat(snapshot.protecting()).as("protecting as configured").isTrue();
		assertThat(snapshot.protection()).isEqualTo(UpdateLockProtection.APP_UPDATES_ONLY);
		assertThat(snapshot.warnings()).singleElement().satisfies((warning) -> {
			assertThat(warning.problem()).isEqualTo(UpdateLockProblem.FLOCK_DISABLED);
			assertThat(warning.message()).contains("app updates only, on purpose");
		});
		hold.release();
	}

	private UpdateLockManager manager(Path lockFile, Map<String, String> environment,
			UnaryOperator<UpdateLockManager.Builder> customizer) {
		UpdateLockManager.Builder builder = UpdateLockManager.builder()
			.lockPath(lockFile)
			.environment(environment)
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.libcBinding(LibcBinding.unavailable(new ExceptionInInitializerError(DENIED),
					"--enable-native-access=ALL-UNNAMED"));
		UpdateLockManager manager = customizer.apply(builder).build();
		this.managers.add(manager);
		return manager;
	}

}
