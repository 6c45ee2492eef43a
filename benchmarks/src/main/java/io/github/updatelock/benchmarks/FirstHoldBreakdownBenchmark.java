package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
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
 * before the unlink, the marker text), and finally the manager itself. Each step's ratio
 * minus the previous one is that step's share; the last gap is the manager's bookkeeping.
 * The steps are a copy of what the core does, for measuring only: the manager is the
 * reference for behaviour.
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

	private static final int CREATE_FLAGS = O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC;

	private static final int LOCK_EX = 2;

	private static final int LOCK_NB = 4;

	private static final int AT_EMPTY_PATH = 0x1000;

	private static final int STATX_INO = 0x100;

	private Path directory;

	private Path file;

	private String fileName;

	private byte[] record;

	private String instanceId;

	private long pid;

	private UpdateLockManager manager;

	@Setup
	public void setUp() throws IOException {
		this.directory = BenchmarkDirectories.create();
		this.file = this.directory.resolve("raw.lock");
		this.fileName = this.file.toString();
		this.manager = BenchmarkManagers.create(this.directory);
		this.instanceId = UUID.randomUUID().toString();
		this.pid = ProcessHandle.current().pid();
		this.record = marker().getBytes(StandardCharsets.UTF_8);
	}

	@TearDown
	public void tearDown() throws IOException {
		this.manager.close();
		BenchmarkDirectories.delete(this.directory);
	}

	/** The same as {@link FirstHoldBenchmark}'s baseline. */
	@Benchmark
	public void baselineRawCreateWriteDelete() throws IOException {
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(this.record));
		}
		Files.delete(this.file);
	}

	/** Step 1: the same four system calls, with open, write and close through JNA. */
	@Benchmark
	public void step1Jna() throws IOException {
		int fd = Calls.open(this.fileName, CREATE_FLAGS, 0644);
		Calls.write(fd, this.record, new NativeLong(this.record.length));
		Calls.close(fd);
		Files.delete(this.file);
	}

	/** Step 2: plus the flock, held until after the unlink (so the close also drops it). */
	@Benchmark
	public void step2Flock() throws IOException {
		int fd = Calls.open(this.fileName, CREATE_FLAGS, 0644);
		Calls.flock(fd, LOCK_EX | LOCK_NB);
		Calls.write(fd, this.record, new NativeLong(this.record.length));
		Files.delete(this.file);
		Calls.close(fd);
	}

	/** Step 3: plus {@code statx} on the descriptor, for the (device, inode) we created. */
	@Benchmark
	public long step3Statx() throws IOException {
		int fd = Calls.open(this.fileName, CREATE_FLAGS, 0644);
		long inode = inode(fd);
		Calls.flock(fd, LOCK_EX | LOCK_NB);
		Calls.write(fd, this.record, new NativeLong(this.record.length));
		Files.delete(this.file);
		Calls.close(fd);
		return inode;
	}

	/** Step 4: plus the {@code lstat} that checks the path still names our inode before the unlink. */
	@Benchmark
	public boolean step4InodeCheck() throws IOException {
		int fd = Calls.open(this.fileName, CREATE_FLAGS, 0644);
		long inode = inode(fd);
		Calls.flock(fd, LOCK_EX | LOCK_NB);
		Calls.write(fd, this.record, new NativeLong(this.record.length));
		boolean ours = stillOurs(inode);
		if (ours) {
			Files.delete(this.file);
		}
		Calls.close(fd);
		return ours;
	}

	/** Step 5: plus building the marker text for each file, as the manager does. */
	@Benchmark
	public boolean step5Marker() throws IOException {
		int fd = Calls.open(this.fileName, CREATE_FLAGS, 0644);
		long inode = inode(fd);
		Calls.flock(fd, LOCK_EX | LOCK_NB);
		byte[] marker = marker().getBytes(StandardCharsets.UTF_8);
		Calls.write(fd, marker, new NativeLong(marker.length));
		boolean ours = stillOurs(inode);
		if (ours) {
			Files.delete(this.file);
		}
		Calls.close(fd);
		return ours;
	}

	/** The manager: the steps above plus its bookkeeping (holds, state, events). */
	@Benchmark
	public void step6Manager() {
		this.manager.acquire("benchmark").release();
	}

	private static long inode(int fd) {
		byte[] buffer = new byte[256];
		Calls.statx(fd, "", AT_EMPTY_PATH, STATX_INO, buffer);
		return ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder()).getLong(32);
	}

	private boolean stillOurs(long inode) throws IOException {
		Map<String, Object> attributes = Files.readAttributes(this.file, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
		return ((Long) attributes.get("ino")) == inode;
	}

	private String marker() {
		return "io.github.updatelock marker v1\ninstance=" + this.instanceId + "\nhostname=benchmark-host\n"
				+ "boot-id=00000000-0000-0000-0000-000000000000\npid=" + this.pid
				+ "\nprocess-start=1700000000000\nflock=true\ncreated=" + Instant.now() + "\n";
	}

	/** Direct-mapped libc, bound the way the core binds it. */
	static final class Calls {

		static {
			Native.register(Platform.C_LIBRARY_NAME);
		}

		private Calls() {
		}

		static native int open(String path, int flags, int mode) throws LastErrorException;

		static native int flock(int fd, int operation) throws LastErrorException;

		static native NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

		static native int close(int fd) throws LastErrorException;

		static native int statx(int dirfd, String path, int flags, int mask, byte[] buffer)
				throws LastErrorException;

	}

}
