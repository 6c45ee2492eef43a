package io.github.updatelock.internal;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file's path with its own and its directory's C strings, encoded once. Handing libc a
 * ready {@code byte[]} spares JNA a native string conversion on every call, which was a
 * measurable share of taking the lock file.
 */
public final class NativePath {

	/**
	 * The encoding Java itself uses for file names. Not JNA's: this class must work where
	 * JNA cannot load, since the manager always makes one.
	 */
	private static final Charset FILE_NAMES = fileNameEncoding();

	/** The empty C string, which {@code AT_EMPTY_PATH} calls pass. Shared: never written to. */
	static final byte[] EMPTY = cString("");

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

	public static NativePath of(Path path) {
		return new NativePath(path);
	}

	/**
	 * A NUL-terminated string in the file name encoding.
	 * @param text the text
	 * @return the C string
	 */
	static byte[] cString(String text) {
		byte[] encoded = text.getBytes(FILE_NAMES);
		return Arrays.copyOf(encoded, encoded.length + 1);
	}

	private static Charset fileNameEncoding() {
		try {
			return Charset.forName(System.getProperty("sun.jnu.encoding"));
		}
		catch (RuntimeException ex) {
			return Charset.defaultCharset();
		}
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
