package dev.isthmus.epoll;

import dev.isthmus.ffi.posix.in_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.ffi.posix.tcp_h;
import dev.isthmus.stack.IsthmusSocketOptions;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;

/**
 * Maps the socket options of the public API onto setsockopt(2)/getsockopt(2) levels and names
 * (socket(7), tcp(7), ip(7), ipv6(7)). Values are C ints; booleans are 0/1; SO_LINGER uses
 * {@code struct linger} with -1 meaning off, as {@link StandardSocketOptions#SO_LINGER} does.
 */
final class SocketOptionCodec {
    private SocketOptionCodec() {
    }

    private static final int BOOL = 0;
    private static final int INT = 1;
    private static final int LINGER = 2;

    /** Where an option lives: level, name, how its value is coded, and whether it may be set. */
    private record Spec(int level, int name, int kind, boolean settable, String cName) {
    }

    /**
     * The spec for {@code o} on a socket of {@code family}, or null if the stack does not know it.
     * IP_TOS on an AF_INET6 socket is IPV6_TCLASS, as the JDK maps it.
     */
    private static Spec spec(SocketOption<?> o, int family) {
        if (o == StandardSocketOptions.TCP_NODELAY) {
            return new Spec(in_h.IPPROTO_TCP, tcp_h.TCP_NODELAY, BOOL, true, "TCP_NODELAY");
        } else if (o == StandardSocketOptions.SO_KEEPALIVE) {
            return new Spec(socket_h.SOL_SOCKET, socket_h.SO_KEEPALIVE, BOOL, true, "SO_KEEPALIVE");
        } else if (o == StandardSocketOptions.SO_SNDBUF) {
            return new Spec(socket_h.SOL_SOCKET, socket_h.SO_SNDBUF, INT, true, "SO_SNDBUF");
        } else if (o == StandardSocketOptions.SO_RCVBUF) {
            return new Spec(socket_h.SOL_SOCKET, socket_h.SO_RCVBUF, INT, true, "SO_RCVBUF");
        } else if (o == StandardSocketOptions.SO_REUSEADDR) {
            return new Spec(socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR, BOOL, true, "SO_REUSEADDR");
        } else if (o == StandardSocketOptions.SO_REUSEPORT) {
            return new Spec(socket_h.SOL_SOCKET, socket_h.SO_REUSEPORT, BOOL, true, "SO_REUSEPORT");
        } else if (o == StandardSocketOptions.SO_BROADCAST) {
            return new Spec(socket_h.SOL_SOCKET, socket_h.SO_BROADCAST, BOOL, true, "SO_BROADCAST");
        } else if (o == StandardSocketOptions.SO_LINGER) {
            return new Spec(socket_h.SOL_SOCKET, socket_h.SO_LINGER, LINGER, true, "SO_LINGER");
        } else if (o == StandardSocketOptions.IP_TOS) {
            return family == socket_h.AF_INET6
                    ? new Spec(in_h.IPPROTO_IPV6, in_h.IPV6_TCLASS, INT, true, "IPV6_TCLASS")
                    : new Spec(in_h.IPPROTO_IP, in_h.IP_TOS, INT, true, "IP_TOS");
        } else if (o == ExtendedSocketOptions.TCP_KEEPIDLE) {
            return new Spec(in_h.IPPROTO_TCP, tcp_h.TCP_KEEPIDLE, INT, true, "TCP_KEEPIDLE");
        } else if (o == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            return new Spec(in_h.IPPROTO_TCP, tcp_h.TCP_KEEPINTVL, INT, true, "TCP_KEEPINTVL");
        } else if (o == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            return new Spec(in_h.IPPROTO_TCP, tcp_h.TCP_KEEPCNT, INT, true, "TCP_KEEPCNT");
        } else if (o == ExtendedSocketOptions.TCP_QUICKACK) {
            return new Spec(in_h.IPPROTO_TCP, tcp_h.TCP_QUICKACK, BOOL, true, "TCP_QUICKACK");
        } else if (o == IsthmusSocketOptions.TCP_USER_TIMEOUT) {
            return new Spec(in_h.IPPROTO_TCP, tcp_h.TCP_USER_TIMEOUT, INT, true, "TCP_USER_TIMEOUT");
        } else if (o == IsthmusSocketOptions.TCP_FASTOPEN) {
            return new Spec(in_h.IPPROTO_TCP, tcp_h.TCP_FASTOPEN, INT, true, "TCP_FASTOPEN");
        } else if (o == IsthmusSocketOptions.SO_BUSY_POLL) {
            return new Spec(socket_h.SOL_SOCKET, socket_h.SO_BUSY_POLL, INT, true, "SO_BUSY_POLL");
        } else if (o == IsthmusSocketOptions.SO_INCOMING_CPU) {
            return new Spec(socket_h.SOL_SOCKET, socket_h.SO_INCOMING_CPU, INT, false, "SO_INCOMING_CPU");
        } else if (o == IsthmusSocketOptions.SO_ZEROCOPY) {
            return new Spec(socket_h.SOL_SOCKET, socket_h.SO_ZEROCOPY, BOOL, true, "SO_ZEROCOPY");
        }
        return null;
    }

    private static Spec known(SocketOption<?> o, int family) {
        Spec s = spec(o, family);
        if (s == null) {
            throw new UnsupportedOperationException("socket option " + o.name() + " is not supported by the epoll stack");
        }
        return s;
    }

    /** Whether the stack knows {@code o} (for checking ListenOptions/ConnectOptions early). */
    static boolean supports(SocketOption<?> o) {
        return spec(o, socket_h.AF_INET) != null;
    }

    /** setsockopt for an option whose value was type-checked already. */
    static void set(SocketCalls.Scratch s, int fd, int family, SocketOption<?> o, Object value) throws IOException {
        Spec spec = known(o, family);
        if (!spec.settable) {
            throw new UnsupportedOperationException("socket option " + o.name() + " is read-only");
        }
        switch (spec.kind) {
            case BOOL -> SocketCalls.setInt(s, fd, spec.level, spec.name, (Boolean) value ? 1 : 0, spec.cName);
            case INT -> SocketCalls.setInt(s, fd, spec.level, spec.name, (Integer) value, spec.cName);
            default -> SocketCalls.setLinger(s, fd, (Integer) value);
        }
    }

    /** getsockopt, as the option's Java type. */
    @SuppressWarnings("unchecked")
    static <T> T get(SocketCalls.Scratch s, int fd, int family, SocketOption<T> o) throws IOException {
        Spec spec = known(o, family);
        Object v = switch (spec.kind) {
            case BOOL -> SocketCalls.getInt(s, fd, spec.level, spec.name, spec.cName) != 0;
            case INT -> SocketCalls.getInt(s, fd, spec.level, spec.name, spec.cName);
            default -> SocketCalls.getLinger(s, fd);
        };
        return (T) v;
    }
}
