package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.CTypes.C_LONG;

/**
 * {@snippet lang=c :
 * typedef struct {
 *     __cpu_mask __bits[1024 / (8 * sizeof(__cpu_mask))];  // __cpu_mask is unsigned long
 * } cpu_set_t;
 * }
 *
 * <p>glibc's fixed-size CPU mask: 1024 bits in 16 words, 128 bytes; CPU {@code n} is bit {@code n % 64}
 * of word {@code n / 64}. The static methods mirror the {@code CPU_*} macros of CPU_SET(3) for this
 * fixed size. Pass {@link #sizeof()} as {@code cpusetsize}.
 */
@CStruct(value = "cpu_set_t", includes = {"sched.h"})
public final class cpu_set_t {
    private cpu_set_t() {
    }

    private static final int WORDS = sched_h.CPU_SETSIZE / 64;

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(WORDS, C_LONG).withName("__bits")).withName("cpu_set_t");

    /** The layout, member names as in glibc's header. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(cpu_set_t)}: 128. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates an empty set (the allocator zeroes, which is {@code CPU_ZERO}). */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static int check(int cpu) {
        if (cpu < 0 || cpu >= sched_h.CPU_SETSIZE) {
            throw new IllegalArgumentException("cpu " + cpu + " is outside cpu_set_t's 0.." + (sched_h.CPU_SETSIZE - 1));
        }
        return cpu;
    }

    private static long word(MemorySegment set, int cpu) {
        return set.get(ValueLayout.JAVA_LONG, (long) (cpu >>> 6) * 8);
    }

    /** {@code CPU_ZERO}: clears every CPU. */
    public static void CPU_ZERO(MemorySegment set) {
        set.asSlice(0, sizeof()).fill((byte) 0);
    }

    /** {@code CPU_SET}: adds {@code cpu}. */
    public static void CPU_SET(int cpu, MemorySegment set) {
        check(cpu);
        set.set(ValueLayout.JAVA_LONG, (long) (cpu >>> 6) * 8, word(set, cpu) | (1L << (cpu & 63)));
    }

    /** {@code CPU_CLR}: removes {@code cpu}. */
    public static void CPU_CLR(int cpu, MemorySegment set) {
        check(cpu);
        set.set(ValueLayout.JAVA_LONG, (long) (cpu >>> 6) * 8, word(set, cpu) & ~(1L << (cpu & 63)));
    }

    /** {@code CPU_ISSET}: whether {@code cpu} is in the set. */
    public static boolean CPU_ISSET(int cpu, MemorySegment set) {
        check(cpu);
        return (word(set, cpu) & (1L << (cpu & 63))) != 0;
    }

    /** {@code CPU_COUNT}: how many CPUs are in the set. */
    public static int CPU_COUNT(MemorySegment set) {
        int n = 0;
        for (int w = 0; w < WORDS; w++) {
            n += Long.bitCount(set.get(ValueLayout.JAVA_LONG, w * 8L));
        }
        return n;
    }
}
