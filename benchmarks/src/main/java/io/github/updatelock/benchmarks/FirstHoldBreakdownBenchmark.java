package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import io.github.updatelock.UpdateLockManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of a first hold goes: the raw Java cycle of {@link FirstHoldBenchmark},
 * then the same cycle done the way the lock file is made, one step added at a time (libc
 * through JNA instead of NIO, the flock, the descriptor's identity, the identity check
 * before the unlink, the unnamed file named by {@code linkat}), and finally the manager
 * itself. Each step's ratio minus the previous one is that step's share; the last gap is
 * the manager's bookkeeping. {@code step5LinkThroughProc} is step 5 with the link every
 * process may make, through {@code /proc/self/fd} (the core uses it where
 * {@code AT_EMPTY_PATH} is not allowed). The steps are a copy of what the core does, for
 * measuring only: the manager is the reference for behaviour.
 */
@State(Scope.Benchmark)
@Fork(1)
// The manager's path needs about 5 s to settle (a longer warm-up than the raw cycle),
// and the ratio is only fair once both are warm.
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FirstHoldBreakdownBenchmark {

	private static final int O_WRONLY = 01;

	private static final int O_CREAT = 0100;

	private static final int O_EXCL = 0200;

	private static final int O_CLOEXEC = 02000000;

	private static final int O_DIRECTORY = (Platform.isARM() || Platform.isPPC()) ? 040000 : 0200000;

	private static final int O_TMPFILE = 020000000 | O_DIRECTORY;

	private static final int CREATE_FLAGS = O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC;

	private static final int LOCK_EX = 2;

	private static final int LOCK_NB = 4;

	private static final int AT_FDCWD = -100;

	private static final int AT_SYMLINK_NOFOLLOW = 0x100;

	private static final int AT_SYMLINK_FOLLOW = 0x400;

	private static final int AT_EMPTY_PATH = 0x1000;

	private static final int STATX_INO = 0x100;

	private static final byte[] EMPTY = Native.toByteArray("");

	private Path directory;

	private Path file;

	private byte[] fileName;

	private byte[] directoryName;

	private UpdateLockManager manager;

	@Setup
	public void setUp() throws IOException {
		this.directory = BenchmarkDirectories.create();
		this.file = this.directory.resolve("raw.lock");
		// Paths as C strings made once, as the core passes them.
		this.fileName = Native.toByteArray(this.file.toString());
		this.directoryName = Native.toByteArray(this.directory.toString());
		this.manager = BenchmarkManagers.create(this.directory);
	}

	@TearDown
	public void tearDown() throws IOException {
		this.manager.close();
		BenchmarkDirectories.delete(this.directory);
	}

	/** The same as {@link FirstHoldBenchmark}'s baseline. */
	@Benchmark
	public void baselineRawCreateWriteDelete() throws IOException {
		RawFileCycle.createWriteDelete(this.file);
	}

	/** Step 1: the same four system calls, all through JNA. */
	@Benchmark
	public void step1Jna() {
		int fd = Calls.open(this.fileName, CREATE_FLAGS, 0644);
		write(fd);
		Calls.close(fd);
		Calls.unlink(this.fileName);
	}

	/** Step 2: plus the flock, held until after the unlink (so the close also drops it). */
	@Benchmark
	public void step2Flock() {
		int fd = Calls.open(this.fileName, CREATE_FLAGS, 0644);
		Calls.flock(fd, LOCK_EX | LOCK_NB);
		write(fd);
		Calls.unlink(this.fileName);
		Calls.close(fd);
	}

	/** Step 3: plus {@code statx} on the descriptor, for the inode we created. */
	@Benchmark
	public long step3Statx() {
		int fd = Calls.open(this.fileName, CREATE_FLAGS, 0644);
		long inode = inodeOf(fd);
		Calls.flock(fd, LOCK_EX | LOCK_NB);
		write(fd);
		Calls.unlink(this.fileName);
		Calls.close(fd);
		return inode;
	}

	/** Step 4: plus the {@code statx} of the path that checks it still names our inode before the unlink. */
	@Benchmark
	public boolean step4InodeCheck() {
		int fd = Calls.open(this.fileName, CREATE_FLAGS, 0644);
		long inode = inodeOf(fd);
		Calls.flock(fd, LOCK_EX | LOCK_NB);
		write(fd);
		return removeIfStill(inode, fd);
	}

	/**
	 * Step 5: the file made unnamed ({@code O_TMPFILE}) and named by {@code linkat} with
	 * {@code AT_EMPTY_PATH} once flocked and written: what makes the lock crash-safe.
	 */
	@Benchmark
	public boolean step5Unnamed() {
		int fd = Calls.open(this.directoryName, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
		long inode = inodeOf(fd);
		Calls.flock(fd, LOCK_EX | LOCK_NB);
		write(fd);
		Calls.linkat(fd, EMPTY, AT_FDCWD, this.fileName, AT_EMPTY_PATH);
		return removeIfStill(inode, fd);
	}

	/** Step 5 with the link through {@code /proc/self/fd}, which needs no capability. */
	@Benchmark
	public boolean step5LinkThroughProc() {
		int fd = Calls.open(this.directoryName, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
		long inode = inodeOf(fd);
		Calls.flock(fd, LOCK_EX | LOCK_NB);
		write(fd);
		Calls.linkat(AT_FDCWD, Native.toByteArray("/proc/self/fd/" + fd), AT_FDCWD, this.fileName,
				AT_SYMLINK_FOLLOW);
		return removeIfStill(inode, fd);
	}

	/** The manager: the steps above plus its bookkeeping (marker, holds, state, events). */
	@Benchmark
	public void step6Manager() {
		this.manager.acquire("benchmark").release();
	}

	private void write(int fd) {
		Calls.write(fd, RawFileCycle.RECORD, new NativeLong(RawFileCycle.RECORD.length));
	}

	private boolean removeIfStill(long inode, int fd) {
		boolean ours = inodeAt(this.fileName) == inode;
		if (ours) {
			Calls.unlink(this.fileName);
		}
		Calls.close(fd);
		return ours;
	}

	private static long inodeOf(int fd) {
		byte[] buffer = new byte[256];
		Calls.statx(fd, EMPTY, AT_EMPTY_PATH, STATX_INO, buffer);
		return inode(buffer);
	}

	private static long inodeAt(byte[] path) {
		byte[] buffer = new byte[256];
		Calls.statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_INO, buffer);
		return inode(buffer);
	}

	private static long inode(byte[] statx) {
		return ByteBuffer.wrap(statx).order(ByteOrder.nativeOrder()).getLong(32);
	}

	/** Direct-mapped libc, bound the way the core binds it. */
	static final class Calls {

		static {
			Native.register(Platform.C_LIBRARY_NAME);
		}

		private Calls() {
		}

		static native int open(byte[] path, int flags, int mode) throws LastErrorException;

		static native int flock(int fd, int operation) throws LastErrorException;

		static native NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

		static native int linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags)
				throws LastErrorException;

		static native int unlink(byte[] path) throws LastErrorException;

		static native int close(int fd) throws LastErrorException;

		static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buffer)
				throws LastErrorException;

	}

}
