package quickstart;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.context.UpdateLockStartupHold;
import io.github.updatelock.event.UpdateLockAcquiredEvent;
import io.github.updatelock.event.UpdateLockEvent;
import io.github.updatelock.event.UpdateLockHoldAcquiredEvent;
import io.github.updatelock.event.UpdateLockReleasedEvent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs a README quick start's service with its configuration, and exits 0 only if the startup
 * hold took the lock, the application could release it, and {@code @HoldUpdateLock} then created
 * and removed the lock file. With a web server (the Boot 3.5 quick start brings the web and
 * actuator starters) the {@code updatelock} endpoint and the health contributor must answer too.
 * The same class serves both Boot lines: it uses only what they share.
 */
@SpringBootApplication
public class QuickStartApplication {

	private static final Duration WAIT = Duration.ofSeconds(30);

	public static void main(String[] args) throws Exception {
		try (ConfigurableApplicationContext context = SpringApplication.run(QuickStartApplication.class, args)) {
			UpdateLockManager manager = context.getBean(UpdateLockManager.class);
			Path lockFile = manager.path();
			// Listeners run on the manager's event thread: the checks below wait for their delivery.
			BlockingQueue<UpdateLockEvent> events = new LinkedBlockingQueue<>();
			manager.addListener(events::add);
			UpdateLockStartupHold startupHold = context.getBean(UpdateLockStartupHold.class);
			// The startup hold is taken in the background.
			check(startupHold.awaitHeld(WAIT), "the startup hold took the lock");
			check(Files.exists(lockFile), "the lock file exists at " + lockFile);
			String port = context.getEnvironment().getProperty("local.server.port");
			if (port != null) {
				checkHttp(port, "/actuator/updatelock", "\"status\":\"HELD\"");
				checkHttp(port, "/actuator/health/updateLock", "\"status\":\"UP\"");
			}
			events.clear();
			startupHold.release();
			await(events, UpdateLockReleasedEvent.class, UpdateLockReleasedEvent::fileRemoved);
			check(!Files.exists(lockFile), "releasing the startup hold removed the lock file");

			context.getBean(FirmwareService.class).flash(new byte[0]);
			await(events, UpdateLockAcquiredEvent.class, (acquired) -> true);
			await(events, UpdateLockHoldAcquiredEvent.class,
					(holdAcquired) -> holdAcquired.hold().name().equals("firmware-flash"));
			await(events, UpdateLockReleasedEvent.class, UpdateLockReleasedEvent::fileRemoved);
			check(!Files.exists(lockFile),
					"@HoldUpdateLock(\"firmware-flash\") created the lock file, took its hold, and removed the file");
		}
		System.out.println("QUICK START OK");
	}

	private static void checkHttp(String port, String path, String expected) throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(WAIT).build(),
				HttpResponse.BodyHandlers.ofString());
		check(response.statusCode() == 200 && response.body().contains(expected), "GET " + path
				+ " answered 200 with " + expected + " (was " + response.statusCode() + ": " + response.body() + ")");
	}

	/**
	 * Waits for the next event of the given type that matches, in the order the manager sent them.
	 */
	private static <E extends UpdateLockEvent> void await(BlockingQueue<UpdateLockEvent> events, Class<E> type,
			Predicate<E> matches) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		for (long left = WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
			UpdateLockEvent event = events.poll(left, TimeUnit.NANOSECONDS);
			if (type.isInstance(event) && matches.test(type.cast(event))) {
				System.out.println("Quick start: got " + event);
				return;
			}
		}
		check(false, "an event " + type.getSimpleName() + " arrives within " + WAIT);
	}

	private static void check(boolean condition, String expectation) {
		if (!condition) {
			throw new IllegalStateException("Quick start: expected that " + expectation);
		}
		System.out.println("Quick start: " + expectation);
	}

}
