package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_POINTER;

/**
 * {@code <time.h>}: the clock ids timerfd_create(2) and clock_gettime(2) take, and clock_gettime.
 * See clock_gettime(2).
 */
@CHeader({"time.h"})
public final class time_h {
    private time_h() {
    }

    public static final int CLOCK_REALTIME = 0;
    /** Not affected by jumps of the wall clock; the clock for timeouts. */
    public static final int CLOCK_MONOTONIC = 1;
    public static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    public static final int CLOCK_THREAD_CPUTIME_ID = 3;
    public static final int CLOCK_MONOTONIC_RAW = 4;
    public static final int CLOCK_REALTIME_COARSE = 5;
    public static final int CLOCK_MONOTONIC_COARSE = 6;
    /** Like CLOCK_MONOTONIC but counts time suspended. */
    public static final int CLOCK_BOOTTIME = 7;

    private static final class clock_gettime$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("clock_gettime", DESC, false);
    }

    /**
     * {@code int clock_gettime(clockid_t clockid, struct timespec *tp)}
     *
     * <p>Reads a clock into a {@link timespec}. See clock_gettime(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int clock_gettime(MemorySegment callState, int clockid, MemorySegment tp) {
        try {
            return (int) clock_gettime$h.HANDLE.invokeExact(callState, clockid, tp);
        } catch (Throwable t) {
            throw Native.rethrow("clock_gettime", t);
        }
    }
}
