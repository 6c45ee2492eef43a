package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Who we are, as written into the marker record: enough to tell a lock file left by a dead
 * instance from one held by a live instance when {@code flock} cannot tell. PIDs alone
 * mean nothing in a container (the JVM is PID 1 after every restart), hence the process
 * start time and the boot id, and nothing across pid namespaces (containers with
 * {@code network_mode: host} share the hostname, not the PIDs), hence the namespace.
 *
 * @param instanceId a random id of this manager
 * @param hostname the container's hostname
 * @param bootId the kernel's boot id
 * @param pid this process in its pid namespace
 * @param processStart this process's start time (epoch milliseconds), or {@code unknown}
 * @param pidNamespace the pid namespace, as {@code /proc/self/ns/pid} names it (e.g.
 * {@code pid:[4026531836]}), or {@value #UNKNOWN}
 */
public record LocalInstance(String instanceId, String hostname, String bootId, long pid, String processStart,
		String pidNamespace) {

	/** What a value that could not be read is written as. */
	static final String UNKNOWN = "unknown";

	public static LocalInstance current(Map<String, String> environment) {
		ProcessHandle process = ProcessHandle.current();
		return new LocalInstance(UUID.randomUUID().toString(), readHostname(environment), readBootId(), process.pid(),
				startOf(process), readPidNamespace());
	}

	static String startOf(ProcessHandle process) {
		return process.info().startInstant().map(Instant::toEpochMilli).map(String::valueOf).orElse(UNKNOWN);
	}

	private static String readHostname(Map<String, String> environment) {
		String fromEnvironment = environment.get("HOSTNAME");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment.trim();
		}
		return firstLine(Path.of("/etc/hostname"));
	}

	private static String readBootId() {
		return firstLine(Path.of("/proc/sys/kernel/random/boot_id"));
	}

	private static String readPidNamespace() {
		try {
			return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
		}
		catch (IOException | RuntimeException ex) {
			return UNKNOWN;
		}
	}

	private static String firstLine(Path file) {
		try {
			String content = Files.readString(file, StandardCharsets.UTF_8).strip();
			int newline = content.indexOf('\n');
			return (newline < 0) ? content : content.substring(0, newline);
		}
		catch (IOException | RuntimeException ex) {
			return UNKNOWN;
		}
	}

}
