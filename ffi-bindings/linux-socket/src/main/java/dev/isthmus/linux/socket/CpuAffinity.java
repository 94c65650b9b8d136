package dev.isthmus.linux.socket;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.cpu_set_t;
import dev.isthmus.ffi.posix.sched_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Pins the calling thread to one CPU with sched_setaffinity(2) (pid 0: the calling thread), for
 * {@link dev.isthmus.stack.StackOptions#pinWorkers()}; the kernel stacks call it from their worker's
 * {@code pinToCpu}. The mask is glibc's 1024-bit {@code cpu_set_t}, call-scoped: this runs once per worker.
 */
public final class CpuAffinity {
    private CpuAffinity() {
    }

    /** Restricts the calling thread to {@code cpu}. */
    public static void pinCurrentThread(int cpu) throws IOException {
        if (cpu < 0 || cpu >= cpu_set_t.sizeof() * 8) {
            throw new IllegalArgumentException("cpu " + cpu + " is outside cpu_set_t (0.." + (cpu_set_t.sizeof() * 8 - 1) + ")");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment set = cpu_set_t.allocate(a);
            cpu_set_t.CPU_ZERO(set);
            cpu_set_t.CPU_SET(cpu, set);
            CallState st = CallState.allocate(a);
            if (sched_h.sched_setaffinity(st.segment(), 0, cpu_set_t.sizeof(), set) != 0) {
                throw Errno.exception("sched_setaffinity(cpu " + cpu + ")", st.errno());
            }
        }
    }
}
