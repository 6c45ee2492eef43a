package io.github.updatelock.sample.boot3;

import java.util.concurrent.CompletionStage;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Runs a critical section for {@code millis} milliseconds and answers when it ends with a
 * {@link SectionResult}; {@code 400} when {@code millis} is not from {@value #MIN_MILLIS}
 * to {@value #MAX_MILLIS}.
 */
@RestController
@RequestMapping("/critical")
public class CriticalSectionController {

	private static final long MIN_MILLIS = 1;

	private static final long MAX_MILLIS = 60_000;

	private final CriticalSections sections;

	public CriticalSectionController(CriticalSections sections) {
		this.sections = sections;
	}

	@PostMapping("/sync")
	public SectionResult sync(@RequestParam long millis) throws InterruptedException {
		return this.sections.sync(checked(millis));
	}

	@PostMapping("/async")
	public CompletionStage<SectionResult> async(@RequestParam long millis) {
		return this.sections.async(checked(millis));
	}

	@PostMapping("/reactive")
	public Mono<SectionResult> reactive(@RequestParam long millis) {
		return this.sections.reactive(checked(millis));
	}

	private static long checked(long millis) {
		if (millis < MIN_MILLIS || millis > MAX_MILLIS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"millis must be from " + MIN_MILLIS + " to " + MAX_MILLIS + ", not " + millis);
		}
		return millis;
	}

}
