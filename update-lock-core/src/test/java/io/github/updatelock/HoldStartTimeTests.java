package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockLostEvent;
import io.github.updatelock.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When holds report they started: exact for the hold that takes the file and for
 * listeners of per-hold events, the manager's coarse time for other joining holds.
 */
class HoldStartTimeTests {

	private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

	@TempDir
	Path directory;

	private final MutableClock clock = new MutableClock(START);

	private UpdateLockManager manager;

	@AfterEach
	void closeManager() {
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private UpdateLockManager manager(Duration watchInterval, UpdateLockListener... listeners) {
		UpdateLockManager.Builder builder = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.clock(this.clock)
			.watchInterval(watchInterval);
		for (UpdateLockListener listener : listeners) {
			builder.listener(listener);
		}
		this.manager = builder.build();
		return this.manager;
	}

	@Test
	void firstHoldStartsWhenTheFileIsTaken() {
		UpdateLockManager manager = manager(Duration.ofHours(1));
		this.clock.advance(Duration.ofSeconds(7));
		UpdateLockHold first = manager.acquire("first");
		assertThat(first.since()).isEqualTo(START.plusSeconds(7)).isEqualTo(manager.snapshot().heldSince());
	}

	@Test
	void joiningHoldTakesTheCoarseTimeUntilTheWatchRefreshesIt() {
		UpdateLockManager manager = manager(Duration.ofHours(1));
		manager.acquire("first");
		this.clock.advance(Duration.ofSeconds(3));
		// No watch round within the hour: the coarse time is still when the file was taken.
		assertThat(manager.acquire("nested").since()).isEqualTo(START);
	}

	@Test
	void watchRoundsKeepTheCoarseTimeWithinOneInterval() {
		UpdateLockManager manager = manager(Duration.ofMillis(20));
		manager.acquire("first");
		this.clock.advance(Duration.ofSeconds(3));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(manager.acquire("nested").since()).isEqualTo(START.plusSeconds(3)));
	}

	@Test
	void watchKeepsRefreshingAfterAListenerFailsWithAnError() throws IOException {
		UpdateLockManager manager = manager(Duration.ofMillis(20), new UpdateLockListener() {

			@Override
			public void onEvent(UpdateLockEvent event) {
				if (event instanceof UpdateLockLostEvent) {
					throw new AssertionError("a listener's bug");
				}
			}

			@Override
			public boolean wantsHoldEvents() {
				return false;
			}

		});
		manager.acquire("first");
		Files.delete(this.directory.resolve("updates.lock"));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> manager.snapshot().status() == UpdateLockStatus.LOST);
		this.clock.advance(Duration.ofSeconds(3));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(manager.acquire("nested").since()).isEqualTo(START.plusSeconds(3)));
	}

	@Test
	void listenerOfHoldEventsGetsExactTimesForJoiningHolds() {
		UpdateLockManager manager = manager(Duration.ofHours(1), (event) -> {
		});
		manager.acquire("first");
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(manager.acquire("nested").since()).isEqualTo(START.plusSeconds(3));
	}

	@Test
	void listenerThatDeclinesHoldEventsLeavesJoiningHoldsCoarse() {
		UpdateLockManager manager = manager(Duration.ofHours(1), new UpdateLockListener() {

			@Override
			public void onEvent(UpdateLockEvent event) {
			}

			@Override
			public boolean wantsHoldEvents() {
				return false;
			}

		});
		manager.acquire("first");
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(manager.acquire("nested").since()).isEqualTo(START);
	}

	@Test
	void snapshotListsHoldsOldestFirstAndForgetsReleasedOnes() {
		UpdateLockManager manager = manager(Duration.ofHours(1));
		UpdateLockHold first = manager.acquire("first");
		UpdateLockHold second = manager.acquire("second");
		UpdateLockHold third = manager.acquire("third");
		second.release();
		second.release();
		assertThat(manager.snapshot().holds()).extracting(ActiveHold::name).containsExactly("first", "third");
		assertThat(manager.snapshot().holds()).extracting(ActiveHold::id).containsExactly(first.id(), third.id());
		first.release();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.HELD);
		third.release();
		assertThat(manager.snapshot().holds()).isEmpty();
		assertThat(manager.snapshot().status()).isEqualTo(UpdateLockStatus.RELEASED);
		assertThat(this.directory.resolve("updates.lock")).doesNotExist();
	}

}
