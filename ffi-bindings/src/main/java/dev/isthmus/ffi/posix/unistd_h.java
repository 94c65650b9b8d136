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
 * {@code <unistd.h>}: close, read, write, pipe2 and dup2. See close(2), read(2), write(2), pipe2(2), dup(2).
 * read/write/close come also as {@code name$critical} for the non-blocking hot path (never on a
 * blocking fd). pipe2 is a GNU extension ({@code _GNU_SOURCE}).
 */
@CHeader({"unistd.h"})
public final class unistd_h {
    private unistd_h() {
    }

    private static final class close$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("close", DESC, false);
    }

    /**
     * {@code int close(int fd)}
     *
     * <p>Closes a descriptor. Do not retry on EINTR: on Linux the fd is released either way. See close(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int close(MemorySegment callState, int fd) {
        try {
            return (int) close$h.HANDLE.invokeExact(callState, fd);
        } catch (Throwable t) {
            throw Native.rethrow("close", t);
        }
    }

    private static final class dup2$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("dup2", DESC, false);
    }

    /**
     * {@code int dup2(int oldfd, int newfd)}
     *
     * <p>Makes {@code newfd} a copy of {@code oldfd}, closing what {@code newfd} referred to first, atomically.
     * See dup(2). Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int dup2(MemorySegment callState, int oldfd, int newfd) {
        try {
            return (int) dup2$h.HANDLE.invokeExact(callState, oldfd, newfd);
        } catch (Throwable t) {
            throw Native.rethrow("dup2", t);
        }
    }

    private static final class close$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("close", DESC, true);
    }

    /**
     * {@code int close(int fd)}
     *
     * <p>Closes a descriptor. Do not retry on EINTR: on Linux the fd is released either way. See close(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted. Not for a socket with SO_LINGER set: that close may block.
     */
    public static int close$critical(MemorySegment callState, int fd) {
        try {
            return (int) close$critical$h.HANDLE.invokeExact(callState, fd);
        } catch (Throwable t) {
            throw Native.rethrow("close", t);
        }
    }

    private static final class read$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Native.errnoCall("read", DESC, false);
    }

    /**
     * {@code ssize_t read(int fd, void *buf, size_t count)}
     *
     * <p>Reads up to {@code count} bytes; 0 is end of file. See read(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static long read(MemorySegment callState, int fd, MemorySegment buf, long count) {
        try {
            return (long) read$h.HANDLE.invokeExact(callState, fd, buf, count);
        } catch (Throwable t) {
            throw Native.rethrow("read", t);
        }
    }

    private static final class read$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Native.errnoCall("read", DESC, true);
    }

    /**
     * {@code ssize_t read(int fd, void *buf, size_t count)}
     *
     * <p>Reads up to {@code count} bytes; 0 is end of file. See read(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static long read$critical(MemorySegment callState, int fd, MemorySegment buf, long count) {
        try {
            return (long) read$critical$h.HANDLE.invokeExact(callState, fd, buf, count);
        } catch (Throwable t) {
            throw Native.rethrow("read", t);
        }
    }

    private static final class write$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Native.errnoCall("write", DESC, false);
    }

    /**
     * {@code ssize_t write(int fd, const void *buf, size_t count)}
     *
     * <p>Writes up to {@code count} bytes; a short count is not an error. See write(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static long write(MemorySegment callState, int fd, MemorySegment buf, long count) {
        try {
            return (long) write$h.HANDLE.invokeExact(callState, fd, buf, count);
        } catch (Throwable t) {
            throw Native.rethrow("write", t);
        }
    }

    private static final class write$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Native.errnoCall("write", DESC, true);
    }

    /**
     * {@code ssize_t write(int fd, const void *buf, size_t count)}
     *
     * <p>Writes up to {@code count} bytes; a short count is not an error. See write(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static long write$critical(MemorySegment callState, int fd, MemorySegment buf, long count) {
        try {
            return (long) write$critical$h.HANDLE.invokeExact(callState, fd, buf, count);
        } catch (Throwable t) {
            throw Native.rethrow("write", t);
        }
    }

    private static final class pipe2$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("pipe2", DESC, false);
    }

    /**
     * {@code int pipe2(int pipefd[2], int flags)}
     *
     * <p>Creates a pipe; {@code pipefd} is two C ints (read end, write end); flags take O_NONBLOCK and O_CLOEXEC. See pipe2(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int pipe2(MemorySegment callState, MemorySegment pipefd, int flags) {
        try {
            return (int) pipe2$h.HANDLE.invokeExact(callState, pipefd, flags);
        } catch (Throwable t) {
            throw Native.rethrow("pipe2", t);
        }
    }
}
