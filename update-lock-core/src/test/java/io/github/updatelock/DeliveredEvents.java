package io.github.updatelock;

import java.time.Duration;
import java.util.Arrays;

import org.awaitility.Awaitility;

/**
 * Listeners run on the manager's event thread: a test that looks at the events a step
 * published waits here until every event published so far has been delivered.
 */
final class DeliveredEvents {

	private DeliveredEvents() {
	}

	static void await(UpdateLockManager... managers) {
		Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
			.until(() -> Arrays.stream(managers).allMatch(UpdateLockManager::eventsDelivered));
	}

}
