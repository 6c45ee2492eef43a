package io.github.updatelock;

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
 * start time and the boot id.
 */
record LocalInstance(String instanceId, String hostname, String bootId, long pid, String processStart) {

	static LocalInstance current(Map<String, String> environment) {
		ProcessHandle process = ProcessHandle.current();
		return new LocalInstance(UUID.randomUUID().toString(), readHostname(environment), readBootId(), process.pid(),
				startOf(process));
	}

	static String startOf(ProcessHandle process) {
		return process.info().startInstant().map(Instant::toEpochMilli).map(String::valueOf).orElse("unknown");
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

	private static String firstLine(Path file) {
		try {
			String content = Files.readString(file, StandardCharsets.UTF_8).strip();
			int newline = content.indexOf('\n');
			return (newline < 0) ? content : content.substring(0, newline);
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

}
