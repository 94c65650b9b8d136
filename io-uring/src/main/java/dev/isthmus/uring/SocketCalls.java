package dev.isthmus.uring;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.in_h;
import dev.isthmus.ffi.posix.linger;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.ffi.posix.tcp_h;
import dev.isthmus.ffi.posix.unistd_h;
import dev.isthmus.stack.IsthmusSocketOptions;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;

/**
 * The synchronous socket calls the stack makes outside the ring: socket(2), bind(2), listen(2),
 * getsockname(2)/getpeername(2), shutdown(2), close(2) and setsockopt(2)/getsockopt(2), with the
 * {@link SocketOption}s of the public API mapped to their level and name (socket(7), tcp(7), ip(7)).
 * Rare calls (per connection, never per request); the temporary memory is call-scoped.
 */
final class SocketCalls {
    private SocketCalls() {
    }

    /** socket(2), non-blocking and close-on-exec. */
    static int socket(CallState st, int family, int type) throws IOException {
        int fd = socket_h.socket(st.segment(), family, type | socket_h.SOCK_NONBLOCK | socket_h.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.exception("socket", st.errno());
        }
        return fd;
    }

    static void bind(CallState st, int fd, SocketAddress local) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SocketAddresses.MAX_LENGTH, 8);
            int len = SocketAddresses.write(local, sa);
            if (socket_h.bind(st.segment(), fd, sa, len) < 0) {
                throw Errno.exception("bind(" + local + ")", st.errno());
            }
        }
    }

    /** bind(2) returning the errno instead of throwing (port search). */
    static int tryBind(CallState st, int fd, SocketAddress local) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SocketAddresses.MAX_LENGTH, 8);
            int len = SocketAddresses.write(local, sa);
            return socket_h.bind(st.segment(), fd, sa, len) < 0 ? st.errno() : 0;
        }
    }

    static void listen(CallState st, int fd, int backlog) throws IOException {
        if (socket_h.listen(st.segment(), fd, backlog) < 0) {
            throw Errno.exception("listen", st.errno());
        }
    }

    static SocketAddress localAddress(CallState st, int fd) throws IOException {
        return name(st, fd, true);
    }

    static SocketAddress remoteAddress(CallState st, int fd) throws IOException {
        return name(st, fd, false);
    }

    private static SocketAddress name(CallState st, int fd, boolean local) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SocketAddresses.MAX_LENGTH, 8);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, SocketAddresses.MAX_LENGTH);
            int r = local ? socket_h.getsockname(st.segment(), fd, sa, len) : socket_h.getpeername(st.segment(), fd, sa, len);
            if (r < 0) {
                throw Errno.exception(local ? "getsockname" : "getpeername", st.errno());
            }
            return SocketAddresses.read(sa, len.get(ValueLayout.JAVA_INT, 0));
        }
    }

    static void shutdown(CallState st, int fd, int how) throws IOException {
        if (socket_h.shutdown(st.segment(), fd, how) < 0 && st.errno() != errno_h.ENOTCONN) {
            throw Errno.exception("shutdown", st.errno());
        }
    }

    /** close(2); EINTR still closes the fd on Linux, so nothing is retried. */
    static void close(CallState st, int fd) {
        unistd_h.close(st.segment(), fd);
    }

    static void setInt(CallState st, int fd, int level, int name, int value, String what) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            v.set(ValueLayout.JAVA_INT, 0, value);
            if (socket_h.setsockopt(st.segment(), fd, level, name, v, 4) < 0) {
                throw Errno.exception("setsockopt(" + what + ")", st.errno());
            }
        }
    }

    static int getInt(CallState st, int fd, int level, int name, String what) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 4);
            if (socket_h.getsockopt(st.segment(), fd, level, name, v, len) < 0) {
                throw Errno.exception("getsockopt(" + what + ")", st.errno());
            }
            return v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** SO_LINGER {on, seconds}; {@code seconds < 0} turns lingering off. With 0, close(2) sends RST. */
    static void setLinger(CallState st, int fd, int seconds) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment l = linger.allocate(a);
            linger.l_onoff(l, seconds >= 0 ? 1 : 0);
            linger.l_linger(l, Math.max(0, seconds));
            if (socket_h.setsockopt(st.segment(), fd, socket_h.SOL_SOCKET, socket_h.SO_LINGER, l, (int) linger.sizeof()) < 0) {
                throw Errno.exception("setsockopt(SO_LINGER)", st.errno());
            }
        }
    }

    static int getLinger(CallState st, int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment l = linger.allocate(a);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, (int) linger.sizeof());
            if (socket_h.getsockopt(st.segment(), fd, socket_h.SOL_SOCKET, socket_h.SO_LINGER, l, len) < 0) {
                throw Errno.exception("getsockopt(SO_LINGER)", st.errno());
            }
            return linger.l_onoff(l) != 0 ? linger.l_linger(l) : -1;
        }
    }

    /** {level, name} for an int- or boolean-valued option, or null if it is not one we know. */
    private static int[] levelAndName(SocketOption<?> o, int family) {
        if (o == StandardSocketOptions.TCP_NODELAY) return new int[] {in_h.IPPROTO_TCP, tcp_h.TCP_NODELAY};
        if (o == StandardSocketOptions.SO_KEEPALIVE) return new int[] {socket_h.SOL_SOCKET, socket_h.SO_KEEPALIVE};
        if (o == StandardSocketOptions.SO_SNDBUF) return new int[] {socket_h.SOL_SOCKET, socket_h.SO_SNDBUF};
        if (o == StandardSocketOptions.SO_RCVBUF) return new int[] {socket_h.SOL_SOCKET, socket_h.SO_RCVBUF};
        if (o == StandardSocketOptions.SO_REUSEADDR) return new int[] {socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR};
        if (o == StandardSocketOptions.SO_REUSEPORT) return new int[] {socket_h.SOL_SOCKET, socket_h.SO_REUSEPORT};
        if (o == StandardSocketOptions.SO_BROADCAST) return new int[] {socket_h.SOL_SOCKET, socket_h.SO_BROADCAST};
        if (o == StandardSocketOptions.IP_TOS) {
            return family == socket_h.AF_INET6 ? new int[] {in_h.IPPROTO_IPV6, in_h.IPV6_TCLASS} : new int[] {in_h.IPPROTO_IP, in_h.IP_TOS};
        }
        if (o == ExtendedSocketOptions.TCP_KEEPIDLE) return new int[] {in_h.IPPROTO_TCP, tcp_h.TCP_KEEPIDLE};
        if (o == ExtendedSocketOptions.TCP_KEEPINTERVAL) return new int[] {in_h.IPPROTO_TCP, tcp_h.TCP_KEEPINTVL};
        if (o == ExtendedSocketOptions.TCP_KEEPCOUNT) return new int[] {in_h.IPPROTO_TCP, tcp_h.TCP_KEEPCNT};
        if (o == IsthmusSocketOptions.TCP_USER_TIMEOUT) return new int[] {in_h.IPPROTO_TCP, tcp_h.TCP_USER_TIMEOUT};
        if (o == IsthmusSocketOptions.TCP_FASTOPEN) return new int[] {in_h.IPPROTO_TCP, tcp_h.TCP_FASTOPEN};
        if (o == IsthmusSocketOptions.SO_BUSY_POLL) return new int[] {socket_h.SOL_SOCKET, socket_h.SO_BUSY_POLL};
        if (o == IsthmusSocketOptions.SO_INCOMING_CPU) return new int[] {socket_h.SOL_SOCKET, socket_h.SO_INCOMING_CPU};
        if (o == IsthmusSocketOptions.SO_ZEROCOPY) return new int[] {socket_h.SOL_SOCKET, socket_h.SO_ZEROCOPY};
        return null;
    }

    /** setsockopt for a checked option value. */
    static <T> void setOption(CallState st, int fd, int family, SocketOption<T> option, T value) throws IOException {
        if (option == StandardSocketOptions.SO_LINGER) {
            setLinger(st, fd, (Integer) value);
            return;
        }
        int[] ln = levelAndName(option, family);
        if (ln == null) {
            throw new UnsupportedOperationException("stack io_uring does not support socket option " + option.name());
        }
        int v = value instanceof Boolean b ? (b ? 1 : 0) : (Integer) value;
        setInt(st, fd, ln[0], ln[1], v, option.name());
    }

    @SuppressWarnings("unchecked")
    static <T> T getOption(CallState st, int fd, int family, SocketOption<T> option) throws IOException {
        if (option == StandardSocketOptions.SO_LINGER) {
            return (T) Integer.valueOf(getLinger(st, fd));
        }
        int[] ln = levelAndName(option, family);
        if (ln == null) {
            throw new UnsupportedOperationException("stack io_uring does not support socket option " + option.name());
        }
        int v = getInt(st, fd, ln[0], ln[1], option.name());
        return option.type() == Boolean.class ? (T) Boolean.valueOf(v != 0) : (T) Integer.valueOf(v);
    }

    static void setRaw(CallState st, int fd, int level, int name, MemorySegment value) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = value.isNative() ? value : a.allocate(value.byteSize()).copyFrom(value);
            if (socket_h.setsockopt(st.segment(), fd, level, name, v, (int) value.byteSize()) < 0) {
                throw Errno.exception("setsockopt(" + level + ", " + name + ")", st.errno());
            }
        }
    }

    static int getRaw(CallState st, int fd, int level, int name, MemorySegment value) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = value.isNative() ? value : a.allocate(Math.max(1, value.byteSize()));
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, (int) value.byteSize());
            if (socket_h.getsockopt(st.segment(), fd, level, name, v, len) < 0) {
                throw Errno.exception("getsockopt(" + level + ", " + name + ")", st.errno());
            }
            int n = len.get(ValueLayout.JAVA_INT, 0);
            if (v != value) {
                MemorySegment.copy(v, 0, value, 0, Math.min(n, value.byteSize()));
            }
            return n;
        }
    }
}
