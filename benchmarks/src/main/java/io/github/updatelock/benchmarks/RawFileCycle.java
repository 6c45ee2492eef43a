package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The baseline of the first-hold benchmarks: the least a correct lock file needs, in plain
 * Java: an exclusive create, a write and a delete.
 */
final class RawFileCycle {

	/** About the size of our marker record, so that both sides write the same amount. */
	static final byte[] RECORD = "x".repeat(200).getBytes(StandardCharsets.UTF_8);

	private RawFileCycle() {
	}

	static void createWriteDelete(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(RECORD));
		}
		Files.delete(file);
	}

}
