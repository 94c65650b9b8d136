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
 * {@code <sys/eventfd.h>}: an 8-byte counter as a file descriptor, the way a worker is woken from
 * another thread. See eventfd(2). eventfd_read/eventfd_write come also as {@code name$critical} for
 * an EFD_NONBLOCK fd.
 */
@CHeader({"sys/eventfd.h"})
public final class eventfd_h {
    private eventfd_h() {
    }

    /** read(2) decrements by one instead of resetting to zero. */
    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;

    private static final class eventfd$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("eventfd", DESC, false);
    }

    /**
     * {@code int eventfd(unsigned int initval, int flags)}
     *
     * <p>Creates an eventfd counter; flags take EFD_NONBLOCK, EFD_CLOEXEC, EFD_SEMAPHORE. See eventfd(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int eventfd(MemorySegment callState, int initval, int flags) {
        try {
            return (int) eventfd$h.HANDLE.invokeExact(callState, initval, flags);
        } catch (Throwable t) {
            throw Native.rethrow("eventfd", t);
        }
    }

    private static final class eventfd_read$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("eventfd_read", DESC, false);
    }

    /**
     * {@code int eventfd_read(int fd, eventfd_t *value)}
     *
     * <p>Reads (and resets, unless EFD_SEMAPHORE) the counter into the 8-byte {@code value}; glibc's wrapper over an 8-byte read(2). See eventfd(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int eventfd_read(MemorySegment callState, int fd, MemorySegment value) {
        try {
            return (int) eventfd_read$h.HANDLE.invokeExact(callState, fd, value);
        } catch (Throwable t) {
            throw Native.rethrow("eventfd_read", t);
        }
    }

    private static final class eventfd_read$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("eventfd_read", DESC, true);
    }

    /**
     * {@code int eventfd_read(int fd, eventfd_t *value)}
     *
     * <p>Reads (and resets, unless EFD_SEMAPHORE) the counter into the 8-byte {@code value}; glibc's wrapper over an 8-byte read(2). See eventfd(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static int eventfd_read$critical(MemorySegment callState, int fd, MemorySegment value) {
        try {
            return (int) eventfd_read$critical$h.HANDLE.invokeExact(callState, fd, value);
        } catch (Throwable t) {
            throw Native.rethrow("eventfd_read", t);
        }
    }

    private static final class eventfd_write$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_LONG);
        static final MethodHandle HANDLE = Native.errnoCall("eventfd_write", DESC, false);
    }

    /**
     * {@code int eventfd_write(int fd, eventfd_t value)}
     *
     * <p>Adds {@code value} to the counter, waking pollers; glibc's wrapper over an 8-byte write(2). See eventfd(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int eventfd_write(MemorySegment callState, int fd, long value) {
        try {
            return (int) eventfd_write$h.HANDLE.invokeExact(callState, fd, value);
        } catch (Throwable t) {
            throw Native.rethrow("eventfd_write", t);
        }
    }

    private static final class eventfd_write$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_LONG);
        static final MethodHandle HANDLE = Native.errnoCall("eventfd_write", DESC, true);
    }

    /**
     * {@code int eventfd_write(int fd, eventfd_t value)}
     *
     * <p>Adds {@code value} to the counter, waking pollers; glibc's wrapper over an 8-byte write(2). See eventfd(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static int eventfd_write$critical(MemorySegment callState, int fd, long value) {
        try {
            return (int) eventfd_write$critical$h.HANDLE.invokeExact(callState, fd, value);
        } catch (Throwable t) {
            throw Native.rethrow("eventfd_write", t);
        }
    }
}
