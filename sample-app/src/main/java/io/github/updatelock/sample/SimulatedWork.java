package io.github.updatelock.sample;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Stands in for the device's real work (writing firmware blocks, uploading readings): it
 * takes the time it is given, or ends early once the application starts shutting down
 * (unless {@code sample.work.end-early-on-shutdown=false}).
 * <p>
 * Ending early matters on a device: {@code docker stop} (a reboot, a power-down, a
 * {@code force} update) waits only a grace period before it sends SIGKILL, and a process
 * killed that way leaves its lock file behind. Work that notices the shutdown lets the
 * holds end in time for the lock file to be removed.
 */
@Component
public class SimulatedWork {

	private final CountDownLatch stopping = new CountDownLatch(1);

	private final Sinks.Empty<Void> stoppingSignal = Sinks.empty();

	private final boolean endEarlyOnShutdown;

	/**
	 * Creates the work.
	 * @param endEarlyOnShutdown whether work ends early once shutdown begins; without it, work
	 * that cannot stop halfway (a real flash) finishes within {@code update-lock.shutdown.wait}
	 */
	public SimulatedWork(@Value("${sample.work.end-early-on-shutdown:true}") boolean endEarlyOnShutdown) {
		this.endEarlyOnShutdown = endEarlyOnShutdown;
	}

	/**
	 * Works for the given time on the calling thread.
	 * @param duration how long the work takes
	 * @return {@code true} when it ran to the end, {@code false} when the shutdown cut it short
	 */
	public boolean run(Duration duration) {
		try {
			return !this.stopping.await(duration.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Works for the given time without holding a thread.
	 * @param duration how long the work takes
	 * @return a {@code Mono} of {@code true} when it ran to the end, {@code false} when
	 * the shutdown cut it short
	 */
	public Mono<Boolean> runReactive(Duration duration) {
		return Mono.firstWithSignal(Mono.delay(duration).thenReturn(true),
				this.stoppingSignal.asMono().thenReturn(false));
	}

	// Published before any lifecycle bean stops: the web server's graceful shutdown then
	// finds the requests already answering, and the lock lifecycle finds the holds ended.
	@EventListener(ContextClosedEvent.class)
	void onShutdown() {
		if (!this.endEarlyOnShutdown) {
			return;
		}
		this.stopping.countDown();
		this.stoppingSignal.tryEmitEmpty();
	}

}
