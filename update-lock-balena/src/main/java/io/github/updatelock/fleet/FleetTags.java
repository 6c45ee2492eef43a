package io.github.updatelock.fleet;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockProblem;
import io.github.updatelock.UpdateLockProtection;
import io.github.updatelock.UpdateLockSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The device tags that show what a fleet operator acts on, worked out from a snapshot of the
 * manager and the update that waits on the lock, if the Supervisor API is watched. Every key
 * starts with a prefix ({@value #DEFAULT_PREFIX} unless configured) and the service's name
 * (from {@code BALENA_SERVICE_NAME}), so that two services of one app that both use this
 * library never write each other's tags:
 * <ul>
 * <li>{@code PREFIX.SERVICE.status}: {@code LOST} while holds are active but the lock file is
 * no longer ours, {@code UNAVAILABLE} while the lock cannot protect anything here,
 * {@value #APP_UPDATES_ONLY} while a host OS update's final reboot would not wait for it (no
 * {@code flock(2)}: switched off, or no libc binding), otherwise {@value #OK};</li>
 * <li>{@code PREFIX.SERVICE.pending}: the update that waits on the lock and the holds that have
 * kept it waiting, such as {@code release 4f2a9c1 waits since 2026-12-02T10:15Z on firmware-flash},
 * shown until the Supervisor no longer reports it pending (not only while a hold is active, so
 * that a periodic job does not list and unlist the device at every run), otherwise
 * {@value #NONE};</li>
 * <li>{@code PREFIX.SERVICE.long-hold}: the holds that have lived longer than the manager's
 * long-hold warning, such as {@code firmware-flash since 2026-12-02T10:01Z}, otherwise
 * {@value #NONE}.</li>
 * </ul>
 * Short holds, and whether the lock is held or free, are not shown: they change with every
 * run of a job, and a tag write for each would cost the fleet requests without telling an
 * operator anything to act on. A tag with nothing to say holds {@value #NONE} (or {@value #OK})
 * rather than being removed, since the Supervisor cannot delete tags. Times are UTC to the
 * minute, and a value never changes with the clock alone. Values are at most
 * {@value #MAX_VALUE_LENGTH} characters: a list that does not fit ends with
 * {@code \u2026 and N more}.
 * <p>
 * Instances are immutable; {@link #desired(UpdateLockSnapshot, WaitingUpdate)} is a pure
 * function.
 */
public final class FleetTags {

	/** The prefix unless configured. */
	public static final String DEFAULT_PREFIX = "update-lock";

	/** The value of the pending and long-hold tags when there is nothing to say. */
	public static final String NONE = "none";

	/** The value of the status tag when the lock is neither lost nor unavailable. */
	public static final String OK = "ok";

	/**
	 * The value of the status tag while the lock makes only app updates wait: a host OS
	 * update's final reboot would not wait for it.
	 */
	public static final String APP_UPDATES_ONLY = "app updates only";

	/** The longest value written. */
	public static final int MAX_VALUE_LENGTH = 255;

	/** The longest prefix or service name accepted, far below any key limit of the API. */
	public static final int MAX_PREFIX_LENGTH = 100;

	/** The namespaces balenaCloud keeps for itself: it refuses tag keys that start with them. */
	private static final List<String> RESERVED_NAMESPACES = List.of("io.balena.", "io.resin.");

	private static final int SHORT_COMMIT = 7;

	/** A longer hold name is cut, so that the first hold always fits with room to say how many more. */
	private static final int MAX_NAME_LENGTH = 100;

	private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'")
		.withZone(ZoneOffset.UTC);

	private final String prefix;

	private final @Nullable String serviceName;

	/**
	 * Creates the tags under a prefix, for no particular service.
	 * @param prefix the prefix, such as {@value #DEFAULT_PREFIX}; keys are {@code PREFIX.status} and so on
	 * @throws IllegalArgumentException if the prefix is empty, longer than
	 * {@value #MAX_PREFIX_LENGTH} characters, holds whitespace or a control character, or puts
	 * the keys in a namespace balena reserves ({@code io.balena.}, {@code io.resin.})
	 */
	public FleetTags(String prefix) {
		this(prefix, null);
	}

	/**
	 * Creates the tags of one service under a prefix.
	 * @param prefix the prefix, such as {@value #DEFAULT_PREFIX}
	 * @param serviceName the service, such as {@code main}, or {@code null} for none; keys are
	 * then {@code PREFIX.SERVICE.status} and so on
	 * @throws IllegalArgumentException if the prefix or the service name is empty, longer than
	 * {@value #MAX_PREFIX_LENGTH} characters, holds whitespace or a control character, or if the
	 * keys fall in a namespace balena reserves ({@code io.balena.}, {@code io.resin.})
	 */
	public FleetTags(String prefix, @Nullable String serviceName) {
		this.prefix = checkPrefix(prefix);
		this.serviceName = (serviceName != null) ? checkPart(serviceName, "serviceName") : null;
	}

	/**
	 * The tags under {@value #DEFAULT_PREFIX}, for no particular service.
	 * @return the tags
	 */
	public static FleetTags withDefaultPrefix() {
		return new FleetTags(DEFAULT_PREFIX);
	}

	/**
	 * The prefix.
	 * @return the prefix, without the dot that joins it to the names
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * The key of the status tag.
	 * @return {@code PREFIX.SERVICE.status}, or {@code PREFIX.status} without a service
	 */
	public String statusKey() {
		return key("status");
	}

	/**
	 * The key of the pending update tag.
	 * @return {@code PREFIX.SERVICE.pending}
	 */
	public String pendingKey() {
		return key("pending");
	}

	/**
	 * The key of the long holds tag.
	 * @return {@code PREFIX.SERVICE.long-hold}
	 */
	public String longHoldKey() {
		return key("long-hold");
	}

	/**
	 * Every key these tags may have, whether set now or not.
	 * @return the keys, status first
	 */
	public List<String> keys() {
		return List.of(statusKey(), pendingKey(), longHoldKey());
	}

	/**
	 * The service whose tags these are.
	 * @return the service's name, or {@code null} for none
	 */
	public @Nullable String serviceName() {
		return this.serviceName;
	}

	/**
	 * The tags as they should be now.
	 * @param snapshot the manager's state
	 * @param waiting the update the Supervisor still waits to apply, or {@code null} for none
	 * @return every key of {@link #keys()} with its value, in that order
	 */
	public Map<String, String> desired(UpdateLockSnapshot snapshot, @Nullable WaitingUpdate waiting) {
		Objects.requireNonNull(snapshot, "snapshot");
		Map<String, String> tags = new LinkedHashMap<>();
		tags.put(statusKey(), status(snapshot));
		tags.put(pendingKey(), (waiting != null) ? describe(waiting) : NONE);
		List<ActiveHold> longHolds = snapshot.holds().stream().filter(ActiveHold::longRunning).toList();
		tags.put(longHoldKey(), longHolds.isEmpty() ? NONE : holdList(longHolds));
		return tags;
	}

	/**
	 * The value each tag has when there is nothing to say.
	 * @return every key of {@link #keys()} with its neutral value
	 */
	public Map<String, String> neutral() {
		Map<String, String> tags = new LinkedHashMap<>();
		tags.put(statusKey(), OK);
		tags.put(pendingKey(), NONE);
		tags.put(longHoldKey(), NONE);
		return tags;
	}

	@Override
	public String toString() {
		return "FleetTags[" + key("*") + "]";
	}

	/**
	 * What an operator acts on: a lost lock, one that cannot protect anything, or one that a
	 * host OS update's final reboot would not wait for. The last is read from the manager's
	 * warnings as well as from a held lock, so that it does not come and go with each hold.
	 */
	private static String status(UpdateLockSnapshot snapshot) {
		return switch (snapshot.status()) {
			case LOST, UNAVAILABLE -> snapshot.status().name();
			default -> (snapshot.protection() == UpdateLockProtection.APP_UPDATES_ONLY || withoutFlock(snapshot))
					? APP_UPDATES_ONLY : OK;
		};
	}

	private static boolean withoutFlock(UpdateLockSnapshot snapshot) {
		return snapshot.warnings()
			.stream()
			.anyMatch((warning) -> warning.problem() == UpdateLockProblem.FLOCK_UNAVAILABLE
					|| warning.problem() == UpdateLockProblem.FLOCK_DISABLED);
	}

	private static String describe(WaitingUpdate waiting) {
		String commit = waiting.targetCommit();
		String release = (commit != null) ? "release " + clean(commit.substring(0, Math.min(SHORT_COMMIT,
				commit.length()))) : "an update";
		String text = release + " waits since " + MINUTE.format(waiting.since());
		if (waiting.holds().isEmpty()) {
			return text;
		}
		return fit(text + " on ", waiting.holds().stream().map(FleetTags::shortName).toList());
	}

	private String key(String name) {
		return this.prefix + "." + ((this.serviceName != null) ? this.serviceName + "." : "") + name;
	}

	/** Oldest first, as many as fit, then how many did not. */
	static String holdList(List<ActiveHold> holds) {
		return fit("", holds.stream().map((hold) -> shortName(hold.declaredName()) + " since " + MINUTE.format(hold.since()))
			.toList());
	}

	private static String shortName(String name) {
		String cleaned = clean(name);
		return (cleaned.length() > MAX_NAME_LENGTH) ? cleaned.substring(0, MAX_NAME_LENGTH - 1) + "\u2026" : cleaned;
	}

	/** The start, then as many entries as fit in a value, then how many did not. */
	private static String fit(String start, List<String> entries) {
		String all = start + String.join(", ", entries);
		if (all.length() <= MAX_VALUE_LENGTH) {
			return all;
		}
		StringBuilder shown = new StringBuilder(start);
		for (int i = 0; i < entries.size(); i++) {
			String next = ((i == 0) ? "" : ", ") + entries.get(i);
			String rest = " \u2026 and " + (entries.size() - i) + " more";
			String restAfter = " \u2026 and " + (entries.size() - i - 1) + " more";
			boolean last = i == entries.size() - 1;
			if (shown.length() + next.length() + (last ? 0 : restAfter.length()) > MAX_VALUE_LENGTH) {
				return shown + rest;
			}
			shown.append(next);
		}
		return shown.toString();
	}

	/** One line: the dashboard shows a tag in a table cell. */
	private static String clean(String text) {
		return text.strip().replaceAll("[\\s\\p{Cntrl}]+", " ");
	}

	private static String checkPrefix(String prefix) {
		String checked = checkPart(prefix, "tagPrefix");
		if (RESERVED_NAMESPACES.stream().anyMatch((checked + ".status")::startsWith)) {
			throw new IllegalArgumentException(rule("tagPrefix") + ", was '" + clean(prefix) + "'");
		}
		return checked;
	}

	private static String checkPart(String part, String name) {
		Objects.requireNonNull(part, name);
		boolean valid = !part.isEmpty() && part.length() <= MAX_PREFIX_LENGTH && !part.endsWith(".")
				&& part.codePoints().noneMatch((c) -> Character.isWhitespace(c) || Character.isISOControl(c)
						|| Character.isSpaceChar(c));
		if (!valid) {
			throw new IllegalArgumentException(rule(name) + ", was '" + clean(part) + "'");
		}
		return part;
	}

	private static String rule(String name) {
		return name + " must be 1 to " + MAX_PREFIX_LENGTH + " characters without whitespace, control "
				+ "characters or a trailing dot, outside balena's reserved namespaces " + RESERVED_NAMESPACES;
	}

}
