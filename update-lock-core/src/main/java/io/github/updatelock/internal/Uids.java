package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The uids that decide whether a lock can protect anything: our own effective uid, and the
 * owners that make a lock file the Supervisor's (it adopts and deletes every
 * {@code *updates.lock} owned by uid 65534). Read from {@code /proc}, so that they are
 * known without the native binding too.
 */
public final class Uids {

	/**
	 * What a user namespace shows for a uid it does not map, normally 65534 too: a file that
	 * looks owned by it here may be the Supervisor's outside.
	 */
	private static final int OVERFLOW = readOverflowUid(Path.of("/proc/sys/kernel/overflowuid"));

	private Uids() {
	}

	/**
	 * Whether a file owned by {@code uid} is taken for the Supervisor's.
	 */
	static boolean countsAsSupervisors(int uid) {
		return uid == ExistingLockFile.SUPERVISOR_UID || uid == OVERFLOW;
	}

	/**
	 * This process's effective uid, from the {@code Uid:} line of {@code /proc/self/status}
	 * (real, effective, saved, file system uid).
	 * @return the uid, or -1 when it cannot be read
	 */
	public static int effective() {
		return effective(Path.of("/proc/self/status"));
	}

	static int effective(Path status) {
		try {
			for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
				if (line.startsWith("Uid:")) {
					return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
				}
			}
			return -1;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static int readOverflowUid(Path file) {
		try {
			return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
		}
		catch (IOException | RuntimeException ex) {
			return ExistingLockFile.SUPERVISOR_UID;
		}
	}

}
