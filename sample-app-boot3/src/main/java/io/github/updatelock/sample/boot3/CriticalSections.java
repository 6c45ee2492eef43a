package io.github.updatelock.sample.boot3;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.aop.HoldUpdateLock;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * Work that an update must not cut in half, once for each kind of return type that
 * {@link HoldUpdateLock} knows: the hold lasts until the method returns, until the
 * returned stage completes, or from the subscription until the {@code Mono} ends.
 */
@Service
public class CriticalSections {

	private final UpdateLockManager updateLockManager;

	public CriticalSections(UpdateLockManager updateLockManager) {
		this.updateLockManager = updateLockManager;
	}

	/**
	 * Works on the calling thread.
	 * @param millis how long the work takes
	 * @return the outcome
	 * @throws InterruptedException if the thread is interrupted while it works
	 */
	@HoldUpdateLock(name = "sync-section")
	public SectionResult sync(long millis) throws InterruptedException {
		// Stands for blocking work, such as writing to a device.
		Thread.sleep(millis);
		return result("sync", millis);
	}

	/**
	 * Works later, without holding a thread meanwhile; the method returns at once.
	 * @param millis how long the work takes
	 * @return the outcome, once the work ends
	 */
	@HoldUpdateLock(name = "async-section")
	public CompletionStage<SectionResult> async(long millis) {
		return CompletableFuture.supplyAsync(() -> result("async", millis),
				CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
	}

	/**
	 * Works once subscribed to, without holding a thread meanwhile.
	 * @param millis how long the work takes
	 * @return the outcome, once the work ends
	 */
	@HoldUpdateLock(name = "reactive-section")
	public Mono<SectionResult> reactive(long millis) {
		return Mono.delay(Duration.ofMillis(millis)).map((tick) -> result("reactive", millis));
	}

	private SectionResult result(String section, long millis) {
		return new SectionResult(section, millis, this.updateLockManager.snapshot().status());
	}

}
