package dev.isthmus.tests.jmh;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.epoll_event;
import dev.isthmus.ffi.posix.epoll_h;
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
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * {@code epoll_wait(epfd, events, 64, 0)} on an epoll instance with nothing ready: what a busy-polling
 * worker pays per empty poll, a system call that returns 0 at once (epoll_wait(2)).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EpollWaitBench {

    private static final int MAX_EVENTS = 64;

    private Arena arena;
    private CallState state;
    private MemorySegment events;
    private int epfd = -1;

    @Setup(Level.Trial)
    public void open() throws IOException {
        arena = Arena.ofConfined();
        state = CallState.allocate(arena);
        events = epoll_event.allocateArray(MAX_EVENTS, arena);
        epfd = epoll_h.epoll_create1(state.segment(), epoll_h.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw Errno.exception("epoll_create1", state.errno());
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        unistd_h.close(state.segment(), epfd);
        arena.close();
    }

    @Benchmark
    public int epollWaitNothingReady() {
        int n = epoll_h.epoll_wait(state.segment(), epfd, events, MAX_EVENTS, 0);
        if (n != 0) {
            throw new IllegalStateException("epoll_wait on an empty set returned " + n
                    + (n < 0 ? " (" + Errno.name(state.errno()) + ")" : ""));
        }
        return n;
    }
}
