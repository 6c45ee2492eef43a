package io.github.updatelock.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockException;
import io.github.updatelock.UpdateLockFileState;
import io.github.updatelock.UpdateLockHold;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockSnapshot;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockTimeoutException;
import io.github.updatelock.UpdateLockUnavailableException;
import io.github.updatelock.UpdateLockWarning;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * The {@code updatelock} endpoint: whether the update lock is held, by which holds, who
 * blocks it, and what limits its protection here.
 * <p>
 * Reading ({@code GET /actuator/updatelock}) takes the manager's snapshot and one
 * {@code lstat} of the lock path. Operators may also take a named hold
 * ({@code POST /actuator/updatelock/{name}}, optional {@code wait}) to keep an update away
 * during manual work, and release it again ({@code DELETE /actuator/updatelock/{name}}).
 * Those write operations are off unless the operator sets
 * {@code management.endpoint.updatelock.access=unrestricted}: a hold that nobody releases
 * blocks every update of the device, so taking one must be a deliberate choice.
 * <p>
 * Decisions:
 * <ul>
 * <li>Only holds taken through this endpoint can be released through it. Holds taken by
 * application code end when their work ends; releasing one from outside would let an
 * update stop that work, so such a request is {@link OperatorHoldOutcome#REFUSED}.</li>
 * <li>Operator hold names are unique: taking a name that is already held changes nothing
 * and answers {@link OperatorHoldOutcome#ALREADY_HELD}, so a retried request is
 * harmless. Names are 1 to 64 letters, digits, {@code .}, {@code _} or {@code -},
 * starting with a letter or digit, because they show up in logs and metric tags.</li>
 * <li>By default a request does not wait: when someone else holds the lock it answers
 * {@link OperatorHoldOutcome#BLOCKED} at once. {@code wait} (for example {@code 30s},
 * {@code 500ms}, {@code PT1M}; a plain number means seconds) lets it wait up to
 * {@link #MAX_WAIT}, since a request thread waits with it.</li>
 * <li>Operator holds last until they are released or the application stops; there is no
 * expiry. A forgotten hold is visible here and in the health details.</li>
 * <li>Malformed input is never an exception: it answers
 * {@link OperatorHoldOutcome#INVALID} with a message.</li>
 * </ul>
 */
@Endpoint(id = "updatelock", defaultAccess = Access.READ_ONLY)
@ImportRuntimeHints(UpdateLockEndpointRuntimeHints.class)
public class UpdateLockEndpoint {

	/** The longest an operator request may wait for the lock. */
	public static final Duration MAX_WAIT = Duration.ofMinutes(1);

	private static final Pattern HOLD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private static final Log logger = LogFactory.getLog(UpdateLockEndpoint.class);

	private final UpdateLockManager manager;

	private final StartupHoldStateSource startupHold;

	private final Map<String, UpdateLockHold> operatorHolds = new ConcurrentHashMap<>();

	/**
	 * Creates an endpoint that reports no startup hold.
	 * @param manager the manager to report on and take operator holds from
	 */
	public UpdateLockEndpoint(UpdateLockManager manager) {
		this(manager, () -> null);
	}

	/**
	 * Creates an endpoint.
	 * @param manager the manager to report on and take operator holds from
	 * @param startupHold where the {@code startupHold} field comes from; asked on every read
	 */
	public UpdateLockEndpoint(UpdateLockManager manager, StartupHoldStateSource startupHold) {
		this.manager = Objects.requireNonNull(manager, "manager");
		this.startupHold = Objects.requireNonNull(startupHold, "startupHold");
	}

	/**
	 * Describes the lock now.
	 * @return the description
	 */
	@ReadOperation
	public UpdateLockDescriptor updateLock() {
		UpdateLockSnapshot snapshot = this.manager.snapshot();
		Instant now = Instant.now();
		Set<Long> operatorIds = this.operatorHolds.values()
			.stream()
			.map(UpdateLockHold::id)
			.collect(Collectors.toUnmodifiableSet());
		List<HoldDescriptor> holds = snapshot.holds()
			.stream()
			.map((hold) -> describe(hold, now, operatorIds.contains(hold.id())))
			.toList();
		List<WarningDescriptor> warnings = snapshot.warnings()
			.stream()
			.map((warning) -> new WarningDescriptor(warning.problem(), warning.message()))
			.toList();
		return new UpdateLockDescriptor(snapshot.status(), snapshot.path().toString(), inspectFile(),
				snapshot.flockHeld(), snapshot.heldSince(), holds, snapshot.blocker(), snapshot.blockedSince(),
				snapshot.staleReclaims(), snapshot.lastStaleReclaim(), snapshot.lastLost(),
				this.startupHold.startupHoldState(), warnings);
	}

	/**
	 * Takes an operator hold, so that updates wait until it is released.
	 * @param name the hold's name
	 * @param wait how long to wait while someone else holds the lock; {@code null} or
	 * blank for not at all
	 * @return what happened
	 */
	@WriteOperation
	public OperatorHoldDescriptor takeHold(@Selector String name, @Nullable String wait) {
		String invalidName = checkName(name);
		if (invalidName != null) {
			return answer(name, OperatorHoldOutcome.INVALID, invalidName, null, null);
		}
		Duration maxWait;
		try {
			maxWait = parseWait(wait);
		}
		catch (IllegalArgumentException ex) {
			return answer(name, OperatorHoldOutcome.INVALID, ex.getMessage(), null, null);
		}
		UpdateLockHold existing = this.operatorHolds.get(name);
		if (existing != null) {
			return alreadyHeld(name, existing);
		}
		UpdateLockHold hold;
		try {
			hold = this.manager.acquire(name, maxWait);
		}
		catch (UpdateLockTimeoutException ex) {
			return answer(name, OperatorHoldOutcome.BLOCKED, ex.getMessage(), null, null);
		}
		catch (UpdateLockUnavailableException ex) {
			return answer(name, OperatorHoldOutcome.UNAVAILABLE, ex.getMessage(), null, null);
		}
		UpdateLockHold raced = this.operatorHolds.putIfAbsent(name, hold);
		if (raced != null) {
			// Two requests for the same name crossed; the first one's hold stands.
			hold.release();
			return alreadyHeld(name, raced);
		}
		logger.info("Operator took update lock hold '" + name + "'");
		UpdateLockSnapshot snapshot = this.manager.snapshot();
		return answer(name, OperatorHoldOutcome.TAKEN, takenMessage(name, snapshot), hold.since(), null);
	}

	/**
	 * Releases an operator hold.
	 * @param name the hold's name
	 * @return what happened
	 */
	@DeleteOperation
	public OperatorHoldDescriptor releaseHold(@Selector String name) {
		String invalidName = checkName(name);
		if (invalidName != null) {
			return answer(name, OperatorHoldOutcome.INVALID, invalidName, null, null);
		}
		UpdateLockHold hold = this.operatorHolds.remove(name);
		if (hold == null) {
			boolean heldByCode = this.manager.snapshot()
				.holds()
				.stream()
				.anyMatch((active) -> active.name().equals(name));
			if (heldByCode) {
				return answer(name, OperatorHoldOutcome.REFUSED, "Hold '" + name + "' was taken by the application, "
						+ "not through this endpoint: it ends when its work ends and cannot be released here", null,
						null);
			}
			return answer(name, OperatorHoldOutcome.NOT_FOUND, "No hold named '" + name + "' is active", null, null);
		}
		hold.release();
		Duration heldFor = nonNegative(Duration.between(hold.since(), Instant.now()));
		logger.info("Operator released update lock hold '" + name + "' after " + heldFor);
		int others = this.manager.snapshot().holds().size();
		String message = "Released operator hold '" + name + "'" + ((others == 0) ? ": updates may proceed"
				: ": " + others + " other hold(s) still keep updates waiting");
		return answer(name, OperatorHoldOutcome.RELEASED, message, hold.since(), heldFor);
	}

	private @Nullable LockFileDescriptor inspectFile() {
		try {
			UpdateLockFileState state = this.manager.inspectLockFile();
			return new LockFileDescriptor(state.present(), state.ours(), state.ownerUid());
		}
		catch (UpdateLockException ex) {
			// An unreadable parent directory must not break the whole answer; the field says "unknown".
			return null;
		}
	}

	private OperatorHoldDescriptor alreadyHeld(String name, UpdateLockHold hold) {
		return answer(name, OperatorHoldOutcome.ALREADY_HELD,
				"Operator hold '" + name + "' is already active since " + hold.since() + "; nothing changed",
				hold.since(), null);
	}

	private OperatorHoldDescriptor answer(String name, OperatorHoldOutcome outcome, String message,
			@Nullable Instant since, @Nullable Duration heldFor) {
		return new OperatorHoldDescriptor(name, outcome, message, this.manager.snapshot().status(), since, heldFor);
	}

	private String takenMessage(String name, UpdateLockSnapshot snapshot) {
		String taken = "Took operator hold '" + name + "'";
		if (snapshot.status() == UpdateLockStatus.UNAVAILABLE) {
			String reasons = snapshot.warnings()
				.stream()
				.filter((warning) -> warning.problem().preventsLocking())
				.map(UpdateLockWarning::message)
				.collect(Collectors.joining(" "));
			return taken + ", but the lock protects nothing here: " + reasons;
		}
		if (snapshot.status() == UpdateLockStatus.LOST) {
			return taken + ", but the lock was taken away from this application (override, force update or "
					+ "deletion): nothing is protected until every hold is released and the lock is taken again";
		}
		return taken + ": updates wait until it is released";
	}

	private static HoldDescriptor describe(ActiveHold hold, Instant now, boolean operator) {
		return new HoldDescriptor(hold.id(), hold.name(), hold.since(),
				nonNegative(Duration.between(hold.since(), now)), operator);
	}

	private static @Nullable String checkName(String name) {
		if (HOLD_NAME.matcher(name).matches()) {
			return null;
		}
		return "Hold name '" + name + "' is not valid: use 1 to 64 letters, digits, '.', '_' or '-', starting with "
				+ "a letter or digit";
	}

	private static Duration parseWait(@Nullable String wait) {
		if (wait == null || wait.isBlank()) {
			return Duration.ZERO;
		}
		Duration parsed;
		try {
			parsed = DurationStyle.detectAndParse(wait.trim(), ChronoUnit.SECONDS);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("wait '" + wait
					+ "' is not a duration: use for example 30s, 500ms or PT1M (a plain number means seconds)");
		}
		if (parsed.isNegative() || parsed.compareTo(MAX_WAIT) > 0) {
			throw new IllegalArgumentException("wait '" + wait + "' is out of range: it must be between 0 and "
					+ MAX_WAIT.toSeconds() + " seconds");
		}
		return parsed;
	}

	private static Duration nonNegative(Duration duration) {
		// The manager may run on its own clock; a hold is never younger than zero.
		return duration.isNegative() ? Duration.ZERO : duration;
	}

}
