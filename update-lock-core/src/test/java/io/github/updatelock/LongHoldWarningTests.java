package io.github.updatelock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockLongHoldEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * A hold that lives longer than the long-hold warning is named once, marked in snapshots,
 * and goes on holding.
 */
class LongHoldWarningTests {

	private static final Duration WATCH_INTERVAL = Duration.ofMillis(20);

	@TempDir
	Path directory;

	private final List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();

	private final List<UpdateLockManager> managers = new ArrayList<>();

	@AfterEach
	void closeManagers() {
		this.managers.forEach(UpdateLockManager::close);
	}

	@Test
	void holdOlderThanTheWarningIsReportedOnceAndMarkedWhileYoungerHoldsAreNot() {
		UpdateLockManager manager = manager(Duration.ofMillis(200));
		UpdateLockHold forgotten = manager.acquire("forgotten");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.events).filteredOn(UpdateLockLongHoldEvent.class::isInstance)
				.singleElement()
				.satisfies((event) -> {
					UpdateLockLongHoldEvent longHold = (UpdateLockLongHoldEvent) event;
					assertThat(longHold.hold().name()).isEqualTo("forgotten");
					assertThat(longHold.hold().id()).isEqualTo(forgotten.id());
					assertThat(longHold.age()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
				}));
		UpdateLockHold young = manager.acquire("young");
		UpdateLockSnapshot snapshot = manager.snapshot();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.HELD);
		assertThat(snapshot.holds()).extracting(ActiveHold::name, ActiveHold::longRunning)
			.containsExactly(tuple("forgotten", true),
					tuple("young", false));
		young.release();
		// Many more watch rounds: still one warning for the same hold.
		await().during(Duration.ofMillis(100))
			.atMost(Duration.ofSeconds(1))
			.until(() -> this.events.stream().filter(UpdateLockLongHoldEvent.class::isInstance).count() == 1);
		forgotten.release();
	}

	@Test
	void zeroSwitchesTheWarningOff() {
		UpdateLockManager manager = manager(Duration.ZERO);
		try (UpdateLockHold hold = manager.acquire("endless")) {
			await().during(Duration.ofMillis(200))
				.atMost(Duration.ofSeconds(1))
				.until(() -> this.events.stream().noneMatch(UpdateLockLongHoldEvent.class::isInstance));
			assertThat(manager.snapshot().holds()).extracting(ActiveHold::longRunning).containsExactly(false);
		}
	}

	@Test
	void negativeWarningIsRefusedWithItsName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpdateLockManager.builder().longHoldWarning(Duration.ofSeconds(-1)))
			.withMessageContaining("longHoldWarning");
	}

	private UpdateLockManager manager(Duration longHoldWarning) {
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(this.directory.resolve("updates.lock"))
			.environment(Map.of())
			.shutdownHook(false)
			.watchInterval(WATCH_INTERVAL)
			.longHoldWarning(longHoldWarning)
			.listener(this.events::add)
			.build();
		this.managers.add(manager);
		return manager;
	}

}
