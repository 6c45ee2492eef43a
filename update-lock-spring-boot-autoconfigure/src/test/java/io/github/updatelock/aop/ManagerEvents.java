package io.github.updatelock.aop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldReleasedEvent;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

/**
 * The manager's own events in the advice tests, which count releases per hold to prove
 * that a hold ends exactly once.
 */
final class ManagerEvents {

	private ManagerEvents() {
	}

	/** Records every event of the context's manager from now on. */
	static List<UpdateLockEvent> record(AssertableApplicationContext context) {
		List<UpdateLockEvent> events = new CopyOnWriteArrayList<>();
		context.getBean(UpdateLockManager.class).addListener(events::add);
		return events;
	}

	/** How many holds of that name were released. */
	static long releasesOf(List<UpdateLockEvent> events, String holdName) {
		return events.stream()
			.filter((event) -> event instanceof UpdateLockHoldReleasedEvent released
					&& released.hold().name().equals(holdName))
			.count();
	}

}
