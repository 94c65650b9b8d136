package dev.isthmus.epoll;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.linger;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.ffi.posix.unistd_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * The socket system calls the stack makes outside the hot path, each turning a failure into an
 * {@link IOException} that names the call and errno. Every method takes the caller's scratch memory, so a
 * worker (which owns a {@link Scratch}) allocates nothing, and a setup thread uses a short-lived one.
 */
final class SocketCalls {
    private SocketCalls() {
    }

    /** Per-thread scratch memory: errno capture, an address buffer, its length, room for an option value. */
    static final class Scratch {
        final MemorySegment state;
        final MemorySegment addr;
        final MemorySegment len;
        final MemorySegment value;

        Scratch(Arena arena) {
            this.state = CallState.allocate(arena).segment();
            this.addr = arena.allocate(SocketAddresses.MAX_LENGTH, 8);
            this.len = arena.allocate(ValueLayout.JAVA_INT);
            this.value = arena.allocate(64, 8);
        }

        int errno() {
            return CallState.errno(state);
        }
    }

    /** socket(2) with SOCK_NONBLOCK|SOCK_CLOEXEC, so no fcntl is needed and no fd leaks into a child. */
    static int socket(Scratch s, int family, int type) throws IOException {
        int fd = socket_h.socket(s.state, family, type | socket_h.SOCK_NONBLOCK | socket_h.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.exception("socket", s.errno());
        }
        return fd;
    }

    static void bind(Scratch s, int fd, SocketAddress local) throws IOException {
        int len = SocketAddresses.write(local, s.addr);
        if (socket_h.bind(s.state, fd, s.addr, len) != 0) {
            throw Errno.exception("bind(" + local + ")", s.errno());
        }
    }

    static void listen(Scratch s, int fd, int backlog) throws IOException {
        if (socket_h.listen(s.state, fd, backlog) != 0) {
            throw Errno.exception("listen", s.errno());
        }
    }

    /** getsockname(2) as a Java address. */
    static SocketAddress localAddress(Scratch s, int fd) throws IOException {
        s.len.set(ValueLayout.JAVA_INT, 0, SocketAddresses.MAX_LENGTH);
        if (socket_h.getsockname(s.state, fd, s.addr, s.len) != 0) {
            throw Errno.exception("getsockname", s.errno());
        }
        return SocketAddresses.read(s.addr, s.len.get(ValueLayout.JAVA_INT, 0));
    }

    /** getpeername(2) as a Java address. */
    static SocketAddress remoteAddress(Scratch s, int fd) throws IOException {
        s.len.set(ValueLayout.JAVA_INT, 0, SocketAddresses.MAX_LENGTH);
        if (socket_h.getpeername(s.state, fd, s.addr, s.len) != 0) {
            throw Errno.exception("getpeername", s.errno());
        }
        return SocketAddresses.read(s.addr, s.len.get(ValueLayout.JAVA_INT, 0));
    }

    static void setInt(Scratch s, int fd, int level, int name, int value, String what) throws IOException {
        s.value.set(ValueLayout.JAVA_INT, 0, value);
        if (socket_h.setsockopt(s.state, fd, level, name, s.value, 4) != 0) {
            throw Errno.exception("setsockopt(" + what + ")", s.errno());
        }
    }

    static int getInt(Scratch s, int fd, int level, int name, String what) throws IOException {
        s.value.set(ValueLayout.JAVA_INT, 0, 0);
        s.len.set(ValueLayout.JAVA_INT, 0, 4);
        if (socket_h.getsockopt(s.state, fd, level, name, s.value, s.len) != 0) {
            throw Errno.exception("getsockopt(" + what + ")", s.errno());
        }
        return s.value.get(ValueLayout.JAVA_INT, 0);
    }

    /** SO_LINGER as StandardSocketOptions.SO_LINGER sees it: seconds, or -1 when off. */
    static void setLinger(Scratch s, int fd, int seconds) throws IOException {
        linger.l_onoff(s.value, seconds >= 0 ? 1 : 0);
        linger.l_linger(s.value, Math.max(0, seconds));
        if (socket_h.setsockopt(s.state, fd, socket_h.SOL_SOCKET, socket_h.SO_LINGER, s.value,
                (int) linger.sizeof()) != 0) {
            throw Errno.exception("setsockopt(SO_LINGER)", s.errno());
        }
    }

    static int getLinger(Scratch s, int fd) throws IOException {
        s.len.set(ValueLayout.JAVA_INT, 0, (int) linger.sizeof());
        if (socket_h.getsockopt(s.state, fd, socket_h.SOL_SOCKET, socket_h.SO_LINGER, s.value, s.len) != 0) {
            throw Errno.exception("getsockopt(SO_LINGER)", s.errno());
        }
        return linger.l_onoff(s.value) != 0 ? linger.l_linger(s.value) : -1;
    }

    /** The pending error of a socket (SO_ERROR), which also clears it; 0 for none. */
    static int soError(Scratch s, int fd) throws IOException {
        return getInt(s, fd, socket_h.SOL_SOCKET, socket_h.SO_ERROR, "SO_ERROR");
    }

    static void shutdown(Scratch s, int fd, int how) throws IOException {
        // ENOTCONN: the peer reset the connection meanwhile; there is nothing left to shut.
        if (socket_h.shutdown(s.state, fd, how) != 0 && s.errno() != errno_h.ENOTCONN) {
            throw Errno.exception("shutdown", s.errno());
        }
    }

    /**
     * close(2), once. EINTR is not retried: on Linux the fd is released even then (close(2), "Dealing with
     * error returns from close()"), and a retry could close a descriptor another thread just got.
     */
    static void close(MemorySegment state, int fd) throws IOException {
        if (unistd_h.close(state, fd) != 0) {
            int e = CallState.errno(state);
            if (e != errno_h.EINTR) {
                throw Errno.exception("close", e);
            }
        }
    }

    /** close(2) for cleanup paths, where a failure has nothing left to report to. */
    static void closeQuietly(MemorySegment state, int fd) {
        if (fd >= 0) {
            unistd_h.close(state, fd);
        }
    }

    /** The family for {@code socket(2)}: AF_INET/AF_INET6 for an internet address, AF_UNIX for a path. */
    static int family(SocketAddress a) {
        if (a instanceof UnixDomainSocketAddress) {
            return socket_h.AF_UNIX;
        }
        return ((InetSocketAddress) a).getAddress() instanceof java.net.Inet6Address ? socket_h.AF_INET6 : socket_h.AF_INET;
    }
}
