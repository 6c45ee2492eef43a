package io.github.updatelock.actuate.endpoint;

import java.time.Duration;
import java.util.Objects;

import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.window.UpdateWindowGuard;
import io.github.updatelock.window.UpdateWindowState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * The {@code updatewindow} endpoint: the update windows' state and next transition
 * ({@code GET /actuator/updatewindow}), and an operator's window:
 * {@code POST /actuator/updatewindow/open} with a {@code duration} lets updates in now for
 * that long, {@code POST /actuator/updatewindow/close} ends that window early so that the
 * configured ranges decide again.
 * <p>
 * It keeps no state of its own: every operation is one call to the
 * {@link UpdateWindowGuard}. The write operations are off unless the operator sets
 * {@code management.endpoint.updatewindow.access=unrestricted}, apart from the access of
 * the {@code updatelock} endpoint: opening a window lets an update stop work that the
 * schedule keeps safe, so it must be a deliberate choice of its own.
 * <p>
 * A window's {@code duration} needs a unit ({@code 2h}, {@code 90m}, {@code PT2H}): a bare
 * number would be read as milliseconds, which is never what an operator means. Malformed
 * input is never an exception: it answers {@link UpdateWindowActionOutcome#INVALID} with a
 * message.
 */
@Endpoint(id = "updatewindow", defaultAccess = Access.READ_ONLY)
@ImportRuntimeHints(UpdateWindowEndpointRuntimeHints.class)
public class UpdateWindowEndpoint {

	private static final Log logger = LogFactory.getLog(UpdateWindowEndpoint.class);

	private static final String OPEN = "open";

	private static final String CLOSE = "close";

	private static final String DURATION_EXAMPLES = "for example 2h, 90m or PT2H";

	private final UpdateLockManager manager;

	private final UpdateWindowGuard guard;

	/**
	 * Creates an endpoint.
	 * @param manager the manager whose other holds an opened window reports
	 * @param guard the update window guard to report on and act on
	 */
	public UpdateWindowEndpoint(UpdateLockManager manager, UpdateWindowGuard guard) {
		this.manager = Objects.requireNonNull(manager, "manager");
		this.guard = Objects.requireNonNull(guard, "guard");
	}

	/**
	 * Describes the update windows now.
	 * @return the description
	 */
	@ReadOperation
	public UpdateWindowDescriptor updateWindow() {
		return UpdateWindowDescriptor.of(this.guard, this.guard.state());
	}

	/**
	 * Opens an operator window ({@code open}, with a {@code duration}) or ends it early
	 * ({@code close}).
	 * @param action {@code open} or {@code close}
	 * @param duration for {@code open}, how long the window stays open, such as {@code 2h};
	 * must be absent for {@code close}
	 * @return what happened
	 */
	@WriteOperation
	public UpdateWindowActionDescriptor changeWindow(@Selector String action,
			@org.springframework.lang.Nullable @Nullable String duration) {
		if (!OPEN.equals(action) && !CLOSE.equals(action)) {
			return invalid(action, "Unknown action '" + action + "': use " + OPEN + " (with a duration) or " + CLOSE);
		}
		if (CLOSE.equals(action) && duration != null && !duration.isBlank()) {
			return invalid(action, "duration only applies to " + OPEN + ", not to " + CLOSE);
		}
		return OPEN.equals(action) ? open(duration) : close();
	}

	private UpdateWindowActionDescriptor open(@Nullable String duration) {
		UpdateWindowState state;
		try {
			state = this.guard.openNow(parseWindowLength(duration));
		}
		catch (IllegalArgumentException ex) {
			return invalid(OPEN, ex.getMessage());
		}
		logger.info("Operator opened an update window until " + state.operatorWindowEnd());
		long others = this.manager.snapshot().holds().size();
		String message = "Update window open until " + state.openUntil() + ": hold '" + this.guard.holdName()
				+ "' released" + ((others == 0) ? ", updates may be applied"
						: "; " + others + " other hold(s) still keep updates waiting");
		return new UpdateWindowActionDescriptor(OPEN, UpdateWindowActionOutcome.WINDOW_OPENED, message,
				UpdateWindowDescriptor.of(this.guard, state));
	}

	private UpdateWindowActionDescriptor close() {
		if (this.guard.state().operatorWindowEnd() == null) {
			return new UpdateWindowActionDescriptor(CLOSE, UpdateWindowActionOutcome.NO_OPERATOR_WINDOW,
					"No operator window is open; nothing changed", updateWindow());
		}
		UpdateWindowState state = this.guard.closeNow();
		logger.info("Operator ended the update window early");
		String message = "Operator window ended; the schedule decides again: " + (state.open()
				? "a configured window is open until " + state.openUntil()
				: "closed until " + state.nextOpening() + ", hold '" + this.guard.holdName() + "' is taken again");
		return new UpdateWindowActionDescriptor(CLOSE, UpdateWindowActionOutcome.WINDOW_CLOSED, message,
				UpdateWindowDescriptor.of(this.guard, state));
	}

	private UpdateWindowActionDescriptor invalid(String action, String message) {
		return new UpdateWindowActionDescriptor(action, UpdateWindowActionOutcome.INVALID, message, updateWindow());
	}

	private static Duration parseWindowLength(@Nullable String duration) {
		if (duration == null || duration.isBlank()) {
			throw new IllegalArgumentException(
					"duration is required: how long the window stays open, " + DURATION_EXAMPLES);
		}
		String trimmed = duration.trim();
		if (trimmed.chars().allMatch(Character::isDigit)) {
			throw new IllegalArgumentException("duration '" + duration + "' has no unit: " + DURATION_EXAMPLES);
		}
		try {
			return DurationStyle.detectAndParse(trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("duration '" + duration + "' is not a duration: " + DURATION_EXAMPLES);
		}
	}

}
