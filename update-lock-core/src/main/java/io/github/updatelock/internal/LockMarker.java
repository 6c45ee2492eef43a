package io.github.updatelock.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The record written into our lock file. The Supervisor ignores the content; we use it to
 * recognise our own files (and never touch anyone else's) and to judge whether their owner
 * is still alive.
 *
 * @param instanceId the writing manager's random id
 * @param hostname the container's hostname
 * @param bootId the kernel's boot id
 * @param pid the writing process
 * @param processStart the writing process's start time (epoch milliseconds)
 * @param pidNamespace the writing process's pid namespace, {@value LocalInstance#UNKNOWN} when
 * it could not be read or the marker was written by a version that did not record it
 * @param flock whether the writer holds a {@code flock} on the file while it lives
 * @param created when the file was created
 */
public record LockMarker(String instanceId, String hostname, String bootId, long pid, String processStart,
		String pidNamespace, boolean flock, Instant created) {

	/**
	 * First line of every file we write; nothing else is recognised as ours. Fields were only
	 * ever added (and older readers ignore the ones they do not know), so that the versions
	 * around an update keep recognising each other's files: a file not recognised as ours
	 * can never be reclaimed.
	 */
	public static final String FIRST_LINE = "io.github.updatelock marker v1";

	/** Reading more than this means the file is not ours. */
	static final int MAX_LENGTH = 1024;

	public static LockMarker of(LocalInstance instance, boolean flock, Instant created) {
		return new LockMarker(instance.instanceId(), instance.hostname(), instance.bootId(), instance.pid(),
				instance.processStart(), instance.pidNamespace(), flock, created);
	}

	/**
	 * This marker as a file holds it: the readable statement of the format, for any marker.
	 * The files this process creates are written by {@link #bytes(LocalInstance, boolean, Instant)},
	 * which must give the same bytes (its tests compare the two).
	 * @return the marker's bytes, UTF-8
	 */
	public byte[] toBytes() {
		String text = head(this.instanceId, this.hostname, this.bootId, this.pid, this.processStart, this.pidNamespace)
				+ "flock=" + this.flock + "\n" + "created=" + this.created + "\n";
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The marker of a file created now by this process, as fast as it can be made (see
	 * {@link MarkerBytes}).
	 * @param instance who writes it
	 * @param flock whether the writer holds a flock on it
	 * @param created when it was created
	 * @return the same bytes as {@code of(instance, flock, created).toBytes()}
	 */
	public static byte[] bytes(LocalInstance instance, boolean flock, Instant created) {
		return MarkerBytes.of(instance, flock, created);
	}

	/** The lines that name the writing instance: the same for every file of a process. */
	static String head(LocalInstance instance) {
		return head(instance.instanceId(), instance.hostname(), instance.bootId(), instance.pid(),
				instance.processStart(), instance.pidNamespace());
	}

	private static String head(String instanceId, String hostname, String bootId, long pid, String processStart,
			String pidNamespace) {
		return FIRST_LINE + "\n" + "instance=" + instanceId + "\n" + "hostname=" + hostname + "\n" + "boot-id="
				+ bootId + "\n" + "pid=" + pid + "\n" + "process-start=" + processStart + "\n" + "pid-namespace="
				+ pidNamespace + "\n";
	}

	public static Optional<LockMarker> parse(byte[] content) {
		if (content.length > MAX_LENGTH) {
			return Optional.empty();
		}
		String[] lines = new String(content, StandardCharsets.UTF_8).split("\n");
		if (lines.length == 0 || !FIRST_LINE.equals(lines[0])) {
			return Optional.empty();
		}
		Map<String, String> fields = new HashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int equals = lines[i].indexOf('=');
			if (equals > 0) {
				fields.put(lines[i].substring(0, equals), lines[i].substring(equals + 1));
			}
		}
		try {
			return Optional.of(new LockMarker(required(fields, "instance"), required(fields, "hostname"),
					required(fields, "boot-id"), Long.parseLong(required(fields, "pid")),
					required(fields, "process-start"), fields.getOrDefault("pid-namespace", LocalInstance.UNKNOWN),
					Boolean.parseBoolean(required(fields, "flock")),
					Instant.parse(required(fields, "created"))));
		}
		catch (RuntimeException ex) {
			// A truncated or hand-edited marker is not ours to judge: treat the file as foreign.
			return Optional.empty();
		}
	}

	private static String required(Map<String, String> fields, String name) {
		String value = fields.get(name);
		if (value == null) {
			throw new IllegalArgumentException("missing " + name);
		}
		return value;
	}

	/**
	 * Whether the writer is certainly gone, judged without {@code flock}: same boot, same
	 * container and same pid namespace (all known), and its process has ended or is another
	 * one under the same PID. A PID from another namespace says nothing about the writer.
	 */
	boolean writerIsGone(LocalInstance self) {
		if (!this.bootId.equals(self.bootId()) || !this.hostname.equals(self.hostname())
				|| LocalInstance.UNKNOWN.equals(this.pidNamespace) || !this.pidNamespace.equals(self.pidNamespace())) {
			return false;
		}
		Optional<ProcessHandle> process = ProcessHandle.of(this.pid);
		return process.isEmpty() || !this.processStart.equals(LocalInstance.startOf(process.get()));
	}

	public String summary() {
		return "instance " + this.instanceId + " (pid " + this.pid + " on " + this.hostname + ", created "
				+ this.created + ")";
	}

}
