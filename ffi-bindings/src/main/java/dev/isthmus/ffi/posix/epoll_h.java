package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_POINTER;

/**
 * {@code <sys/epoll.h>}: epoll_create1, epoll_ctl, epoll_wait and the EPOLL* constants. See epoll(7).
 * Events are {@link epoll_event}, which is packed on x86_64 (12 bytes) and naturally aligned elsewhere.
 *
 * <p>epoll_ctl comes also as {@code epoll_ctl$critical}; epoll_wait never does, because it blocks and a
 * critical call must not (it would stall the JVM's safepoints for as long as it sleeps).
 */
@CHeader({"sys/epoll.h"})
public final class epoll_h {
    private epoll_h() {
    }

    public static final int EPOLL_CLOEXEC = 0x80000;

    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;

    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDNORM = 0x040;
    public static final int EPOLLRDBAND = 0x080;
    public static final int EPOLLWRNORM = 0x100;
    public static final int EPOLLWRBAND = 0x200;
    public static final int EPOLLMSG = 0x400;
    /** The peer shut down its writing side (Linux 2.6.17); saves a read(2) returning 0. */
    public static final int EPOLLRDHUP = 0x2000;
    /** Wake only one of several epoll instances waiting on the same fd (Linux 4.5); EPOLL_CTL_ADD only. */
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLWAKEUP = 1 << 29;
    /** Disarm after one event; re-arm with EPOLL_CTL_MOD. */
    public static final int EPOLLONESHOT = 1 << 30;
    /** Edge-triggered (bit 31: negative as a Java int, {@code 1u << 31} in C). */
    public static final int EPOLLET = 1 << 31;

    private static final class epoll_create1$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("epoll_create1", DESC, false);
    }

    /**
     * {@code int epoll_create1(int flags)}
     *
     * <p>Creates an epoll instance; pass EPOLL_CLOEXEC. See epoll_create1(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int epoll_create1(MemorySegment callState, int flags) {
        try {
            return (int) epoll_create1$h.HANDLE.invokeExact(callState, flags);
        } catch (Throwable t) {
            throw Native.rethrow("epoll_create1", t);
        }
    }

    private static final class epoll_ctl$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("epoll_ctl", DESC, false);
    }

    /**
     * {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)}
     *
     * <p>Adds, modifies or removes {@code fd}'s interest; {@code event} may be NULL for EPOLL_CTL_DEL. See epoll_ctl(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int epoll_ctl(MemorySegment callState, int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) epoll_ctl$h.HANDLE.invokeExact(callState, epfd, op, fd, event);
        } catch (Throwable t) {
            throw Native.rethrow("epoll_ctl", t);
        }
    }

    private static final class epoll_ctl$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("epoll_ctl", DESC, true);
    }

    /**
     * {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)}
     *
     * <p>Adds, modifies or removes {@code fd}'s interest; {@code event} may be NULL for EPOLL_CTL_DEL. See epoll_ctl(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static int epoll_ctl$critical(MemorySegment callState, int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) epoll_ctl$critical$h.HANDLE.invokeExact(callState, epfd, op, fd, event);
        } catch (Throwable t) {
            throw Native.rethrow("epoll_ctl", t);
        }
    }

    private static final class epoll_wait$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("epoll_wait", DESC, false);
    }

    /**
     * {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)}
     *
     * <p>Waits up to {@code timeout} ms (-1: forever, 0: poll) for events. Deliberately has no critical variant: it may block. See epoll_wait(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int epoll_wait(MemorySegment callState, int epfd, MemorySegment events, int maxevents, int timeout) {
        try {
            return (int) epoll_wait$h.HANDLE.invokeExact(callState, epfd, events, maxevents, timeout);
        } catch (Throwable t) {
            throw Native.rethrow("epoll_wait", t);
        }
    }
}
