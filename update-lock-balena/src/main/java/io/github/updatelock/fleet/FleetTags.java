package io.github.updatelock.fleet;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.updatelock.ActiveHold;
import io.github.updatelock.UpdateLockProtection;
import io.github.updatelock.UpdateLockSnapshot;
import io.github.updatelock.UpdateLockStatus;
import io.github.updatelock.supervisor.UpdatePendingEvent;
import org.jspecify.annotations.Nullable;

/**
 * The device tags that show the lock's state in balenaCloud, worked out from a snapshot of
 * the manager (and the latest pending update, if the Supervisor API is watched). All keys
 * share one prefix, {@value #DEFAULT_PREFIX} unless configured:
 * <ul>
 * <li>{@code PREFIX.status}: the lock's status, as the manager names it ({@code HELD},
 * {@code WAITING}, {@code RELEASED}, {@code LOST}, {@code UNAVAILABLE}); always set. A lock
 * held without its {@code flock(2)} shows {@value #APP_UPDATES_ONLY_STATUS}: app updates
 * wait for it, a host OS update's final reboot does not;</li>
 * <li>{@code PREFIX.holds}: the active holds, oldest first, such as {@code firmware-flash
 * since 2026-12-02T10:01Z, startup since 2026-12-02T09:58Z};</li>
 * <li>{@code PREFIX.pending}: the update that waits on the lock while it is held or
 * awaited, such as {@code release 4f2a9c1 waiting since 2026-12-02T10:15Z};</li>
 * <li>{@code PREFIX.long-hold}: the holds that have lived longer than the manager's
 * long-hold warning, in the form of the holds tag.</li>
 * </ul>
 * Times are UTC to the minute. A value never changes with the clock alone (a hold's age is
 * told by its start, not as a duration), so a long hold costs no writes. Values are at most
 * {@value #MAX_VALUE_LENGTH} characters: a list that does not fit ends with
 * {@code \u2026 and N more}. A tag with nothing to say is absent from the result, and is then
 * removed rather than written empty.
 * <p>
 * Instances are immutable; {@link #desired(UpdateLockSnapshot, UpdatePendingEvent)} is a pure
 * function.
 */
public final class FleetTags {

	/** The prefix unless configured. */
	public static final String DEFAULT_PREFIX = "update-lock";

	/** The status tag of a lock that is held but makes only app updates wait. */
	public static final String APP_UPDATES_ONLY_STATUS = "HELD (app updates only)";

	/** The longest value written. */
	public static final int MAX_VALUE_LENGTH = 255;

	/** The longest prefix accepted, far below any key limit of the API. */
	public static final int MAX_PREFIX_LENGTH = 100;

	/** The namespaces balenaCloud keeps for itself: it refuses tag keys that start with them. */
	private static final List<String> RESERVED_NAMESPACES = List.of("io.balena.", "io.resin.");

	private static final int SHORT_COMMIT = 7;

	/** A longer hold name is cut, so that the first hold always fits with room to say how many more. */
	private static final int MAX_NAME_LENGTH = 100;

	private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'")
		.withZone(ZoneOffset.UTC);

	private final String prefix;

	/**
	 * Creates the tags under a prefix.
	 * @param prefix the prefix, such as {@value #DEFAULT_PREFIX}; keys are {@code PREFIX.status} and so on
	 * @throws IllegalArgumentException if the prefix is empty, longer than
	 * {@value #MAX_PREFIX_LENGTH} characters, holds whitespace or a control character, or puts
	 * the keys in a namespace balena reserves ({@code io.balena.}, {@code io.resin.})
	 */
	public FleetTags(String prefix) {
		this.prefix = checkPrefix(prefix);
	}

	/**
	 * The tags under {@value #DEFAULT_PREFIX}.
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
	 * @return {@code PREFIX.status}
	 */
	public String statusKey() {
		return this.prefix + ".status";
	}

	/**
	 * The key of the active holds tag.
	 * @return {@code PREFIX.holds}
	 */
	public String holdsKey() {
		return this.prefix + ".holds";
	}

	/**
	 * The key of the pending update tag.
	 * @return {@code PREFIX.pending}
	 */
	public String pendingKey() {
		return this.prefix + ".pending";
	}

	/**
	 * The key of the long holds tag.
	 * @return {@code PREFIX.long-hold}
	 */
	public String longHoldKey() {
		return this.prefix + ".long-hold";
	}

	/**
	 * Every key these tags may have, whether set now or not.
	 * @return the keys, status first
	 */
	public List<String> keys() {
		return List.of(statusKey(), holdsKey(), pendingKey(), longHoldKey());
	}

	/**
	 * The tags as they should be now.
	 * @param snapshot the manager's state
	 * @param pending the latest pending update the Supervisor reported, or {@code null}; shown
	 * only while the lock is held or awaited, since only then does it wait on this process
	 * @return the tags with something to say, key to value, in the order of {@link #keys()}
	 */
	public Map<String, String> desired(UpdateLockSnapshot snapshot, @Nullable UpdatePendingEvent pending) {
		Objects.requireNonNull(snapshot, "snapshot");
		Map<String, String> tags = new LinkedHashMap<>();
		boolean appUpdatesOnly = snapshot.protection() == UpdateLockProtection.APP_UPDATES_ONLY;
		tags.put(statusKey(), appUpdatesOnly ? APP_UPDATES_ONLY_STATUS : snapshot.status().name());
		if (!snapshot.holds().isEmpty()) {
			tags.put(holdsKey(), holdList(snapshot.holds()));
		}
		boolean waitedOn = snapshot.status() == UpdateLockStatus.HELD || snapshot.status() == UpdateLockStatus.WAITING;
		if (pending != null && waitedOn) {
			tags.put(pendingKey(), describe(pending));
		}
		List<ActiveHold> longHolds = snapshot.holds().stream().filter(ActiveHold::longRunning).toList();
		if (!longHolds.isEmpty()) {
			tags.put(longHoldKey(), holdList(longHolds));
		}
		return tags;
	}

	@Override
	public String toString() {
		return "FleetTags[" + this.prefix + "]";
	}

	private static String describe(UpdatePendingEvent pending) {
		String commit = pending.targetCommit();
		String release = (commit != null) ? "release " + clean(commit.substring(0, Math.min(SHORT_COMMIT,
				commit.length()))) : "an update";
		return release + " waiting since " + MINUTE.format(pending.at());
	}

	/** Oldest first, as many as fit, then how many did not. */
	static String holdList(List<ActiveHold> holds) {
		List<String> entries = new ArrayList<>();
		for (ActiveHold hold : holds) {
			String name = clean(hold.name());
			if (name.length() > MAX_NAME_LENGTH) {
				name = name.substring(0, MAX_NAME_LENGTH - 1) + "\u2026";
			}
			entries.add(name + " since " + MINUTE.format(hold.since()));
		}
		String all = String.join(", ", entries);
		if (all.length() <= MAX_VALUE_LENGTH) {
			return all;
		}
		StringBuilder shown = new StringBuilder();
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
		Objects.requireNonNull(prefix, "tagPrefix");
		String rule = "tagPrefix must be 1 to " + MAX_PREFIX_LENGTH + " characters without whitespace, control "
				+ "characters or a trailing dot, outside balena's reserved namespaces " + RESERVED_NAMESPACES;
		boolean valid = !prefix.isEmpty() && prefix.length() <= MAX_PREFIX_LENGTH && !prefix.endsWith(".")
				&& prefix.codePoints().noneMatch((c) -> Character.isWhitespace(c) || Character.isISOControl(c)
						|| Character.isSpaceChar(c));
		String key = prefix + ".status";
		if (!valid || RESERVED_NAMESPACES.stream().anyMatch(key::startsWith)) {
			throw new IllegalArgumentException(rule + ", was '" + clean(prefix) + "'");
		}
		return prefix;
	}

}
