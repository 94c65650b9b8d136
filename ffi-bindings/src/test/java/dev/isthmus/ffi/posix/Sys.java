package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test scaffolding: one arena and call state per test, checked return codes, and every fd the test
 * opened closed exactly once, in reverse order, with close(2)'s result checked.
 */
final class Sys implements AutoCloseable {
    final Arena arena = Arena.ofConfined();
    final CallState state = CallState.allocate(arena);
    final MemorySegment cs = state.segment();
    private final Deque<Integer> fds = new ArrayDeque<>();

    /** Throws the IOException Errno makes if {@code rc} is -1; returns {@code rc}. */
    long check(String call, long rc) throws IOException {
        if (rc == -1) {
            throw Errno.exception(call, state.errno());
        }
        return rc;
    }

    int check(String call, int rc) throws IOException {
        return (int) check(call, (long) rc);
    }

    /** Checks {@code fd} and registers it for closing. */
    int fd(String call, int fd) throws IOException {
        check(call, fd);
        fds.push(fd);
        return fd;
    }

    /** Closes {@code fd} now instead of at the end. */
    void close(int fd) throws IOException {
        if (!fds.remove(fd)) {
            throw new IllegalStateException("fd " + fd + " is not owned by this test");
        }
        check("close", unistd_h.close(cs, fd));
    }

    /** Registers both fds of a two-int array filled by socketpair/pipe2. */
    int[] pair(String call, int rc, MemorySegment two) throws IOException {
        check(call, rc);
        int a = two.getAtIndex(ValueLayout.JAVA_INT, 0);
        int b = two.getAtIndex(ValueLayout.JAVA_INT, 1);
        fds.push(a);
        fds.push(b);
        return new int[] {a, b};
    }

    int getIntOpt(int fd, int level, int name) throws IOException {
        MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, 4);
        check("getsockopt", socket_h.getsockopt(cs, fd, level, name, v, len));
        assertEquals(4, len.get(ValueLayout.JAVA_INT, 0), "optlen");
        return v.get(ValueLayout.JAVA_INT, 0);
    }

    void setIntOpt(int fd, int level, int name, int value) throws IOException {
        MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_INT, value);
        check("setsockopt", socket_h.setsockopt(cs, fd, level, name, v, 4));
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        try {
            while (!fds.isEmpty()) {
                int fd = fds.pop();
                if (unistd_h.close(cs, fd) != 0 && first == null) {
                    first = Errno.exception("close(" + fd + ")", state.errno());
                }
            }
        } finally {
            arena.close();
        }
        if (first != null) {
            throw first;
        }
    }
}
