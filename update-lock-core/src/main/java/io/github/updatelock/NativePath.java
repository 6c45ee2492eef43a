package io.github.updatelock;

import java.nio.file.Path;

import com.sun.jna.Native;

/**
 * A file's path with its own and its directory's C strings, encoded once. Handing libc a
 * ready {@code byte[]} spares JNA a native string conversion on every call, which was a
 * measurable share of taking the lock file.
 */
final class NativePath {

	private final Path path;

	private final byte[] cString;

	private final byte[] directoryCString;

	private NativePath(Path path) {
		this.path = path;
		this.cString = cString(path.toString());
		Path absolute = path.toAbsolutePath();
		Path directory = (absolute.getParent() != null) ? absolute.getParent() : absolute;
		this.directoryCString = cString(directory.toString());
	}

	static NativePath of(Path path) {
		return new NativePath(path);
	}

	/**
	 * A NUL-terminated string in JNA's encoding, as JNA would pass a {@code String}.
	 * @param text the text
	 * @return the C string
	 */
	static byte[] cString(String text) {
		return Native.toByteArray(text);
	}

	Path path() {
		return this.path;
	}

	/** The path as a C string. Shared: never written to. */
	byte[] cString() {
		return this.cString;
	}

	/** The absolute parent directory as a C string. Shared: never written to. */
	byte[] directoryCString() {
		return this.directoryCString;
	}

	@Override
	public String toString() {
		return this.path.toString();
	}

}
