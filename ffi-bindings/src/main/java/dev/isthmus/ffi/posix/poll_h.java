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
 * {@code <poll.h>}: wait for one of a few descriptors to become ready. See poll(2). Used where a thread
 * waits on a socket and a wake-up eventfd at once (a blocking channel call that close or interrupt must end);
 * a poller of many descriptors uses epoll instead.
 */
@CHeader({"poll.h"})
public final class poll_h {
    private poll_h() {
    }

    public static final int POLLIN = 0x001;
    public static final int POLLPRI = 0x002;
    public static final int POLLOUT = 0x004;
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLNVAL = 0x020;
    /** Peer closed its writing half (since Linux 2.6.17, needs _GNU_SOURCE). */
    public static final int POLLRDHUP = 0x2000;

    private static final class poll$h {
        // nfds_t is unsigned long on Linux.
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("poll", DESC, false);
    }

    /**
     * {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}
     *
     * <p>Blocks up to {@code timeout} ms (-1: no limit, 0: return at once) until a descriptor in {@code fds}
     * has an event; returns how many have a non-zero {@code revents}, 0 on time-out. See poll(2).
     * Returns -1 and sets errno in {@code callState} on failure (EINTR if a signal arrived).
     */
    public static int poll(MemorySegment callState, MemorySegment fds, long nfds, int timeout) {
        try {
            return (int) poll$h.HANDLE.invokeExact(callState, fds, nfds, timeout);
        } catch (Throwable t) {
            throw Native.rethrow("poll", t);
        }
    }
}
