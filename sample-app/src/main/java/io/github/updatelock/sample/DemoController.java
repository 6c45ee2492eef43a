package io.github.updatelock.sample;

import java.util.concurrent.CompletableFuture;

import io.github.updatelock.aop.UpdateLockNotObtainedException;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The demo's HTTP surface: each request runs a firmware flash, the critical section, for
 * {@code seconds} seconds and answers when it ends. These paths and answers are stable:
 * the README and the end-to-end tests rely on them.
 * <ul>
 * <li>{@code 200} with a {@link FlashResult} when the flash ran to the end;</li>
 * <li>{@code 503} with a {@link FlashResult} when the application began to shut down
 * during the flash and cut it short;</li>
 * <li>{@code 400} when {@code seconds} is not a whole number from {@value #MIN_SECONDS}
 * to {@value #MAX_SECONDS};</li>
 * <li>{@code 423} when someone else (the Supervisor applying an update) held the lock for
 * the whole wait, so the flash did not start.</li>
 * </ul>
 */
@RestController
@RequestMapping("/demo/critical")
public class DemoController {

	private static final int MIN_SECONDS = 1;

	private static final int MAX_SECONDS = 300;

	private final FirmwareService firmware;

	public DemoController(FirmwareService firmware) {
		this.firmware = firmware;
	}

	/**
	 * Flashes on the request thread.
	 * @param seconds how long the flash takes
	 * @return the outcome
	 */
	@PostMapping
	public ResponseEntity<FlashResult> critical(@RequestParam(required = false) String seconds) {
		return answer(this.firmware.flash(parseSeconds(seconds)));
	}

	/**
	 * Flashes on the task executor; the request waits for the returned future.
	 * @param seconds how long the flash takes
	 * @return the outcome, once the flash ends
	 */
	@PostMapping("/async")
	public CompletableFuture<ResponseEntity<FlashResult>> criticalAsync(
			@RequestParam(required = false) String seconds) {
		return this.firmware.flashAsync(parseSeconds(seconds)).thenApply(DemoController::answer);
	}

	/**
	 * Flashes as a {@code Mono}, which Spring MVC subscribes to.
	 * @param seconds how long the flash takes
	 * @return the outcome, once the flash ends
	 */
	@PostMapping("/reactive")
	public Mono<ResponseEntity<FlashResult>> criticalReactive(@RequestParam(required = false) String seconds) {
		return this.firmware.flashReactive(parseSeconds(seconds)).map(DemoController::answer);
	}

	@ExceptionHandler
	ProblemDetail lockNotObtained(UpdateLockNotObtainedException ex) {
		// 423 is what the Supervisor itself answers when a lock stops it.
		return ProblemDetail.forStatusAndDetail(HttpStatus.LOCKED, ex.getMessage());
	}

	private static ResponseEntity<FlashResult> answer(FlashResult result) {
		return ResponseEntity.status(result.completed() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(result);
	}

	private static int parseSeconds(String seconds) {
		String expected = "seconds must be a whole number from " + MIN_SECONDS + " to " + MAX_SECONDS;
		if (seconds == null || seconds.isBlank()) {
			throw badRequest(expected + ", for example ?seconds=10");
		}
		int parsed;
		try {
			parsed = Integer.parseInt(seconds.trim());
		}
		catch (NumberFormatException ex) {
			throw badRequest(expected + ", not '" + seconds + "'");
		}
		if (parsed < MIN_SECONDS || parsed > MAX_SECONDS) {
			throw badRequest(expected + ", not " + parsed);
		}
		return parsed;
	}

	private static ResponseStatusException badRequest(String reason) {
		return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
	}

}
