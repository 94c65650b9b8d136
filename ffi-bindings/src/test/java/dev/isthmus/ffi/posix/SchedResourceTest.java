package dev.isthmus.ffi.posix;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sched_* affinity calls, the cpu_set_t helpers and getrlimit/setrlimit. */
class SchedResourceTest {

    @Test
    void currentCpuIsInTheAffinityMask() throws IOException {
        try (Sys s = new Sys()) {
            MemorySegment mask = cpu_set_t.allocate(s.arena);
            s.check("sched_getaffinity", sched_h.sched_getaffinity(s.cs, 0, cpu_set_t.sizeof(), mask));
            int count = cpu_set_t.CPU_COUNT(mask);
            assertTrue(count >= 1 && count <= Runtime.getRuntime().availableProcessors() * 4L, "CPU_COUNT " + count);
            int cpu = s.check("sched_getcpu", sched_h.sched_getcpu(s.cs));
            assertTrue(cpu_set_t.CPU_ISSET(cpu, mask), "cpu " + cpu + " not in the mask");
        }
    }

    @Test
    void pinningToOneCpuMovesTheThreadThere() throws IOException {
        try (Sys s = new Sys()) {
            MemorySegment saved = cpu_set_t.allocate(s.arena);
            s.check("sched_getaffinity", sched_h.sched_getaffinity(s.cs, 0, cpu_set_t.sizeof(), saved));
            int target = -1;
            for (int c = sched_h.CPU_SETSIZE - 1; c >= 0 && target < 0; c--) {
                if (cpu_set_t.CPU_ISSET(c, saved)) {
                    target = c; // the highest allowed CPU: on a multi-CPU box often not where we run now
                }
            }
            MemorySegment one = cpu_set_t.allocate(s.arena);
            cpu_set_t.CPU_SET(target, one);
            assertEquals(1, cpu_set_t.CPU_COUNT(one));
            try {
                s.check("sched_setaffinity", sched_h.sched_setaffinity(s.cs, 0, cpu_set_t.sizeof(), one));
                // sched_setaffinity(2) migrates the calling thread before returning.
                assertEquals(target, s.check("sched_getcpu", sched_h.sched_getcpu(s.cs)));
            } finally {
                s.check("sched_setaffinity", sched_h.sched_setaffinity(s.cs, 0, cpu_set_t.sizeof(), saved));
            }
            cpu_set_t.CPU_CLR(target, one);
            assertFalse(cpu_set_t.CPU_ISSET(target, one));
            cpu_set_t.CPU_SET(1023, one);
            cpu_set_t.CPU_SET(64, one);
            assertEquals(2, cpu_set_t.CPU_COUNT(one));
            cpu_set_t.CPU_ZERO(one);
            assertEquals(0, cpu_set_t.CPU_COUNT(one));
            assertThrows(IllegalArgumentException.class, () -> cpu_set_t.CPU_SET(1024, one));
            assertThrows(IllegalArgumentException.class, () -> cpu_set_t.CPU_ISSET(-1, one));
        }
    }

    @Test
    void nofileLimitReadsAndRewrites() throws IOException {
        try (Sys s = new Sys()) {
            MemorySegment lim = rlimit.allocate(s.arena);
            s.check("getrlimit", resource_h.getrlimit(s.cs, resource_h.RLIMIT_NOFILE, lim));
            long cur = rlimit.rlim_cur(lim);
            long max = rlimit.rlim_max(lim);
            assertTrue(cur != 0 && Long.compareUnsigned(cur, max) <= 0, "soft " + cur + " hard " + max);
            assertTrue(cur == resource_h.RLIM_INFINITY || cur >= 16, "an fd limit below 16 cannot be right: " + cur);
            // Writing back the same limits is always allowed; a soft limit above the hard one is EINVAL.
            s.check("setrlimit", resource_h.setrlimit(s.cs, resource_h.RLIMIT_NOFILE, lim));
            if (max != resource_h.RLIM_INFINITY) {
                rlimit.rlim_cur(lim, max + 1);
                assertEquals(-1, resource_h.setrlimit(s.cs, resource_h.RLIMIT_NOFILE, lim));
                assertEquals(errno_h.EINVAL, s.state.errno());
            }
        }
    }
}
