package io.github.updatelock.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.updatelock.UpdateLockBlocker;
import io.github.updatelock.internal.ExistingLockFile.Outcome;
import io.github.updatelock.internal.ExistingLockFile.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Who is reported as blocking when entries keep appearing and vanishing (or cannot be
 * removed): what was seen, and the Supervisor only for a file owned by its uid. And how a
 * stale file that no flock guards is reclaimed.
 */
class ExistingLockFileTests {

	private final LocalInstance self = LocalInstance.current(Map.of());

	private final LockMarker marker = LockMarker.of(this.self, true, Instant.now());

	@TempDir
	Path directory;

	@Test
	void anEntryThatVanishedAfterItsMarkerWasReadWasAnotherInstances() {
		assertThat(Outcome.vanished(this.marker).blocker()).isEqualTo(UpdateLockBlocker.LIVE_INSTANCE);
	}

	@Test
	void anEntryThatVanishedUnseenIsNotTakenForTheSupervisors() {
		assertThat(Outcome.of(Verdict.GONE).blocker()).isEqualTo(UpdateLockBlocker.FOREIGN);
	}

	@Test
	void aStaleFileThatCannotBeRemovedBlocksLikeAForeignOne() {
		Outcome undeletable = new Outcome(Verdict.UNDELETABLE, this.marker, "Operation not permitted");
		assertThat(undeletable.worthRetrying()).isFalse();
		assertThat(undeletable.blocker()).isEqualTo(UpdateLockBlocker.FOREIGN);
	}

	@Test
	void onlyAFileOwnedByTheSupervisorsUidIsTheSupervisors() {
		assertThat(Outcome.of(Verdict.SUPERVISOR).blocker()).isEqualTo(UpdateLockBlocker.SUPERVISOR);
		assertThat(Outcome.of(Verdict.FOREIGN).blocker()).isEqualTo(UpdateLockBlocker.FOREIGN);
		assertThat(new Outcome(Verdict.RECLAIMED, this.marker, null).worthRetrying()).isTrue();
	}

	/**
	 * Without a flock, another reclaimer can remove the stale file we judged and create its
	 * own in the instant between our check and our removal: its fresh file must survive.
	 */
	@Test
	void aReclaimWithoutFlockLeavesTheFreshFileThatTookThePathAfterTheStaleOneWasJudged() throws IOException {
		Path path = this.directory.resolve("updates.lock");
		LockMarker stale = staleMarker();
		Files.write(path, stale.toBytes());
		FileIdentity seen = FileIdentity.of(path, LinkOption.NOFOLLOW_LINKS);
		byte[] fresh = freshMarker();

		Outcome outcome = ExistingLockFile.verifyUnlinkWithoutFlock(path, seen, stale, this.self, () -> {
			try {
				Files.delete(path);
				Files.write(path, fresh, StandardOpenOption.CREATE_NEW);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});

		assertLeftAlone(outcome, path, fresh);
	}

	/** ext4 hands a freed inode number to the next file: the fresh file then has the stale one's identity. */
	@Test
	void aReclaimWithoutFlockLeavesAFreshFileThatReusedTheStaleOnesInodeNumber() throws IOException {
		Path path = this.directory.resolve("updates.lock");
		LockMarker stale = staleMarker();
		Files.write(path, stale.toBytes());
		FileIdentity seen = FileIdentity.of(path, LinkOption.NOFOLLOW_LINKS);
		Files.delete(path);
		byte[] fresh = freshMarker();
		Files.write(path, fresh, StandardOpenOption.CREATE_NEW);
		assumeTrue(seen.equals(FileIdentity.of(path, LinkOption.NOFOLLOW_LINKS)),
				"this file system did not reuse the inode number");

		Outcome outcome = ExistingLockFile.verifyUnlinkWithoutFlock(path, seen, stale, this.self);

		assertLeftAlone(outcome, path, fresh);
	}

	@Test
	void aReclaimWithoutFlockRemovesTheStaleFileItJudged() throws IOException {
		Path path = this.directory.resolve("updates.lock");
		LockMarker stale = staleMarker();
		Files.write(path, stale.toBytes());

		Outcome outcome = ExistingLockFile.verifyUnlinkWithoutFlock(path,
				FileIdentity.of(path, LinkOption.NOFOLLOW_LINKS), stale, this.self);

		assertThat(outcome.verdict()).isEqualTo(Verdict.RECLAIMED);
		assertThat(entries()).isEmpty();
	}

	/** Left by a process of this container that is gone: same pid namespace, another start. */
	private LockMarker staleMarker() {
		return new LockMarker("dead-instance", this.self.hostname(), this.self.bootId(), this.self.pid(),
				"another-start", this.self.pidNamespace(), false, Instant.now());
	}

	/** Made by another live reclaimer in this container. */
	private byte[] freshMarker() {
		return new LockMarker("live-instance", this.self.hostname(), this.self.bootId(), this.self.pid(),
				this.self.processStart(), this.self.pidNamespace(), false, Instant.now())
			.toBytes();
	}

	/** The fresh file is at its path, and nothing else in the directory: no name of the reclaim stayed. */
	private void assertLeftAlone(Outcome outcome, Path path, byte[] fresh) throws IOException {
		assertThat(outcome.verdict()).isEqualTo(Verdict.GONE);
		assertThat(path).hasBinaryContent(fresh);
		assertThat(entries()).containsExactly(path);
	}

	private List<Path> entries() throws IOException {
		try (Stream<Path> entries = Files.list(this.directory)) {
			return entries.toList();
		}
	}

}
