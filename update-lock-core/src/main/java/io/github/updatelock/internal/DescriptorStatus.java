package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;


/**
 * What the lock needs to know of a file it opened through libc: which file it is, and who
 * owns it (a file that belongs to the Supervisor's uid is no protection). Loaded only where
 * the native binding is.
 *
 * @param identity the file's (device, inode)
 * @param owner the file's owner uid
 */
public record DescriptorStatus(FileIdentity identity, int owner) {

	/**
	 * The status of the file behind {@code fd}, through {@code statx} where the kernel allows
	 * it, else through {@code /proc/self/fd}.
	 */
	static DescriptorStatus of(int fd) throws IOException {
		if (Statx.available()) {
			try {
				return Statx.ofDescriptor(fd);
			}
			catch (ErrnoException ex) {
				// Refused (seccomp EPERM, ENOSYS) or failed: /proc answers the same question.
			}
		}
		return ofProcDescriptor(fd);
	}

	/** The same through {@code /proc/self/fd}: slower, but needs no {@code statx}. */
	static DescriptorStatus ofProcDescriptor(int fd) throws IOException {
		Map<String, Object> attributes = Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:uid,dev,ino");
		return new DescriptorStatus(FileIdentity.of(attributes), (Integer) attributes.get("uid"));
	}

}
