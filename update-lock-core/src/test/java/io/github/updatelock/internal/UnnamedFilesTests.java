package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import io.github.updatelock.internal.UnnamedFiles.LinkMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Both ways of naming an unnamed file, each forced, since a machine uses only the one its
 * capabilities allow once it has found out which.
 */
class UnnamedFilesTests {

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource(LinkMethod.class)
	void linkGivesTheWrittenFileItsName(LinkMethod method) throws IOException {
		Path name = this.directory.resolve("updates.lock");
		int fd = openUnnamedWith("marker");
		try {
			assertThat(this.directory).isEmptyDirectory();
			UnnamedFiles.link(fd, NativePath.cString(name.toString()), method);
			assertThat(name).hasContent("marker");
			assertThat(FileIdentity.of(name, LinkOption.NOFOLLOW_LINKS)).isEqualTo(FileIdentity.ofDescriptor(fd));
		}
		finally {
			Libc.close(fd);
		}
	}

	@ParameterizedTest
	@EnumSource(LinkMethod.class)
	void linkFailsWithEexistAndLeavesATakenNameAlone(LinkMethod method) throws IOException {
		Path name = Files.writeString(this.directory.resolve("updates.lock"), "someone else's");
		FileIdentity before = FileIdentity.of(name, LinkOption.NOFOLLOW_LINKS);
		int fd = openUnnamedWith("marker");
		try {
			assertThatExceptionOfType(ErrnoException.class)
				.isThrownBy(() -> UnnamedFiles.link(fd, NativePath.cString(name.toString()), method))
				.satisfies((ex) -> assertThat(ex.errno()).isEqualTo(Libc.EEXIST));
			assertThat(name).hasContent("someone else's");
			assertThat(FileIdentity.of(name, LinkOption.NOFOLLOW_LINKS)).isEqualTo(before);
		}
		finally {
			Libc.close(fd);
		}
	}

	@Test
	void firstLinkFindsOutWhichMethodThisProcessMayUse() throws IOException {
		Path name = this.directory.resolve("updates.lock");
		int fd = openUnnamedWith("marker");
		try {
			UnnamedFiles.link(fd, NativePath.cString(name.toString()));
			assertThat(name).hasContent("marker");
			assertThat(UnnamedFiles.linkMethod()).isNotNull();
		}
		finally {
			Libc.close(fd);
		}
	}

	@Test
	void linkIntoAMissingDirectoryFailsWithEnoent() {
		Path name = this.directory.resolve("gone").resolve("updates.lock");
		int fd = UnnamedFiles.open(NativePath.cString(this.directory.toString()));
		try {
			assertThatExceptionOfType(ErrnoException.class)
				.isThrownBy(() -> UnnamedFiles.link(fd, NativePath.cString(name.toString())))
				.satisfies((ex) -> assertThat(ex.errno()).isEqualTo(Libc.ENOENT));
		}
		finally {
			Libc.close(fd);
		}
	}

	private int openUnnamedWith(String content) {
		int fd = UnnamedFiles.open(NativePath.cString(this.directory.toString()));
		byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
		Libc.write(fd, bytes, bytes.length);
		return fd;
	}

}
