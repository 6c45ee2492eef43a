package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The (device, inode) pair that tells whether a path still names the file we created. An
 * override replaces our file with the Supervisor's under the same name, so names alone
 * cannot be trusted.
 *
 * @param device the device, encoded as {@code stat} reports it
 * @param inode the inode number
 */
public record FileIdentity(long device, long inode) {

	public static FileIdentity of(Path path, LinkOption... options) throws IOException {
		return of(Files.readAttributes(path, "unix:dev,ino", options));
	}

	public static FileIdentity of(Map<String, Object> unixAttributes) {
		return new FileIdentity((Long) unixAttributes.get("dev"), (Long) unixAttributes.get("ino"));
	}

	/**
	 * Identity of the file an open descriptor refers to, even after it was unlinked.
	 * Needs the native binding (only libc gives descriptors).
	 */
	public static FileIdentity ofDescriptor(int fd) throws IOException {
		return DescriptorStatus.of(fd).identity();
	}

	/**
	 * Identity of the entry a path names now, without following a symbolic link.
	 * @return the identity, or {@code null} when nothing is there
	 */
	public static FileIdentity ofEntryOrNull(NativePath path) {
		// Checked first so that without the native binding Statx is never loaded.
		return (NativeAccess.available() && Statx.available()) ? Statx.ofEntryOrNull(path)
				: ofEntryOrNull(path.path());
	}

	/**
	 * Identity of the entry a path names now, without following a symbolic link.
	 * @return the identity, or {@code null} when nothing is there
	 */
	public static FileIdentity ofEntryOrNull(Path path) {
		try {
			return of(path, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			return null;
		}
	}

}
