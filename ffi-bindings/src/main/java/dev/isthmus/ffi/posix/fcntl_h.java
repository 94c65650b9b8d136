package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_POINTER;

/**
 * {@code <fcntl.h>}: fcntl(2), open(2) and the flags a network stack needs (non-blocking mode, close-on-exec).
 * The {@code O_*} flags are the generic ones shared by x86_64 and aarch64.
 */
@CHeader({"fcntl.h"})
public final class fcntl_h {
    private fcntl_h() {
    }

    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    /** Duplicates a descriptor onto the lowest free number at or above the argument, close-on-exec set. */
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int FD_CLOEXEC = 1;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    private static final class fcntl$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.variadicErrnoCall("fcntl", DESC, 2, false);
    }

    /**
     * {@code int fcntl(int fd, int cmd, ...)}
     *
     * <p>File-descriptor control, linked as the variadic call with one {@code int} argument (pass 0 for F_GETFL/F_GETFD: the kernel ignores it). See fcntl(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int fcntl(MemorySegment callState, int fd, int cmd, int arg) {
        try {
            return (int) fcntl$h.HANDLE.invokeExact(callState, fd, cmd, arg);
        } catch (Throwable t) {
            throw Native.rethrow("fcntl", t);
        }
    }

    private static final class open$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.variadicErrnoCall("open", DESC, 2, false);
    }

    /**
     * {@code int open(const char *pathname, int flags, ...)}
     *
     * <p>Opens a file, linked as the variadic call with one {@code mode_t} argument (ignored unless
     * {@code flags} has O_CREAT or O_TMPFILE). {@code pathname} is a NUL-terminated native string. See open(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int open(MemorySegment callState, MemorySegment pathname, int flags, int mode) {
        try {
            return (int) open$h.HANDLE.invokeExact(callState, pathname, flags, mode);
        } catch (Throwable t) {
            throw Native.rethrow("open", t);
        }
    }
}
