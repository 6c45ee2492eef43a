package io.github.updatelock.internal;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The libc calls through the Foreign Function &amp; Memory API (Java 22 and later): no
 * native library to extract, no child process to find libc, and cheaper calls than JNA.
 * Lives in the multi-release jar's {@code META-INF/versions/22}; {@link NativeAccess}
 * loads it by name. Making one fails where native access is denied
 * ({@code --illegal-native-access=deny} without {@code --enable-native-access}).
 */
final class FfmNativeCalls implements NativeCalls {

	private static final Linker LINKER = Linker.nativeLinker();

	private static final SymbolLookup LIBC = LINKER.defaultLookup();

	private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();

	private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

	private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

	private static final ValueLayout SIZE_T = (ValueLayout) LINKER.canonicalLayouts().get("size_t");

	private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

	private static final AddressLayout POINTER = ValueLayout.ADDRESS;

	/** {@code open} is variadic: its mode is the first variadic argument. */
	private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(INT, POINTER, INT, INT),
			CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));

	private static final MethodHandle FLOCK = downcall("flock", FunctionDescriptor.of(INT, INT, INT), CAPTURE_ERRNO);

	private static final MethodHandle LINKAT = downcall("linkat",
			FunctionDescriptor.of(INT, INT, POINTER, INT, POINTER, INT), CAPTURE_ERRNO);

	private static final MethodHandle UNLINK = downcall("unlink", FunctionDescriptor.of(INT, POINTER), CAPTURE_ERRNO);

	/** {@code ssize_t write(int, const void *, size_t)}, adapted to {@code long} where {@code size_t} is 32 bit. */
	private static final MethodHandle WRITE = MethodHandles.explicitCastArguments(
			downcall("write", FunctionDescriptor.of(SIZE_T, INT, POINTER, SIZE_T), CAPTURE_ERRNO),
			MethodType.methodType(long.class, MemorySegment.class, int.class, MemorySegment.class, long.class));

	private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(INT, INT), CAPTURE_ERRNO);

	private static final MethodHandle GETEUID = downcall("geteuid", FunctionDescriptor.of(INT));

	private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(POINTER, INT));

	/** {@code null} where the C library lacks {@code statx} (glibc before 2.28). */
	private static final MethodHandle STATX = LIBC.find("statx")
		.map((symbol) -> LINKER.downcallHandle(symbol, FunctionDescriptor.of(INT, INT, POINTER, INT, INT, POINTER),
				CAPTURE_ERRNO))
		.orElse(null);

	@Override
	public String name() {
		return "FFM";
	}

	@Override
	public int open(byte[] path, int flags, int mode) {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment state = arena.allocate(CALL_STATE);
			int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(ValueLayout.JAVA_BYTE, path), flags, mode);
			return checked(fd, state, "open");
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	@Override
	public int flock(int fd, int operation) {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment state = arena.allocate(CALL_STATE);
			return checked((int) FLOCK.invokeExact(state, fd, operation), state, "flock");
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	@Override
	public int linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags) {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment state = arena.allocate(CALL_STATE);
			int result = (int) LINKAT.invokeExact(state, oldDirFd, arena.allocateFrom(ValueLayout.JAVA_BYTE, oldPath),
					newDirFd, arena.allocateFrom(ValueLayout.JAVA_BYTE, newPath), flags);
			return checked(result, state, "linkat");
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	@Override
	public int unlink(byte[] path) {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment state = arena.allocate(CALL_STATE);
			int result = (int) UNLINK.invokeExact(state, arena.allocateFrom(ValueLayout.JAVA_BYTE, path));
			return checked(result, state, "unlink");
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	@Override
	public long write(int fd, byte[] buffer, int count) {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment state = arena.allocate(CALL_STATE);
			MemorySegment bytes = arena.allocate(Math.max(count, 1));
			MemorySegment.copy(buffer, 0, bytes, ValueLayout.JAVA_BYTE, 0, count);
			long written = (long) WRITE.invokeExact(state, fd, bytes, (long) count);
			if (written < 0) {
				throw failure(state, "write");
			}
			return written;
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	@Override
	public int close(int fd) {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment state = arena.allocate(CALL_STATE);
			return checked((int) CLOSE.invokeExact(state, fd), state, "close");
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	@Override
	public int geteuid() {
		try {
			return (int) GETEUID.invokeExact();
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	@Override
	public boolean hasStatx() {
		return STATX != null;
	}

	@Override
	public int statx(int dirFd, byte[] path, int flags, int mask, byte[] buffer) {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment state = arena.allocate(CALL_STATE);
			MemorySegment result = arena.allocate(buffer.length);
			int answer = (int) STATX.invokeExact(state, dirFd, arena.allocateFrom(ValueLayout.JAVA_BYTE, path), flags,
					mask, result);
			checked(answer, state, "statx");
			MemorySegment.copy(result, ValueLayout.JAVA_BYTE, 0, buffer, 0, buffer.length);
			return answer;
		}
		catch (Throwable ex) {
			throw rethrown(ex);
		}
	}

	private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
		MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
		return LINKER.downcallHandle(symbol, descriptor, options);
	}

	private static int checked(int result, MemorySegment state, String call) {
		if (result == -1) {
			throw failure(state, call);
		}
		return result;
	}

	/** Like JNA's message for the same failure: {@code [errno] description}. */
	private static ErrnoException failure(MemorySegment state, String call) {
		int errno = state.get(INT, ERRNO_OFFSET);
		return new ErrnoException(errno, "[" + errno + "] " + describe(errno) + " (" + call + ")");
	}

	private static String describe(int errno) {
		try {
			MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
			// strerror's text is short; the bound only keeps a bad pointer from reading on forever.
			return text.reinterpret(1024).getString(0);
		}
		catch (Throwable ex) {
			return "errno " + errno;
		}
	}

	/** The calls throw nothing checked; anything else is a bug or an error to pass on as it is. */
	private static RuntimeException rethrown(Throwable ex) {
		if (ex instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (ex instanceof Error error) {
			throw error;
		}
		throw new IllegalStateException(ex);
	}

}
