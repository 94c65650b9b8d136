package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_POINTER;

/**
 * {@code <sys/timerfd.h>}: timers that deliver expirations through a file descriptor (an 8-byte
 * expiration count on read). See timerfd_create(2). Times are {@link itimerspec}.
 */
@CHeader({"sys/timerfd.h"})
public final class timerfd_h {
    private timerfd_h() {
    }

    public static final int TFD_CLOEXEC = 0x80000;
    public static final int TFD_NONBLOCK = 0x800;
    /** timerfd_settime: {@code it_value} is an absolute time on the timer's clock. */
    public static final int TFD_TIMER_ABSTIME = 1;
    public static final int TFD_TIMER_CANCEL_ON_SET = 2;

    private static final class timerfd_create$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("timerfd_create", DESC, false);
    }

    /**
     * {@code int timerfd_create(int clockid, int flags)}
     *
     * <p>Creates a timer fd on {@code clockid} (CLOCK_MONOTONIC, ...); flags take TFD_NONBLOCK and TFD_CLOEXEC. See timerfd_create(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int timerfd_create(MemorySegment callState, int clockid, int flags) {
        try {
            return (int) timerfd_create$h.HANDLE.invokeExact(callState, clockid, flags);
        } catch (Throwable t) {
            throw Native.rethrow("timerfd_create", t);
        }
    }

    private static final class timerfd_settime$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("timerfd_settime", DESC, false);
    }

    /**
     * {@code int timerfd_settime(int fd, int flags, const struct itimerspec *new_value, struct itimerspec *old_value)}
     *
     * <p>Arms ({@code it_value} non-zero) or disarms the timer; {@code old_value} may be NULL. See timerfd_settime(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int timerfd_settime(MemorySegment callState, int fd, int flags, MemorySegment new_value, MemorySegment old_value) {
        try {
            return (int) timerfd_settime$h.HANDLE.invokeExact(callState, fd, flags, new_value, old_value);
        } catch (Throwable t) {
            throw Native.rethrow("timerfd_settime", t);
        }
    }

    private static final class timerfd_gettime$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("timerfd_gettime", DESC, false);
    }

    /**
     * {@code int timerfd_gettime(int fd, struct itimerspec *curr_value)}
     *
     * <p>Reads the time left and the interval. See timerfd_gettime(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int timerfd_gettime(MemorySegment callState, int fd, MemorySegment curr_value) {
        try {
            return (int) timerfd_gettime$h.HANDLE.invokeExact(callState, fd, curr_value);
        } catch (Throwable t) {
            throw Native.rethrow("timerfd_gettime", t);
        }
    }
}
