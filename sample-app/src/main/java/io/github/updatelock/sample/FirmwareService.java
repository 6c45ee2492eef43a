package io.github.updatelock.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.aop.HoldUpdateLock;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.stereotype.Service;

/**
 * Flashes firmware to an attached microcontroller: a critical section that an update must
 * not cut in half, so each variant runs under the update lock. The three variants show how
 * long the hold lasts for each return type. Each waits up to {@code sample.firmware.max-wait}
 * for a lock that someone else holds, then gives up with an
 * {@link io.github.updatelock.aop.UpdateLockNotObtainedException}.
 */
@Service
public class FirmwareService {

	private final SimulatedWork work;

	private final UpdateLockManager updateLockManager;

	private final Executor executor;

	public FirmwareService(SimulatedWork work, UpdateLockManager updateLockManager,
			@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) Executor executor) {
		this.work = work;
		this.updateLockManager = updateLockManager;
		this.executor = executor;
	}

	/**
	 * Flashes on the calling thread; the hold lasts until the method returns.
	 * @param seconds how long the flash takes
	 * @return the outcome
	 */
	@HoldUpdateLock(name = "firmware-flash", maxWait = "${sample.firmware.max-wait}")
	public FlashResult flash(int seconds) {
		return flashNow("blocking", seconds);
	}

	/**
	 * Flashes on the application's task executor; the hold is taken on the calling thread
	 * and lasts until the returned future completes.
	 * @param seconds how long the flash takes
	 * @return the outcome, once the flash ends
	 */
	@HoldUpdateLock(name = "firmware-flash-async", maxWait = "${sample.firmware.max-wait}")
	public CompletableFuture<FlashResult> flashAsync(int seconds) {
		return CompletableFuture.supplyAsync(() -> flashNow("async", seconds), this.executor);
	}

	/**
	 * Flashes without holding a thread; the hold lasts from the subscription until the
	 * {@code Mono} ends, so nothing is locked before somebody subscribes.
	 * @param seconds how long the flash takes
	 * @return the outcome, once the flash ends
	 */
	@HoldUpdateLock(name = "firmware-flash-reactive", maxWait = "${sample.firmware.max-wait}")
	public Mono<FlashResult> flashReactive(int seconds) {
		return this.work.runReactive(Duration.ofSeconds(seconds))
			.map((completed) -> result("reactive", seconds, completed));
	}

	private FlashResult flashNow(String variant, int seconds) {
		return result(variant, seconds, this.work.run(Duration.ofSeconds(seconds)));
	}

	private FlashResult result(String variant, int seconds, boolean completed) {
		return new FlashResult(variant, seconds, completed, this.updateLockManager.snapshot().status());
	}

}
