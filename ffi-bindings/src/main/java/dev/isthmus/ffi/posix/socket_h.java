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
 * {@code <sys/socket.h>}: the BSD socket calls and their constants, as glibc 2.36 and the Linux UAPI
 * ({@code asm-generic/socket.h}, shared by x86_64 and aarch64) declare them. See socket(2), socket(7).
 *
 * <p>Every call that can fail takes the {@link dev.isthmus.ffi.CallState} segment first and returns -1
 * with errno captured there. Calls made on the non-blocking hot path also come as {@code name$critical},
 * linked with {@code Linker.Option.critical(false)}; those must never be used on a blocking fd.
 * {@code accept4}, {@code recvmmsg} and {@code sendmmsg} are GNU extensions ({@code _GNU_SOURCE}).
 */
@CHeader({"sys/socket.h"})
public final class socket_h {
    private socket_h() {
    }

    // Address families (bits/socket.h).
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_LOCAL = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;

    // Socket types (bits/socket_type.h); SOCK_NONBLOCK and SOCK_CLOEXEC are or-ed into the type.
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    /** Upper bound glibc advertises for listen(2)'s backlog (the kernel's default somaxconn since 5.4). */
    public static final int SOMAXCONN = 4096;

    // shutdown(2) directions.
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    // Socket-level options (asm-generic/socket.h); see socket(7).
    public static final int SOL_SOCKET = 1;
    public static final int SO_DEBUG = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    /** Pending error, cleared on read; how a non-blocking connect reports its outcome. */
    public static final int SO_ERROR = 4;
    public static final int SO_DONTROUTE = 5;
    public static final int SO_BROADCAST = 6;
    /** The kernel doubles the value set and reports the doubled value (socket(7)). */
    public static final int SO_SNDBUF = 7;
    /** The kernel doubles the value set and reports the doubled value (socket(7)). */
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_PRIORITY = 12;
    /** Takes a {@link linger} struct. */
    public static final int SO_LINGER = 13;
    /** Lets several sockets bind the same address; the kernel hashes flows across them (Linux 3.9). */
    public static final int SO_REUSEPORT = 15;
    public static final int SO_PASSCRED = 16;
    public static final int SO_PEERCRED = 17;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_SNDLOWAT = 19;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_MARK = 36;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_DOMAIN = 39;
    /** Microseconds to busy-poll the device queue on a blocking read (Linux 3.11). */
    public static final int SO_BUSY_POLL = 46;
    /** Read-only since it is set by the kernel: the CPU that handled the last packet (Linux 3.19); settable as a hint. */
    public static final int SO_INCOMING_CPU = 49;
    public static final int SO_INCOMING_NAPI_ID = 56;
    /** Allows MSG_ZEROCOPY sends (Linux 4.14); completions arrive on the error queue. */
    public static final int SO_ZEROCOPY = 60;
    public static final int SO_PREFER_BUSY_POLL = 69;
    public static final int SO_BUSY_POLL_BUDGET = 70;

    // Ancillary data types.
    public static final int SCM_RIGHTS = 1;
    public static final int SCM_CREDENTIALS = 2;

    // Message flags (bits/socket.h); see send(2), recv(2).
    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_DONTROUTE = 0x4;
    public static final int MSG_CTRUNC = 0x8;
    /** recv: return the real length of a datagram that did not fit; as an output flag, it was cut. */
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_EOR = 0x80;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_CONFIRM = 0x800;
    /** Read the socket's error queue (MSG_ZEROCOPY completions, ICMP errors). */
    public static final int MSG_ERRQUEUE = 0x2000;
    /** Do not raise SIGPIPE on a stream whose peer is gone; return EPIPE instead. */
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;
    /** recvmmsg: block only until the first datagram, then take what is queued (Linux 2.6.34). */
    public static final int MSG_WAITFORONE = 0x10000;
    public static final int MSG_FASTOPEN = 0x20000000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** Send without copying; needs SO_ZEROCOPY (Linux 4.14, TCP; UDP since 5.0). */
    public static final int MSG_ZEROCOPY = 0x4000000;

    private static final class socket$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("socket", DESC, false);
    }

    /**
     * {@code int socket(int domain, int type, int protocol)}
     *
     * <p>Creates an endpoint; pass SOCK_NONBLOCK and SOCK_CLOEXEC in {@code type} to avoid two fcntl calls. See socket(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int socket(MemorySegment callState, int domain, int type, int protocol) {
        try {
            return (int) socket$h.HANDLE.invokeExact(callState, domain, type, protocol);
        } catch (Throwable t) {
            throw Native.rethrow("socket", t);
        }
    }

    private static final class socketpair$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("socketpair", DESC, false);
    }

    /**
     * {@code int socketpair(int domain, int type, int protocol, int sv[2])}
     *
     * <p>Creates a connected pair; {@code sv} is two C ints. See socketpair(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int socketpair(MemorySegment callState, int domain, int type, int protocol, MemorySegment sv) {
        try {
            return (int) socketpair$h.HANDLE.invokeExact(callState, domain, type, protocol, sv);
        } catch (Throwable t) {
            throw Native.rethrow("socketpair", t);
        }
    }

    private static final class bind$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("bind", DESC, false);
    }

    /**
     * {@code int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}
     *
     * <p>Binds a local address. See bind(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int bind(MemorySegment callState, int sockfd, MemorySegment addr, int addrlen) {
        try {
            return (int) bind$h.HANDLE.invokeExact(callState, sockfd, addr, addrlen);
        } catch (Throwable t) {
            throw Native.rethrow("bind", t);
        }
    }

    private static final class listen$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("listen", DESC, false);
    }

    /**
     * {@code int listen(int sockfd, int backlog)}
     *
     * <p>Marks a socket as passive; the kernel caps the backlog at net.core.somaxconn. See listen(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int listen(MemorySegment callState, int sockfd, int backlog) {
        try {
            return (int) listen$h.HANDLE.invokeExact(callState, sockfd, backlog);
        } catch (Throwable t) {
            throw Native.rethrow("listen", t);
        }
    }

    private static final class accept4$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("accept4", DESC, false);
    }

    /**
     * {@code int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags)}
     *
     * <p>Accepts a connection; {@code addr}/{@code addrlen} may be NULL, {@code flags} takes SOCK_NONBLOCK and SOCK_CLOEXEC. See accept4(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int accept4(MemorySegment callState, int sockfd, MemorySegment addr, MemorySegment addrlen, int flags) {
        try {
            return (int) accept4$h.HANDLE.invokeExact(callState, sockfd, addr, addrlen, flags);
        } catch (Throwable t) {
            throw Native.rethrow("accept4", t);
        }
    }

    private static final class accept4$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("accept4", DESC, true);
    }

    /**
     * {@code int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags)}
     *
     * <p>Accepts a connection; {@code addr}/{@code addrlen} may be NULL, {@code flags} takes SOCK_NONBLOCK and SOCK_CLOEXEC. See accept4(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static int accept4$critical(MemorySegment callState, int sockfd, MemorySegment addr, MemorySegment addrlen, int flags) {
        try {
            return (int) accept4$critical$h.HANDLE.invokeExact(callState, sockfd, addr, addrlen, flags);
        } catch (Throwable t) {
            throw Native.rethrow("accept4", t);
        }
    }

    private static final class connect$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("connect", DESC, false);
    }

    /**
     * {@code int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}
     *
     * <p>Connects; on a non-blocking socket EINPROGRESS means wait for EPOLLOUT, then read SO_ERROR. See connect(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int connect(MemorySegment callState, int sockfd, MemorySegment addr, int addrlen) {
        try {
            return (int) connect$h.HANDLE.invokeExact(callState, sockfd, addr, addrlen);
        } catch (Throwable t) {
            throw Native.rethrow("connect", t);
        }
    }

    private static final class getsockname$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("getsockname", DESC, false);
    }

    /**
     * {@code int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen)}
     *
     * <p>The local address; {@code addrlen} is in/out. See getsockname(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int getsockname(MemorySegment callState, int sockfd, MemorySegment addr, MemorySegment addrlen) {
        try {
            return (int) getsockname$h.HANDLE.invokeExact(callState, sockfd, addr, addrlen);
        } catch (Throwable t) {
            throw Native.rethrow("getsockname", t);
        }
    }

    private static final class getpeername$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("getpeername", DESC, false);
    }

    /**
     * {@code int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen)}
     *
     * <p>The peer's address; {@code addrlen} is in/out. See getpeername(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int getpeername(MemorySegment callState, int sockfd, MemorySegment addr, MemorySegment addrlen) {
        try {
            return (int) getpeername$h.HANDLE.invokeExact(callState, sockfd, addr, addrlen);
        } catch (Throwable t) {
            throw Native.rethrow("getpeername", t);
        }
    }

    private static final class shutdown$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("shutdown", DESC, false);
    }

    /**
     * {@code int shutdown(int sockfd, int how)}
     *
     * <p>Shuts down one or both directions (SHUT_RD, SHUT_WR, SHUT_RDWR). See shutdown(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int shutdown(MemorySegment callState, int sockfd, int how) {
        try {
            return (int) shutdown$h.HANDLE.invokeExact(callState, sockfd, how);
        } catch (Throwable t) {
            throw Native.rethrow("shutdown", t);
        }
    }

    private static final class setsockopt$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("setsockopt", DESC, false);
    }

    /**
     * {@code int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)}
     *
     * <p>Sets a socket option. See setsockopt(2), socket(7), tcp(7).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int setsockopt(MemorySegment callState, int sockfd, int level, int optname, MemorySegment optval, int optlen) {
        try {
            return (int) setsockopt$h.HANDLE.invokeExact(callState, sockfd, level, optname, optval, optlen);
        } catch (Throwable t) {
            throw Native.rethrow("setsockopt", t);
        }
    }

    private static final class getsockopt$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("getsockopt", DESC, false);
    }

    /**
     * {@code int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen)}
     *
     * <p>Reads a socket option; {@code optlen} is in/out. See getsockopt(2), socket(7), tcp(7).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int getsockopt(MemorySegment callState, int sockfd, int level, int optname, MemorySegment optval, MemorySegment optlen) {
        try {
            return (int) getsockopt$h.HANDLE.invokeExact(callState, sockfd, level, optname, optval, optlen);
        } catch (Throwable t) {
            throw Native.rethrow("getsockopt", t);
        }
    }

    private static final class recv$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("recv", DESC, false);
    }

    /**
     * {@code ssize_t recv(int sockfd, void *buf, size_t len, int flags)}
     *
     * <p>Receives into {@code buf}; 0 means the peer shut down its side. See recv(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static long recv(MemorySegment callState, int sockfd, MemorySegment buf, long len, int flags) {
        try {
            return (long) recv$h.HANDLE.invokeExact(callState, sockfd, buf, len, flags);
        } catch (Throwable t) {
            throw Native.rethrow("recv", t);
        }
    }

    private static final class recv$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("recv", DESC, true);
    }

    /**
     * {@code ssize_t recv(int sockfd, void *buf, size_t len, int flags)}
     *
     * <p>Receives into {@code buf}; 0 means the peer shut down its side. See recv(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static long recv$critical(MemorySegment callState, int sockfd, MemorySegment buf, long len, int flags) {
        try {
            return (long) recv$critical$h.HANDLE.invokeExact(callState, sockfd, buf, len, flags);
        } catch (Throwable t) {
            throw Native.rethrow("recv", t);
        }
    }

    private static final class send$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("send", DESC, false);
    }

    /**
     * {@code ssize_t send(int sockfd, const void *buf, size_t len, int flags)}
     *
     * <p>Sends from {@code buf}; pass MSG_NOSIGNAL so a closed peer gives EPIPE, not SIGPIPE. See send(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static long send(MemorySegment callState, int sockfd, MemorySegment buf, long len, int flags) {
        try {
            return (long) send$h.HANDLE.invokeExact(callState, sockfd, buf, len, flags);
        } catch (Throwable t) {
            throw Native.rethrow("send", t);
        }
    }

    private static final class send$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("send", DESC, true);
    }

    /**
     * {@code ssize_t send(int sockfd, const void *buf, size_t len, int flags)}
     *
     * <p>Sends from {@code buf}; pass MSG_NOSIGNAL so a closed peer gives EPIPE, not SIGPIPE. See send(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static long send$critical(MemorySegment callState, int sockfd, MemorySegment buf, long len, int flags) {
        try {
            return (long) send$critical$h.HANDLE.invokeExact(callState, sockfd, buf, len, flags);
        } catch (Throwable t) {
            throw Native.rethrow("send", t);
        }
    }

    private static final class recvmsg$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("recvmsg", DESC, false);
    }

    /**
     * {@code ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)}
     *
     * <p>Scatter receive with address and ancillary data. See recvmsg(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static long recvmsg(MemorySegment callState, int sockfd, MemorySegment msg, int flags) {
        try {
            return (long) recvmsg$h.HANDLE.invokeExact(callState, sockfd, msg, flags);
        } catch (Throwable t) {
            throw Native.rethrow("recvmsg", t);
        }
    }

    private static final class recvmsg$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("recvmsg", DESC, true);
    }

    /**
     * {@code ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)}
     *
     * <p>Scatter receive with address and ancillary data. See recvmsg(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static long recvmsg$critical(MemorySegment callState, int sockfd, MemorySegment msg, int flags) {
        try {
            return (long) recvmsg$critical$h.HANDLE.invokeExact(callState, sockfd, msg, flags);
        } catch (Throwable t) {
            throw Native.rethrow("recvmsg", t);
        }
    }

    private static final class sendmsg$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("sendmsg", DESC, false);
    }

    /**
     * {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)}
     *
     * <p>Gather send with address and ancillary data. See sendmsg(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static long sendmsg(MemorySegment callState, int sockfd, MemorySegment msg, int flags) {
        try {
            return (long) sendmsg$h.HANDLE.invokeExact(callState, sockfd, msg, flags);
        } catch (Throwable t) {
            throw Native.rethrow("sendmsg", t);
        }
    }

    private static final class sendmsg$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("sendmsg", DESC, true);
    }

    /**
     * {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)}
     *
     * <p>Gather send with address and ancillary data. See sendmsg(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static long sendmsg$critical(MemorySegment callState, int sockfd, MemorySegment msg, int flags) {
        try {
            return (long) sendmsg$critical$h.HANDLE.invokeExact(callState, sockfd, msg, flags);
        } catch (Throwable t) {
            throw Native.rethrow("sendmsg", t);
        }
    }

    private static final class recvmmsg$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("recvmmsg", DESC, false);
    }

    /**
     * {@code int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout)}
     *
     * <p>Receives up to {@code vlen} datagrams; each {@code msg_len} is set. Pass NULL {@code timeout} (it is only checked after a datagram arrives, see BUGS in the man page). See recvmmsg(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int recvmmsg(MemorySegment callState, int sockfd, MemorySegment msgvec, int vlen, int flags, MemorySegment timeout) {
        try {
            return (int) recvmmsg$h.HANDLE.invokeExact(callState, sockfd, msgvec, vlen, flags, timeout);
        } catch (Throwable t) {
            throw Native.rethrow("recvmmsg", t);
        }
    }

    private static final class recvmmsg$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("recvmmsg", DESC, true);
    }

    /**
     * {@code int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout)}
     *
     * <p>Receives up to {@code vlen} datagrams; each {@code msg_len} is set. Pass NULL {@code timeout} (it is only checked after a datagram arrives, see BUGS in the man page). See recvmmsg(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static int recvmmsg$critical(MemorySegment callState, int sockfd, MemorySegment msgvec, int vlen, int flags, MemorySegment timeout) {
        try {
            return (int) recvmmsg$critical$h.HANDLE.invokeExact(callState, sockfd, msgvec, vlen, flags, timeout);
        } catch (Throwable t) {
            throw Native.rethrow("recvmmsg", t);
        }
    }

    private static final class sendmmsg$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("sendmmsg", DESC, false);
    }

    /**
     * {@code int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags)}
     *
     * <p>Sends up to {@code vlen} messages; returns how many were sent. See sendmmsg(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int sendmmsg(MemorySegment callState, int sockfd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) sendmmsg$h.HANDLE.invokeExact(callState, sockfd, msgvec, vlen, flags);
        } catch (Throwable t) {
            throw Native.rethrow("sendmmsg", t);
        }
    }

    private static final class sendmmsg$critical$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.errnoCall("sendmmsg", DESC, true);
    }

    /**
     * {@code int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags)}
     *
     * <p>Sends up to {@code vlen} messages; returns how many were sent. See sendmmsg(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     *
     * <p>Critical variant (linked with {@code Linker.Option.critical(false)}): no thread-state transition, for the non-blocking hot path only. Never call it on a blocking fd; heap segments are not accepted.
     */
    public static int sendmmsg$critical(MemorySegment callState, int sockfd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) sendmmsg$critical$h.HANDLE.invokeExact(callState, sockfd, msgvec, vlen, flags);
        } catch (Throwable t) {
            throw Native.rethrow("sendmmsg", t);
        }
    }
}
