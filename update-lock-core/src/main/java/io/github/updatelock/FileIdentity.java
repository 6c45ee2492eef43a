package io.github.updatelock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The (device, inode) pair that tells whether a path still names the file we created. An
 * override replaces our file with the Supervisor's under the same name, so names alone
 * cannot be trusted.
 */
record FileIdentity(long device, long inode) {

	static FileIdentity of(Path path, LinkOption... options) throws IOException {
		Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino", options);
		return new FileIdentity((Long) attributes.get("dev"), (Long) attributes.get("ino"));
	}

	/**
	 * Identity of the file an open descriptor refers to, even after it was unlinked. Reading
	 * it through {@code /proc/self/fd} avoids {@code fstat}, whose struct differs per CPU.
	 */
	static FileIdentity ofDescriptor(int fd) throws IOException {
		return of(Path.of("/proc/self/fd/" + fd));
	}

	/**
	 * Identity of the entry a path names now, without following a symbolic link.
	 * @return the identity, or {@code null} when nothing is there
	 */
	static FileIdentity ofEntryOrNull(Path path) {
		try {
			return of(path, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			return null;
		}
	}

}
