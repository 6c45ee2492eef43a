package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FileIdentityTests {

	@TempDir
	Path directory;

	@Test
	void descriptorIdentityEqualsPathIdentityOfTheSameFile() throws IOException {
		Path file = Files.createFile(this.directory.resolve("a.lock"));
		int fd = Libc.open(NativePath.cString(file.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
		try {
			FileIdentity fromPath = FileIdentity.of(file, LinkOption.NOFOLLOW_LINKS);
			assertThat(Statx.available()).isTrue();
			assertThat(Statx.ofDescriptor(fd).identity()).isEqualTo(fromPath);
			assertThat(DescriptorStatus.ofProcDescriptor(fd).identity()).isEqualTo(fromPath);
		}
		finally {
			Libc.close(fd);
		}
	}

	@Test
	void replacedFileHasAnotherIdentity() throws IOException {
		Path file = Files.createFile(this.directory.resolve("a.lock"));
		int fd = Libc.open(NativePath.cString(file.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
		try {
			Files.delete(file);
			Files.createFile(file);
			assertThat(FileIdentity.ofDescriptor(fd)).isNotEqualTo(FileIdentity.ofEntryOrNull(file));
		}
		finally {
			Libc.close(fd);
		}
	}

	@Test
	void pathIdentityThroughStatxEqualsJavasAndIsNullWhenNothingIsThere() throws IOException {
		Path file = Files.createFile(this.directory.resolve("a.lock"));
		NativePath nativePath = NativePath.of(file);
		assertThat(Statx.ofEntryOrNull(nativePath))
			.isEqualTo(FileIdentity.of(file, LinkOption.NOFOLLOW_LINKS));
		Files.delete(file);
		assertThat(Statx.ofEntryOrNull(nativePath)).isNull();
		assertThat(FileIdentity.ofEntryOrNull(nativePath)).isNull();
	}

	@Test
	void pathIdentityDoesNotFollowSymbolicLinks() throws IOException {
		Path target = Files.createFile(this.directory.resolve("target"));
		Path link = Files.createSymbolicLink(this.directory.resolve("a.lock"), target);
		assertThat(FileIdentity.ofEntryOrNull(NativePath.of(link)))
			.isEqualTo(FileIdentity.of(link, LinkOption.NOFOLLOW_LINKS))
			.isNotEqualTo(FileIdentity.of(target));
	}

	@Test
	void deviceEncodingMatchesGlibcMakedevForLargeNumbers() {
		assertThat(Statx.makedev(8, 1)).isEqualTo(0x801L);
		assertThat(Statx.makedev(0x12345, 0x6789a)).isEqualTo(0x0001_2000_6783_459aL);
	}

}
