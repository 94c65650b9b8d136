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
 * {@code <sys/uio.h>}: vectored I/O over {@link iovec} arrays. See readv(2). Both calls come also as
 * {@code name$critical} for the non-blocking hot path (never on a blocking fd).
 */
@CHeader({"sys/uio.h", "limits.h"})
public final class uio_h {
    private uio_h() {
    }

    /** Most iovecs one readv/writev accepts ({@code UIO_MAXIOV} in the kernel); more gives EINVAL. */
    public static final int IOV_MAX = 1024;

    private static final class readv$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("readv", DESC, false);
    }

    /**
     * {@code ssize_t readv(int fd, const struct iovec *iov, int iovcnt)}
     *
     * <p>Scatter read into {@code iovcnt} {@link iovec}s (at most IOV_MAX). See readv(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static long readv(MemorySegment callState, int fd, MemorySegment iov, int iovcnt) {
        try {
            return (long) readv$h.HANDLE.invokeExact(callState, fd, iov, iovcnt);
        } catch (Throwable t) {
            throw Native.rethrow("readv", t);
        }
    }

    private static final class readv$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("readv", DESC, true);
    }

    /**
     * {@code ssize_t readv(int fd, const struct iovec *iov, int iovcnt)}
     *
     * <p>Scatter read into {@code iovcnt} {@link iovec}s (at most IOV_MAX). See readv(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static long readv$critical(MemorySegment callState, int fd, MemorySegment iov, int iovcnt) {
        try {
            return (long) readv$critical$h.HANDLE.invokeExact(callState, fd, iov, iovcnt);
        } catch (Throwable t) {
            throw Native.rethrow("readv", t);
        }
    }

    private static final class writev$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("writev", DESC, false);
    }

    /**
     * {@code ssize_t writev(int fd, const struct iovec *iov, int iovcnt)}
     *
     * <p>Gather write from {@code iovcnt} {@link iovec}s (at most IOV_MAX); a short count is not an error. See writev(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static long writev(MemorySegment callState, int fd, MemorySegment iov, int iovcnt) {
        try {
            return (long) writev$h.HANDLE.invokeExact(callState, fd, iov, iovcnt);
        } catch (Throwable t) {
            throw Native.rethrow("writev", t);
        }
    }

    private static final class writev$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("writev", DESC, true);
    }

    /**
     * {@code ssize_t writev(int fd, const struct iovec *iov, int iovcnt)}
     *
     * <p>Gather write from {@code iovcnt} {@link iovec}s (at most IOV_MAX); a short count is not an error. See writev(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static long writev$critical(MemorySegment callState, int fd, MemorySegment iov, int iovcnt) {
        try {
            return (long) writev$critical$h.HANDLE.invokeExact(callState, fd, iov, iovcnt);
        } catch (Throwable t) {
            throw Native.rethrow("writev", t);
        }
    }
}
