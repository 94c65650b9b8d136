package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_LONG;
import static dev.isthmus.ffi.posix.CTypes.C_POINTER;

/**
 * {@code <sched.h>}: CPU affinity and the current CPU (GNU extensions, {@code _GNU_SOURCE}). The mask
 * is a {@link cpu_set_t}: glibc's fixed 1024-bit set, 128 bytes. See sched_setaffinity(2), sched_getcpu(3).
 */
@CHeader({"sched.h"})
public final class sched_h {
    private sched_h() {
    }

    /** Bits in a {@link cpu_set_t}. */
    public static final int CPU_SETSIZE = 1024;

    private static final class sched_setaffinity$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("sched_setaffinity", DESC, false);
    }

    /**
     * {@code int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask)}
     *
     * <p>Sets the CPU mask of thread {@code pid} (0: the calling thread). See sched_setaffinity(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int sched_setaffinity(MemorySegment callState, int pid, long cpusetsize, MemorySegment mask) {
        try {
            return (int) sched_setaffinity$h.HANDLE.invokeExact(callState, pid, cpusetsize, mask);
        } catch (Throwable t) {
            throw Native.rethrow("sched_setaffinity", t);
        }
    }

    private static final class sched_getaffinity$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("sched_getaffinity", DESC, false);
    }

    /**
     * {@code int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask)}
     *
     * <p>Reads the CPU mask of thread {@code pid} (0: the calling thread). See sched_getaffinity(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int sched_getaffinity(MemorySegment callState, int pid, long cpusetsize, MemorySegment mask) {
        try {
            return (int) sched_getaffinity$h.HANDLE.invokeExact(callState, pid, cpusetsize, mask);
        } catch (Throwable t) {
            throw Native.rethrow("sched_getaffinity", t);
        }
    }

    private static final class sched_getcpu$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("sched_getcpu", DESC, false);
    }

    /**
     * {@code int sched_getcpu(void)}
     *
     * <p>The CPU the calling thread ran on when the call was made (it may have moved since). See sched_getcpu(3).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int sched_getcpu(MemorySegment callState) {
        try {
            return (int) sched_getcpu$h.HANDLE.invokeExact(callState);
        } catch (Throwable t) {
            throw Native.rethrow("sched_getcpu", t);
        }
    }
}
