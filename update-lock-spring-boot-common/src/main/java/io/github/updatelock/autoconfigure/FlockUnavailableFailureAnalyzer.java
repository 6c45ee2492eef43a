package io.github.updatelock.autoconfigure;

import io.github.updatelock.FlockUnavailableException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link FlockUnavailableException}: on a device, {@code flock(2)} is wanted
 * (the default) but no libc binding could load, so host OS updates would not wait for the
 * application's holds. Names the root cause and the fix, and the setting that accepts
 * app-update protection only.
 */
public class FlockUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<FlockUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, FlockUnavailableException cause) {
		StringBuilder description = new StringBuilder(cause.getMessage());
		if (cause.getCause() != null) {
			description.append(System.lineSeparator()).append("Root cause: ").append(cause.getCause());
		}
		for (Throwable other : cause.getSuppressed()) {
			description.append(System.lineSeparator()).append("Also: ").append(other);
		}
		String action = "To hold the flock, " + cause.getFix() + "." + System.lineSeparator()
				+ "Or, to protect against app updates only, on purpose, set update-lock.flock=false: the lock file "
				+ "still makes app updates wait, but a host OS update's final reboot will not wait for this "
				+ "application.";
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
