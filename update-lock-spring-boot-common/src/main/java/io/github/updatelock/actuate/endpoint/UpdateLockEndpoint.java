package io.github.updatelock.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.OperatorHold;
import io.github.updatelock.OperatorHolds;
import io.github.updatelock.UpdateLockException;
import io.github.updatelock.UpdateLockFileState;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.UpdateLockSnapshot;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.UpdateLockWarning;
import io.github.updatelock.fleet.FleetTagPublisher;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.supervisor.UpdatePendingMonitor;
import io.github.updatelock.window.UpdateWindowGuard;
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
 * blocks it, and what limits its protection here; with update windows configured, their
 * state and next transition; with the Supervisor API known, what its last polls showed;
 * with fleet visibility on, the device tags as last written to balenaCloud.
 * <p>
 * Reading ({@code GET /actuator/updatelock}) takes the manager's snapshot, the window
 * guard's state, the Supervisor monitor's last view, the fleet tag publisher's state and one
 * {@code lstat} of the lock path; it never calls the Supervisor or balenaCloud. The
 * {@code window}, {@code supervisor} and {@code fleet} fields are read-only views: acting on windows is the {@link UpdateWindowEndpoint}'s job, forcing an
 * update the {@link ForceUpdateEndpoint}'s, each behind an access setting of its own.
 * Operators may also take a named hold ({@code POST /actuator/updatelock/{name}}, optional
 * {@code wait} and {@code ttl}) to keep an update away during manual work, and release it
 * again ({@code DELETE /actuator/updatelock/{name}}). Those write operations are off
 * unless the operator sets {@code management.endpoint.updatelock.access=unrestricted}: a
 * hold that nobody releases blocks every update of the device, so it must be a deliberate
 * choice.
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
 * <li>An operator hold lasts until it is released or the application stops, unless it
 * was taken with a {@code ttl} ({@code 30m}, {@code 2h}, {@code PT10M}; a unit is
 * required, more than zero and at most {@link #MAX_TTL}): then it is released by itself
 * when the ttl runs out, which is logged. Releasing it by hand first cancels that. The
 * read answer shows each operator hold's {@code expiresAt}. A forgotten hold without a
 * ttl is visible here and in the health details. An operator window is the opposite: it
 * always ends, at most after {@code update-lock.window.max-operator-window}.</li>
 * <li>At most {@link #MAX_OPERATOR_HOLDS} operator holds exist at once, requests still
 * waiting for the lock included: each one keeps every update of the device away, so a
 * script that takes a new name on every run must not pile them up. One more answers
 * {@link OperatorHoldOutcome#LIMIT_REACHED} and takes nothing; taking a name that is
 * already held still answers {@link OperatorHoldOutcome#ALREADY_HELD}.</li>
 * <li>Malformed input is never an exception: it answers {@link OperatorHoldOutcome#INVALID}
 * with a message.</li>
 * </ul>
 * Operator holds are kept by {@link OperatorHolds}, which ends expiring holds on the
 * manager's scheduler; this endpoint parses the requests and phrases the answers.
 */
@Endpoint(id = "updatelock", defaultAccess = Access.READ_ONLY)
@ImportRuntimeHints(UpdateLockEndpointRuntimeHints.class)
public class UpdateLockEndpoint {

	/** The longest an operator request may wait for the lock. */
	public static final Duration MAX_WAIT = Duration.ofMinutes(1);

	/** How many operator holds may exist at once, requests still waiting included. */
	public static final int MAX_OPERATOR_HOLDS = OperatorHolds.MAX_HOLDS;

	/** The longest {@code ttl} an operator hold may have. */
	public static final Duration MAX_TTL = Duration.ofDays(7);

	private static final Pattern HOLD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private static final Log logger = LogFactory.getLog(UpdateLockEndpoint.class);

	private static final String TTL_EXAMPLES = "for example 30m, 2h or PT10M";

	private final UpdateLockManager manager;

	private final StartupHoldStateSource startupHold;

	private final @Nullable UpdateWindowGuard windowGuard;

	private final @Nullable UpdatePendingMonitor pendingMonitor;

	private final @Nullable SupervisorClient supervisorClient;

	private final @Nullable FleetTagPublisher fleetPublisher;

	private final OperatorHolds operatorHolds;

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
		this(manager, startupHold, new OperatorHolds(manager, new OperatorHoldExpiryLog()), null, null, null, null);
	}

	/**
	 * Creates an endpoint that also reports on update windows, the Supervisor and the fleet tags.
	 * @param manager the manager to report on
	 * @param startupHold where the {@code startupHold} field comes from; asked on every read
	 * @param operatorHolds the operator holds this endpoint takes and releases
	 * @param windowGuard the update window guard, or {@code null} when no windows are configured
	 * @param pendingMonitor the Supervisor monitor whose view the {@code supervisor} field
	 * shows, or {@code null} when the Supervisor API is not used
	 * @param supervisorClient the client whose address the {@code supervisor} field shows,
	 * or {@code null} when the Supervisor API is not used
	 * @param fleetPublisher the publisher whose state the {@code fleet} field shows, or
	 * {@code null} when fleet visibility is off
	 */
	public UpdateLockEndpoint(UpdateLockManager manager, StartupHoldStateSource startupHold,
			OperatorHolds operatorHolds, @Nullable UpdateWindowGuard windowGuard,
			@Nullable UpdatePendingMonitor pendingMonitor, @Nullable SupervisorClient supervisorClient,
			@Nullable FleetTagPublisher fleetPublisher) {
		this.manager = Objects.requireNonNull(manager, "manager");
		this.startupHold = Objects.requireNonNull(startupHold, "startupHold");
		this.windowGuard = windowGuard;
		this.pendingMonitor = pendingMonitor;
		this.supervisorClient = supervisorClient;
		this.fleetPublisher = fleetPublisher;
		this.operatorHolds = Objects.requireNonNull(operatorHolds, "operatorHolds");
	}

	/**
	 * Describes the lock now.
	 * @return the description
	 */
	@ReadOperation
	public UpdateLockDescriptor updateLock() {
		UpdateLockSnapshot snapshot = this.manager.snapshot();
		Map<Long, OperatorHold> operatorHoldsById = this.operatorHolds.active()
			.stream()
			.collect(Collectors.toUnmodifiableMap(OperatorHold::id, Function.identity()));
		List<HoldDescriptor> holds = snapshot.holds()
			.stream()
			.map((hold) -> describe(hold, operatorHoldsById.get(hold.id())))
			.toList();
		List<WarningDescriptor> warnings = snapshot.warnings()
			.stream()
			.map((warning) -> new WarningDescriptor(warning.problem(), warning.message()))
			.toList();
		return new UpdateLockDescriptor(snapshot.status(), snapshot.path().toString(), inspectFile(),
				snapshot.flockHeld(), snapshot.protection(), snapshot.heldSince(), holds, snapshot.blocker(),
				snapshot.blockedSince(), snapshot.staleReclaims(), snapshot.lastStaleReclaim(), snapshot.lastLost(),
				this.startupHold.startupHoldState(), describeWindow(), describeSupervisor(), describeFleet(), warnings);
	}

	/**
	 * Takes an operator hold, so that updates wait until it is released or its ttl runs out.
	 * @param name the hold's name
	 * @param wait how long to wait while someone else holds the lock; {@code null} or
	 * blank for not at all
	 * @param ttl after how long the hold ends by itself, such as {@code 30m}; {@code null}
	 * or blank for never
	 * @return what happened
	 */
	@WriteOperation
	public OperatorHoldDescriptor takeHold(@Selector String name,
			@org.springframework.lang.Nullable @Nullable String wait,
			@org.springframework.lang.Nullable @Nullable String ttl) {
		String invalidName = checkName(name);
		if (invalidName != null) {
			return answer(name, OperatorHoldOutcome.INVALID, invalidName, null, null, null);
		}
		Duration maxWait;
		@Nullable Duration timeToLive;
		try {
			maxWait = parseWait(wait);
			timeToLive = parseTtl(ttl);
		}
		catch (IllegalArgumentException ex) {
			return answer(name, OperatorHoldOutcome.INVALID, ex.getMessage(), null, null, null);
		}
		OperatorHolds.Taking taking = this.operatorHolds.take(name, maxWait, timeToLive);
		OperatorHold hold = taking.hold();
		switch (taking.outcome()) {
			case ALREADY_HELD:
				return alreadyHeld(name, hold);
			case LIMIT_REACHED:
				return answer(name, OperatorHoldOutcome.LIMIT_REACHED, "There are already " + MAX_OPERATOR_HOLDS
						+ " operator holds (requests still waiting count too), the most there may be at once: "
						+ "release one with DELETE /actuator/updatelock/{name}; GET /actuator/updatelock lists them "
						+ "under holds", null, null, null);
			case BLOCKED:
				return answer(name, OperatorHoldOutcome.BLOCKED, taking.refusal(), null, null, null);
			case UNAVAILABLE:
				return answer(name, OperatorHoldOutcome.UNAVAILABLE, taking.refusal(), null, null, null);
			case TAKEN:
			default:
				break;
		}
		Instant expiresAt = hold.expiresAt();
		if (timeToLive != null) {
			logger.info("Operator took update lock hold '" + name + "' until " + expiresAt + " (ttl " + timeToLive
					+ ")");
		}
		else {
			logger.info("Operator took update lock hold '" + name + "'");
		}
		UpdateLockSnapshot snapshot = this.manager.snapshot();
		return answer(name, OperatorHoldOutcome.TAKEN, takenMessage(name, snapshot, expiresAt), hold.since(),
				expiresAt, null);
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
			return answer(name, OperatorHoldOutcome.INVALID, invalidName, null, null, null);
		}
		OperatorHold operatorHold = this.operatorHolds.release(name).orElse(null);
		if (operatorHold == null) {
			boolean heldByCode = this.manager.snapshot()
				.holds()
				.stream()
				.anyMatch((active) -> active.name().equals(name));
			if (heldByCode) {
				return answer(name, OperatorHoldOutcome.REFUSED, "Hold '" + name + "' was taken by the application, "
						+ "not through this endpoint: it ends when its work ends and cannot be released here", null,
						null, null);
			}
			return answer(name, OperatorHoldOutcome.NOT_FOUND, "No hold named '" + name + "' is active", null, null,
					null);
		}
		Duration heldFor = operatorHold.heldFor();
		logger.info("Operator released update lock hold '" + name + "' after " + heldFor);
		int others = this.manager.snapshot().holds().size();
		String message = "Released operator hold '" + name + "'" + ((others == 0) ? ": updates may proceed"
				: ": " + others + " other hold(s) still keep updates waiting");
		return answer(name, OperatorHoldOutcome.RELEASED, message, operatorHold.since(), operatorHold.expiresAt(),
				heldFor);
	}

	private @Nullable UpdateWindowDescriptor describeWindow() {
		UpdateWindowGuard guard = this.windowGuard;
		return (guard != null) ? UpdateWindowDescriptor.of(guard, guard.state()) : null;
	}

	private @Nullable SupervisorDescriptor describeSupervisor() {
		UpdatePendingMonitor monitor = this.pendingMonitor;
		if (monitor == null) {
			return null;
		}
		SupervisorClient client = this.supervisorClient;
		String address = (client != null) ? client.settings().address().toString() : null;
		return SupervisorDescriptor.of(address, monitor.view());
	}

	private @Nullable FleetDescriptor describeFleet() {
		FleetTagPublisher publisher = this.fleetPublisher;
		return (publisher != null) ? FleetDescriptor.of(publisher.state()) : null;
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

	private OperatorHoldDescriptor alreadyHeld(String name, OperatorHold existing) {
		Instant since = existing.since();
		return answer(name, OperatorHoldOutcome.ALREADY_HELD,
				"Operator hold '" + name + "' is already active since " + since + "; nothing changed", since,
				existing.expiresAt(), null);
	}

	private OperatorHoldDescriptor answer(String name, OperatorHoldOutcome outcome, String message,
			@Nullable Instant since, @Nullable Instant expiresAt, @Nullable Duration heldFor) {
		return new OperatorHoldDescriptor(name, outcome, message, this.manager.snapshot().status(), since,
				expiresAt, heldFor);
	}

	private String takenMessage(String name, UpdateLockSnapshot snapshot, @Nullable Instant expiresAt) {
		String taken = "Took operator hold '" + name + "'"
				+ ((expiresAt != null) ? " (it ends by itself at " + expiresAt + ")" : "");
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

	private static HoldDescriptor describe(ActiveHold hold, @Nullable OperatorHold operatorHold) {
		// The age comes from the manager's monotonic clock: the wall clock may have stepped since.
		return new HoldDescriptor(hold.id(), hold.name(), hold.since(), hold.age(), operatorHold != null,
				(operatorHold != null) ? operatorHold.expiresAt() : null, hold.longRunning());
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

	private static @Nullable Duration parseTtl(@Nullable String ttl) {
		if (ttl == null || ttl.isBlank()) {
			return null;
		}
		String trimmed = ttl.trim();
		if (trimmed.chars().allMatch(Character::isDigit)) {
			throw new IllegalArgumentException("ttl '" + ttl + "' has no unit: use " + TTL_EXAMPLES);
		}
		Duration parsed;
		try {
			parsed = DurationStyle.detectAndParse(trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("ttl '" + ttl + "' is not a duration: use " + TTL_EXAMPLES);
		}
		if (parsed.isNegative() || parsed.isZero() || parsed.compareTo(MAX_TTL) > 0) {
			throw new IllegalArgumentException("ttl '" + ttl + "' is out of range: it must be more than zero and at "
					+ "most " + MAX_TTL.toDays() + " days");
		}
		return parsed;
	}

}
