package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import io.github.updatelock.testsupport.LockPeers;
import io.github.updatelock.testsupport.LockPeers.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Every way the lock file is made: unnamed then linked (where {@code O_TMPFILE} works, as
 * here), created in place, the fallback for kernels and file systems without it, which
 * only these tests exercise on this machine, and with plain Java where JNA is missing.
 */
class OwnedLockFileTests {

	private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

	private final LocalInstance self = LocalInstance.current(Map.of());

	@TempDir
	Path directory;

	private Path lockFile() {
		return this.directory.resolve("updates.lock");
	}

	private OwnedLockFile create(boolean unnamedFirst) throws Exception {
		return NativeLockFiles.create(NativePath.of(lockFile()), true, this.self, NOW, unnamedFirst,
				Uids::countsAsSupervisors);
	}

	@ParameterizedTest(name = "unnamed first: {0}")
	@ValueSource(booleans = { true, false })
	void makesAMarkedFileWhoseFlockTheHostOsProbeSees(boolean unnamedFirst) throws Exception {
		LockPeers.require(Peer.HOST_OS_PROBE);
		OwnedLockFile file = create(unnamedFirst);
		try {
			assertThat(file.flockHeld()).isTrue();
			assertThat(LockMarker.parse(Files.readAllBytes(lockFile())))
				.hasValueSatisfying((marker) -> assertThat(marker.instanceId()).isEqualTo(this.self.instanceId()));
			assertThat(file.isStillAtPath()).isTrue();
			assertThat(LockPeers.hostOsProbeFindsLockBusy(lockFile())).isTrue();
		}
		finally {
			assertThat(file.removeAndClose()).isTrue();
		}
		assertThat(lockFile()).doesNotExist();
	}

	@ParameterizedTest(name = "unnamed first: {0}")
	@ValueSource(booleans = { true, false })
	void isRefusedWhereAnEntryExistsAndLeavesItAlone(boolean unnamedFirst) throws IOException {
		Files.writeString(lockFile(), "someone else's");
		assertThatExceptionOfType(LockFileCreationException.class).isThrownBy(() -> create(unnamedFirst))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockFileCreationException.Reason.EXISTS));
		assertThat(lockFile()).hasContent("someone else's");
		try (var entries = Files.list(this.directory)) {
			assertThat(entries).containsExactly(lockFile());
		}
	}

	@ParameterizedTest(name = "unnamed first: {0}")
	@ValueSource(booleans = { true, false })
	void tellsAMissingDirectory(boolean unnamedFirst) {
		NativePath missing = NativePath.of(this.directory.resolve("gone").resolve("updates.lock"));
		assertThatExceptionOfType(LockFileCreationException.class)
			.isThrownBy(() -> NativeLockFiles.create(missing, true, this.self, NOW, unnamedFirst,
					Uids::countsAsSupervisors))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockFileCreationException.Reason.DIRECTORY_MISSING));
	}

	@ParameterizedTest(name = "unnamed first: {0}")
	@ValueSource(booleans = { true, false })
	void releaseLeavesAFileThatReplacedOursAlone(boolean unnamedFirst) throws Exception {
		OwnedLockFile file = create(unnamedFirst);
		Files.delete(lockFile());
		Files.writeString(lockFile(), "the override's");
		assertThat(file.isStillAtPath()).isFalse();
		assertThat(file.removeAndClose()).isFalse();
		assertThat(lockFile()).hasContent("the override's");
	}

	@Test
	void portableCreateInterruptedBeforeItsMarkerLeavesNoFileAndKeepsTheInterrupt() {
		// What Future.cancel(true) or shutdownNow() does to a first hold: the marker's write is
		// interrupted, which closes the channel.
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(ClosedByInterruptException.class).isThrownBy(() -> OwnedLockFile
				.createPortable(NativePath.of(lockFile()), this.self, NOW, Uids::countsAsSupervisors));
			assertThat(Thread.currentThread().isInterrupted()).as("interrupt status kept").isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(lockFile()).as("an unmarked file no one could remove").doesNotExist();
	}

	@ParameterizedTest(name = "unnamed first: {0}")
	@ValueSource(booleans = { true, false })
	void statxRefusedAtRunTimeFallsBackToProc(boolean unnamedFirst) throws Exception {
		// As under a seccomp filter that answers statx with EPERM.
		Statx.forceFailure(Libc.EPERM);
		try {
			OwnedLockFile file = create(unnamedFirst);
			assertThat(file.identity()).isEqualTo(FileIdentity.of(lockFile(), LinkOption.NOFOLLOW_LINKS));
			assertThat(file.isStillAtPath()).isTrue();
			assertThat(file.removeAndClose()).isTrue();
		}
		finally {
			Statx.forceFailure(0);
		}
		assertThat(lockFile()).doesNotExist();
	}

	@ParameterizedTest
	@ValueSource(strings = { "unnamed", "in place", "portable" })
	void aFileOwnedByTheSupervisorsUidIsRemovedAgain(String how) throws IOException {
		// The owner a created file gets cannot be chosen here (no root squash, no idmapped
		// mount), so our own uid stands for the one the Supervisor takes for its own.
		int ourUid = Uids.effective();
		NativePath path = NativePath.of(lockFile());
		assertThatExceptionOfType(LockFileCreationException.class).isThrownBy(() -> {
			if (how.equals("portable")) {
				OwnedLockFile.createPortable(path, this.self, NOW, (owner) -> owner == ourUid);
			}
			else {
				NativeLockFiles.create(path, true, this.self, NOW, how.equals("unnamed"), (owner) -> owner == ourUid);
			}
		}).satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LockFileCreationException.Reason.SUPERVISOR_OWNER));
		try (var entries = Files.list(this.directory)) {
			assertThat(entries).isEmpty();
		}
	}

	@Test
	void portableReleaseNeverThrowsWhenClosingFails() throws IOException {
		// Closing a file's channel fails only where the kernel's close(2) does (EIO on a network
		// file system), which a test cannot bring about: a channel whose close fails stands in.
		Files.write(lockFile(), LockMarker.of(this.self, false, NOW).toBytes());
		NativePath path = NativePath.of(lockFile());
		OwnedLockFile file = new OwnedLockFile(path, -1, new UncloseableChannel(), FileIdentity.ofEntryOrNull(path),
				false, "flock needs the native library");
		assertThatNoException().isThrownBy(() -> assertThat(file.removeAndClose()).isTrue());
		assertThat(lockFile()).doesNotExist();
	}

	/** A channel whose close fails; nothing else is called by a release. */
	private static final class UncloseableChannel extends FileChannel {

		@Override
		protected void implCloseChannel() throws IOException {
			throw new IOException("Input/output error");
		}

		@Override
		public int read(ByteBuffer dst) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long read(ByteBuffer[] dsts, int offset, int length) {
			throw new UnsupportedOperationException();
		}

		@Override
		public int write(ByteBuffer src) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long write(ByteBuffer[] srcs, int offset, int length) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long position() {
			throw new UnsupportedOperationException();
		}

		@Override
		public FileChannel position(long newPosition) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long size() {
			throw new UnsupportedOperationException();
		}

		@Override
		public FileChannel truncate(long size) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void force(boolean metaData) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long transferTo(long position, long count, WritableByteChannel target) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long transferFrom(ReadableByteChannel src, long position, long count) {
			throw new UnsupportedOperationException();
		}

		@Override
		public int read(ByteBuffer dst, long position) {
			throw new UnsupportedOperationException();
		}

		@Override
		public int write(ByteBuffer src, long position) {
			throw new UnsupportedOperationException();
		}

		@Override
		public MappedByteBuffer map(MapMode mode, long position, long size) {
			throw new UnsupportedOperationException();
		}

		@Override
		public FileLock lock(long position, long size, boolean shared) {
			throw new UnsupportedOperationException();
		}

		@Override
		public FileLock tryLock(long position, long size, boolean shared) {
			throw new UnsupportedOperationException();
		}

	}

}
