package dev.isthmus.tests.jmh;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.fcntl_h;
import dev.isthmus.ffi.posix.unistd_h;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/**
 * What a downcall costs, with and without {@code Linker.Option.critical(false)} (which skips the Java to
 * native thread-state transition and its safepoint poll):
 * <ul>
 *   <li>{@code abs}: a libc function that does no system call, so what is measured is the call itself;</li>
 *   <li>{@code read} of an empty non-blocking pipe through our binding (errno captured, EAGAIN): the
 *       shortest real system call on the hot path, as a worker makes it.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@SuppressWarnings("restricted") // links abs directly; the forks run with --enable-native-access
public class DowncallBench {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemorySegment ABS_ADDRESS = LINKER.defaultLookup().find("abs").orElseThrow();
    private static final FunctionDescriptor ABS_DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle ABS = LINKER.downcallHandle(ABS_ADDRESS, ABS_DESC);
    private static final MethodHandle ABS_CRITICAL = LINKER.downcallHandle(ABS_ADDRESS, ABS_DESC,
            Linker.Option.critical(false));

    private Arena arena;
    private CallState state;
    private MemorySegment buffer;
    private int readFd = -1;
    private int writeFd = -1;
    private int value = -42;

    @Setup(Level.Trial)
    public void open() throws IOException {
        arena = Arena.ofConfined();
        state = CallState.allocate(arena);
        buffer = arena.allocate(64);
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        if (unistd_h.pipe2(state.segment(), fds, fcntl_h.O_NONBLOCK | fcntl_h.O_CLOEXEC) != 0) {
            throw Errno.exception("pipe2", state.errno());
        }
        readFd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        writeFd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
    }

    @TearDown(Level.Trial)
    public void close() {
        unistd_h.close(state.segment(), readFd);
        unistd_h.close(state.segment(), writeFd);
        arena.close();
    }

    @Benchmark
    public int abs() throws Throwable {
        return (int) ABS.invokeExact(value);
    }

    @Benchmark
    public int absCritical() throws Throwable {
        return (int) ABS_CRITICAL.invokeExact(value);
    }

    @Benchmark
    public long readEmptyPipe() {
        return check(unistd_h.read(state.segment(), readFd, buffer, buffer.byteSize()));
    }

    @Benchmark
    public long readEmptyPipeCritical() {
        return check(unistd_h.read$critical(state.segment(), readFd, buffer, buffer.byteSize()));
    }

    /** The pipe is empty: anything but -1 with EAGAIN means the benchmark measures something else. */
    private long check(long n) {
        if (n != -1 || state.errno() != errno_h.EAGAIN) {
            throw new IllegalStateException("read of an empty pipe returned " + n + ", errno " + Errno.name(state.errno()));
        }
        return n;
    }
}
