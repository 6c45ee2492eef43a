package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import io.github.updatelock.internal.UnnamedFiles.LinkMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The native layer takes its best path on this machine, not a fallback that hides a wrong
 * flag value or struct layout. A wrong {@code O_TMPFILE} for the CPU fails with
 * {@code EISDIR}, exactly as an old kernel does, and the lock quietly goes on with the
 * create in place; a missing {@code statx} goes on through {@code /proc}. Run on every CPU
 * the native layer chooses constants for (CI runs it on aarch64 and armv7 under qemu-user).
 * <p>
 * {@value #EXPECTED_ARCH_PROPERTY} makes the run prove it ran on the CPU it was meant for;
 * {@value #EXPECTED_LINK_METHOD_PROPERTY} names the link method where the kernel's own rule
 * (below) does not hold, such as in a sandbox.
 */
class NoSilentFallbackTests {

	static final String EXPECTED_ARCH_PROPERTY = "updatelock.test.expected-os-arch";

	static final String EXPECTED_LINK_METHOD_PROPERTY = "updatelock.test.expected-link-method";

	/** Bit of {@code CAP_DAC_READ_SEARCH} in {@code CapEff}. */
	private static final long CAP_DAC_READ_SEARCH = 1L << 2;

	private static final int ELOOP = 40;

	@TempDir
	Path directory;

	@Test
	void runsOnTheExpectedCpu() throws Exception {
		String expected = System.getProperty(EXPECTED_ARCH_PROPERTY);
		if (expected == null) {
			// Run natively, the JVM's CPU is the machine's: a JDK built for another CPU would not test this one.
			expected = javaArchOf(machineCpu());
		}
		assertThat(System.getProperty("os.arch")).as("os.arch").isEqualTo(expected);
	}

	private static String machineCpu() throws Exception {
		Process uname = new ProcessBuilder("uname", "-m").start();
		String machine = new String(uname.getInputStream().readAllBytes()).strip();
		assertThat(uname.waitFor()).as("uname -m").isZero();
		return machine;
	}

	/** The {@code os.arch} a JVM reports on a CPU that {@code uname -m} names. */
	private static String javaArchOf(String machine) {
		return switch (machine) {
			case "x86_64" -> "amd64";
			case "armv7l", "armv8l" -> "arm";
			default -> machine;
		};
	}

	@Test
	void libcBindingAndStatxAreAvailable() throws IOException {
		assertThat(NativeAccess.loadFailure()).as("libc binding failure").isNull();
		assertThat(Statx.available()).as("statx available").isTrue();
		Path file = Files.writeString(this.directory.resolve("a.lock"), "x");
		assertThat(Statx.ofEntryOrNull(NativePath.of(file))).as("statx identity")
			.isEqualTo(FileIdentity.of(file, LinkOption.NOFOLLOW_LINKS));
	}

	@Test
	void unnamedFilesCanBeMadeSoTheCreateInPlaceIsNotUsed() {
		int fd;
		try {
			fd = UnnamedFiles.open(NativePath.cString(this.directory.toString()));
		}
		catch (ErrnoException ex) {
			throw new AssertionError("O_TMPFILE (" + Integer.toOctalString(Libc.O_TMPFILE) + " octal on "
					+ System.getProperty("os.arch") + ") failed, which would push every lock onto the create in place: "
					+ ex.getMessage(), ex);
		}
		Libc.close(fd);
		assertThat(this.directory).as("an unnamed file leaves no entry").isEmptyDirectory();
	}

	@Test
	void lockFileIsLinkedTheWayTheKernelAllows() throws Exception {
		Path lockFile = this.directory.resolve("updates.lock");
		OwnedLockFile file = OwnedLockFile.create(NativePath.of(lockFile), true, LocalInstance.current(Map.of()),
				Instant.now());
		try {
			assertThat(file.flockHeld()).isTrue();
			assertThat(UnnamedFiles.linkMethod()).as("link method").isEqualTo(expectedLinkMethod());
		}
		finally {
			assertThat(file.removeAndClose()).isTrue();
		}
	}

	@Test
	void noFollowRefusesASymbolicLink() throws IOException {
		Path target = Files.writeString(this.directory.resolve("target"), "x");
		Path link = Files.createSymbolicLink(this.directory.resolve("updates.lock"), target);
		assertThatExceptionOfType(ErrnoException.class)
			.isThrownBy(() -> Libc.open(NativePath.cString(link.toString()),
					Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0))
			.satisfies((ex) -> assertThat(ex.errno()).as("errno").isEqualTo(ELOOP));
	}

	@Test
	void directoryFlagRefusesAFile() throws IOException {
		Path file = Files.writeString(this.directory.resolve("updates.lock"), "x");
		assertThatExceptionOfType(ErrnoException.class)
			.isThrownBy(() -> Libc.open(NativePath.cString(file.toString()),
					Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0))
			.satisfies((ex) -> assertThat(ex.errno()).as("errno").isEqualTo(Libc.ENOTDIR));
	}

	/**
	 * {@code linkat(AT_EMPTY_PATH)} needs {@code CAP_DAC_READ_SEARCH} before Linux 6.10;
	 * since then the opener of the file may link it too.
	 */
	private static LinkMethod expectedLinkMethod() throws IOException {
		String named = System.getProperty(EXPECTED_LINK_METHOD_PROPERTY);
		if (named != null) {
			return LinkMethod.valueOf(named);
		}
		return (hasEffectiveCapability(CAP_DAC_READ_SEARCH) || kernelAtLeast(6, 10)) ? LinkMethod.EMPTY_PATH
				: LinkMethod.PROC_FD;
	}

	private static boolean hasEffectiveCapability(long capability) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("CapEff:")) {
				return (Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16) & capability) != 0;
			}
		}
		throw new AssertionError("/proc/self/status has no CapEff line");
	}

	private static boolean kernelAtLeast(int major, int minor) {
		String[] version = System.getProperty("os.version").split("[.-]");
		int kernelMajor = Integer.parseInt(version[0]);
		int kernelMinor = Integer.parseInt(version[1]);
		return kernelMajor > major || (kernelMajor == major && kernelMinor >= minor);
	}

}
