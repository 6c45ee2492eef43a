package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.updatelock.UpdateLockException;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockProblem;
import io.github.updatelock.UpdateLockSnapshot;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockWarning;
import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each libc call that taking, watching, reclaiming and releasing the lock make fails once,
 * in turn, with each errno a device can answer. After every fault: no hold counts as
 * protected unless the path names our flocked file; the fault is either absorbed (the
 * operation did what it was asked) or the snapshot names its errno; {@code EINTR} is always
 * absorbed; the next attempt works once the fault is gone; and {@code close()} leaves no
 * file of ours behind.
 */
class NativeFaultTests {

	private static final Map<String, Integer> ERRNOS = Map.of("ENOSPC", 28, "EMFILE", 24, "EIO", 5, "EROFS", 30,
			"EACCES", 13, "EINTR", Libc.EINTR);

	@TempDir
	Path directory;

	private FaultyNativeCalls calls;

	private UpdateLockManager manager;

	/** Where each operation calls libc, as {@code call#n}: the n-th call of that name in the operation. */
	static Stream<Arguments> faults() {
		Map<Operation, List<String>> sites = Map.of(Operation.ACQUIRE,
				List.of("open#1", "statx#1", "flock#1", "write#1", "linkat#1"),
				// Over a stale file of ours: the create finds it (open, statx, flock, write, linkat,
				// close), then the reclaim opens, flocks, identifies the descriptor and the path,
				// and closes.
				Operation.RECLAIM, List.of("open#2", "flock#2", "statx#2", "statx#3", "close#2"),
				Operation.WATCH, List.of("statx#1"),
				Operation.RELEASE, List.of("statx#1", "unlink#1", "close#1"));
		return Stream.of(Operation.values())
			.flatMap((operation) -> sites.get(operation)
				.stream()
				.flatMap((site) -> ERRNOS.keySet().stream().sorted().map((errno) -> Arguments.of(operation, site, errno))));
	}

	@BeforeEach
	void injectFaults() {
		assumeTrue(NativeAccess.available(), "needs the native binding");
		LockPeers.requireHostOsProbe();
		NativeAccess.decorate((binding) -> {
			this.calls = new FaultyNativeCalls(binding);
			return this.calls;
		});
	}

	@AfterEach
	void restoreBinding() {
		NativeAccess.decorate(null);
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private Path lockFile() {
		return this.directory.resolve("updates.lock");
	}

	@ParameterizedTest(name = "{0} {1} fails with {2}")
	@MethodSource("faults")
	void aFailedCallNeverLeavesFalseProtectionOrAFileOfOurs(Operation operation, String site, String errnoName)
			throws IOException {
		assumeTrue(!site.startsWith("statx") || Statx.available(), "this C library has no statx");
		String call = site.substring(0, site.indexOf('#'));
		int occurrence = Integer.parseInt(site.substring(site.indexOf('#') + 1));
		this.manager = UpdateLockManager.builder()
			.lockPath(lockFile())
			.environment(Map.of())
			.shutdownHook(false)
			.acquireTimeout(Duration.ZERO)
			.initialBackoff(Duration.ofMillis(10))
			.maxBackoff(Duration.ofMillis(50))
			.watchInterval(Duration.ofMillis(20))
			.build();
		UpdateLockHold held = (operation == Operation.WATCH || operation == Operation.RELEASE)
				? this.manager.acquire("before") : null;
		if (operation == Operation.RECLAIM) {
			Files.write(lockFile(), LockMarker.of(LocalInstance.current(Map.of()), true, Instant.now()).toBytes());
		}
		this.calls.fail(call, occurrence, ERRNOS.get(errnoName));
		String failure = null;
		boolean done;
		UpdateLockSnapshot snapshot;
		switch (operation) {
			case ACQUIRE, RECLAIM -> {
				try {
					held = this.manager.acquire("faulted");
				}
				catch (UpdateLockException ex) {
					failure = ex.getMessage();
				}
				snapshot = this.manager.snapshot();
				done = snapshot.protecting();
			}
			case WATCH -> {
				await().atMost(LockPeers.TIMEOUT).until(this.calls::fired);
				// The watch goes on looking; none of its rounds may take the failure for a loss.
				await().during(Duration.ofMillis(100))
					.atMost(LockPeers.TIMEOUT)
					.until(() -> this.manager.snapshot().status() == UpdateLockStatus.HELD);
				snapshot = this.manager.snapshot();
				done = true;
			}
			case RELEASE -> {
				held.release();
				held = null;
				snapshot = this.manager.snapshot();
				done = Files.notExists(lockFile()) && snapshot.warnings().isEmpty();
			}
			default -> throw new IllegalStateException();
		}
		assertThat(this.calls.fired()).as("the fault happened").isTrue();
		assertProtectionIsReal();
		assertThat(snapshot.lastLost()).as("no failure is an override").isNull();
		if (errnoName.equals("EINTR")) {
			assertThat(done).as("an interrupted call is made again").isTrue();
		}
		if (!done) {
			assertThat(snapshot.warnings()).extracting(UpdateLockWarning::message)
				.as("the snapshot names the errno")
				.anySatisfy((message) -> assertThat(message).contains(errnoName));
		}
		if (failure != null) {
			assertThat(failure).contains(errnoName);
		}

		// The fault is gone: a failed removal is retried, the next hold is protected.
		if (held != null) {
			held.release();
		}
		await().atMost(LockPeers.TIMEOUT)
			.until(() -> this.manager.snapshot()
				.warnings()
				.stream()
				.noneMatch((warning) -> warning.problem() == UpdateLockProblem.REMOVAL_FAILED));
		try (UpdateLockHold next = this.manager.acquire("next")) {
			assertThat(this.manager.snapshot().protecting()).isTrue();
			assertProtectionIsReal();
			assertThat(this.manager.snapshot().warnings()).extracting(UpdateLockWarning::message)
				.noneSatisfy((message) -> assertThat(message).contains(errnoName));
		}
		this.manager.close();
		assertThat(lockFile()).doesNotExist();
	}

	/**
	 * Where {@code O_TMPFILE} is missing the file is made under its name: when what it is
	 * cannot be read through its descriptor ({@code statx} fails, and {@code /proc} does not
	 * know the descriptor), it must still be removed. Left empty and unmarked, no one could
	 * ever tell it from someone else's lock, and updates would wait for a reboot.
	 */
	@Test
	void aFileCreatedInPlaceIsRemovedWhenItsDescriptorCannotBeIdentified() {
		this.calls.hideDescriptorsFromProc();
		Statx.forceFailure(ERRNOS.get("EIO"));
		try {
			assertThatIOException().isThrownBy(() -> NativeLockFiles.create(NativePath.of(lockFile()), true,
					LocalInstance.current(Map.of()), Instant.now(), false, (owner) -> false));
		}
		finally {
			Statx.forceFailure(0);
		}
		assertThat(lockFile()).doesNotExist();
	}

	/** A snapshot that says protected is true only while the path names our file and its flock is held. */
	private void assertProtectionIsReal() {
		if (this.manager.snapshot().protecting()) {
			assertThat(this.manager.inspectLockFile().ours()).as("the path names our file").isTrue();
			assertThat(LockPeers.hostOsProbe(lockFile())).as("our flock is held").isEqualTo(Probe.BUSY);
		}
	}

	enum Operation {

		ACQUIRE, RECLAIM, WATCH, RELEASE

	}

}
