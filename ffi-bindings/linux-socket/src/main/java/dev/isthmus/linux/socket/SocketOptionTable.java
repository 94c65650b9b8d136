package dev.isthmus.linux.socket;

import dev.isthmus.ffi.posix.in_h;
import dev.isthmus.ffi.posix.linger;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.ffi.posix.tcp_h;
import dev.isthmus.stack.IsthmusSocketOptions;
import dev.isthmus.stack.spi.SocketOptionErrors;
import jdk.net.ExtendedSocketOptions;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one table that maps the socket options of the public API onto setsockopt(2)/getsockopt(2) levels and
 * names (socket(7), tcp(7), ip(7), ipv6(7)): one row per option, with how its value is coded, whether it
 * may be set, and which stacks support it. The epoll and io_uring stacks set and read options only through
 * it; the nio stack cannot (it sets options through the JDK) and keeps its own list, which the conformance
 * suite holds to the {@link #NIO} column here. The {@link #DPDK} column lists the options the userspace
 * stack maps onto its own TCP (it has no socket to set them on); the suite holds it to that column too.
 *
 * <p>Values are C ints; booleans are 0/1; SO_LINGER is a {@code struct linger} with -1 meaning off, as
 * {@link StandardSocketOptions#SO_LINGER} does. IP_TOS on an AF_INET6 socket is IPV6_TCLASS, as the JDK
 * maps it.
 */
public final class SocketOptionTable {
    /** Stack names, as {@link dev.isthmus.stack.NetworkStack#name()} spells them. */
    public static final String EPOLL = "epoll";
    public static final String IO_URING = "io_uring";
    public static final String NIO = "nio";
    public static final String DPDK = "dpdk";

    /** How an option's value is coded in memory. */
    public enum Kind {
        /** A C int, 0 or 1; a {@code Boolean} in Java. */
        BOOLEAN(4),
        /** A C int; an {@code Integer} in Java. */
        INT(4),
        /** {@code struct linger}; an {@code Integer} in Java, seconds or -1 for off. */
        LINGER((int) linger.sizeof());

        /** The optlen passed to setsockopt(2). */
        public final int size;

        Kind(int size) {
            this.size = size;
        }
    }

    /**
     * One option: its setsockopt level and name (and the C name, for messages), how its value is coded,
     * whether it may only be read, and the stacks that support it.
     */
    public record Row(SocketOption<?> option, int level, int name, String cName, Kind kind, boolean readOnly,
                      Set<String> stacks) {
        public boolean supportedBy(String stack) {
            return stacks.contains(stack);
        }
    }

    private static final Set<String> ALL = Set.of(EPOLL, IO_URING, NIO);
    /** Every stack, the userspace one included (its TCP keeps these itself: DpdkConnection). */
    private static final Set<String> EVERY = Set.of(EPOLL, IO_URING, NIO, DPDK);
    private static final Set<String> KERNEL = Set.of(EPOLL, IO_URING);

    private static final List<Row> ROWS = List.of(
            row(StandardSocketOptions.TCP_NODELAY, in_h.IPPROTO_TCP, tcp_h.TCP_NODELAY, "TCP_NODELAY", Kind.BOOLEAN, false, EVERY),
            row(StandardSocketOptions.SO_KEEPALIVE, socket_h.SOL_SOCKET, socket_h.SO_KEEPALIVE, "SO_KEEPALIVE", Kind.BOOLEAN, false, EVERY),
            row(StandardSocketOptions.SO_SNDBUF, socket_h.SOL_SOCKET, socket_h.SO_SNDBUF, "SO_SNDBUF", Kind.INT, false, EVERY),
            row(StandardSocketOptions.SO_RCVBUF, socket_h.SOL_SOCKET, socket_h.SO_RCVBUF, "SO_RCVBUF", Kind.INT, false, EVERY),
            row(StandardSocketOptions.SO_REUSEADDR, socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR, "SO_REUSEADDR", Kind.BOOLEAN, false, ALL),
            row(StandardSocketOptions.SO_REUSEPORT, socket_h.SOL_SOCKET, socket_h.SO_REUSEPORT, "SO_REUSEPORT", Kind.BOOLEAN, false, ALL),
            // The JDK offers SO_BROADCAST on datagram channels only; the kernel stacks take it on any socket.
            row(StandardSocketOptions.SO_BROADCAST, socket_h.SOL_SOCKET, socket_h.SO_BROADCAST, "SO_BROADCAST", Kind.BOOLEAN, false, KERNEL),
            row(StandardSocketOptions.SO_LINGER, socket_h.SOL_SOCKET, socket_h.SO_LINGER, "SO_LINGER", Kind.LINGER, false, EVERY),
            row(StandardSocketOptions.IP_TOS, in_h.IPPROTO_IP, in_h.IP_TOS, "IP_TOS", Kind.INT, false, ALL),
            row(ExtendedSocketOptions.TCP_KEEPIDLE, in_h.IPPROTO_TCP, tcp_h.TCP_KEEPIDLE, "TCP_KEEPIDLE", Kind.INT, false, EVERY),
            row(ExtendedSocketOptions.TCP_KEEPINTERVAL, in_h.IPPROTO_TCP, tcp_h.TCP_KEEPINTVL, "TCP_KEEPINTVL", Kind.INT, false, EVERY),
            row(ExtendedSocketOptions.TCP_KEEPCOUNT, in_h.IPPROTO_TCP, tcp_h.TCP_KEEPCNT, "TCP_KEEPCNT", Kind.INT, false, EVERY),
            row(ExtendedSocketOptions.TCP_QUICKACK, in_h.IPPROTO_TCP, tcp_h.TCP_QUICKACK, "TCP_QUICKACK", Kind.BOOLEAN, false, ALL),
            // The JDK cannot set the options below: the kernel stacks only.
            row(IsthmusSocketOptions.TCP_USER_TIMEOUT, in_h.IPPROTO_TCP, tcp_h.TCP_USER_TIMEOUT, "TCP_USER_TIMEOUT", Kind.INT, false, KERNEL),
            row(IsthmusSocketOptions.TCP_FASTOPEN, in_h.IPPROTO_TCP, tcp_h.TCP_FASTOPEN, "TCP_FASTOPEN", Kind.INT, false, KERNEL),
            row(IsthmusSocketOptions.SO_BUSY_POLL, socket_h.SOL_SOCKET, socket_h.SO_BUSY_POLL, "SO_BUSY_POLL", Kind.INT, false, KERNEL),
            // Settable since Linux 4.4 to steer SO_REUSEPORT groups, but the stacks place flows themselves:
            // read-only here, so that no stack lets an application defeat the accept strategy.
            row(IsthmusSocketOptions.SO_INCOMING_CPU, socket_h.SOL_SOCKET, socket_h.SO_INCOMING_CPU, "SO_INCOMING_CPU", Kind.INT, true, KERNEL),
            row(IsthmusSocketOptions.SO_ZEROCOPY, socket_h.SOL_SOCKET, socket_h.SO_ZEROCOPY, "SO_ZEROCOPY", Kind.BOOLEAN, false, KERNEL));

    /** IP_TOS on an AF_INET6 socket: the traffic class (ipv6(7) IPV6_TCLASS), as the JDK maps it. */
    private static final Row IP_TOS_INET6 = row(StandardSocketOptions.IP_TOS, in_h.IPPROTO_IPV6, in_h.IPV6_TCLASS,
            "IPV6_TCLASS", Kind.INT, false, ALL);

    /**
     * The multicast options of a datagram socket, apart from {@link #rows()} (no stream socket takes them): the
     * TTL and loop flag, with their IPv6 forms (ipv6(7) IPV6_MULTICAST_HOPS, IPV6_MULTICAST_LOOP). Only the nio
     * provider's DatagramChannel offers them, as the JDK's does. IP_MULTICAST_IF is no int (a {@code struct
     * in_addr}, or an interface index for IPv6): {@link LinuxSocket#setMulticastInterface} codes it.
     */
    private static final List<Row> MULTICAST4 = List.of(
            row(StandardSocketOptions.IP_MULTICAST_TTL, in_h.IPPROTO_IP, in_h.IP_MULTICAST_TTL, "IP_MULTICAST_TTL", Kind.INT, false, Set.of(NIO)),
            row(StandardSocketOptions.IP_MULTICAST_LOOP, in_h.IPPROTO_IP, in_h.IP_MULTICAST_LOOP, "IP_MULTICAST_LOOP", Kind.BOOLEAN, false, Set.of(NIO)));
    private static final List<Row> MULTICAST6 = List.of(
            row(StandardSocketOptions.IP_MULTICAST_TTL, in_h.IPPROTO_IPV6, in_h.IPV6_MULTICAST_HOPS, "IPV6_MULTICAST_HOPS", Kind.INT, false, Set.of(NIO)),
            row(StandardSocketOptions.IP_MULTICAST_LOOP, in_h.IPPROTO_IPV6, in_h.IPV6_MULTICAST_LOOP, "IPV6_MULTICAST_LOOP", Kind.BOOLEAN, false, Set.of(NIO)));

    private static final Map<SocketOption<?>, Row> BY_OPTION = index();

    private SocketOptionTable() {
    }

    private static Row row(SocketOption<?> o, int level, int name, String cName, Kind kind, boolean readOnly,
                           Set<String> stacks) {
        return new Row(o, level, name, cName, kind, readOnly, stacks);
    }

    private static Map<SocketOption<?>, Row> index() {
        Map<SocketOption<?>, Row> m = new HashMap<>();
        for (Row r : ROWS) {
            if (m.put(r.option(), r) != null) {
                throw new ExceptionInInitializerError("two rows for " + r.option().name());
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Every row, in table order (IP_TOS once, with its AF_INET level and name). */
    public static List<Row> rows() {
        return ROWS;
    }

    /** The options a stack supports, in table order. */
    public static List<SocketOption<?>> supportedBy(String stack) {
        List<SocketOption<?>> l = new ArrayList<>();
        for (Row r : ROWS) {
            if (r.supportedBy(stack)) {
                l.add(r.option());
            }
        }
        return l;
    }

    /** The row for {@code o} on a socket of {@code family}, or null if no stack knows the option. */
    public static Row find(SocketOption<?> o, int family) {
        if (o == StandardSocketOptions.IP_TOS && family == socket_h.AF_INET6) {
            return IP_TOS_INET6;
        }
        return BY_OPTION.get(o);
    }

    /**
     * The row of a multicast option (IP_MULTICAST_TTL, IP_MULTICAST_LOOP) at the level of {@code ipv6} (true:
     * IPPROTO_IPV6) or IPPROTO_IP, or null if {@code o} is none of them.
     */
    public static Row multicast(SocketOption<?> o, boolean ipv6) {
        for (Row r : ipv6 ? MULTICAST6 : MULTICAST4) {
            if (r.option() == o) {
                return r;
            }
        }
        return null;
    }

    /** The row for {@code o}, failing with the common message unless {@code stack} supports it. */
    public static Row require(SocketOption<?> o, int family, String stack) {
        Row r = find(o, family);
        if (r == null || !r.supportedBy(stack)) {
            throw SocketOptionErrors.notSupported(o, stack);
        }
        return r;
    }

    /**
     * Checks options given to listen or connect, before any socket exists: each must be supported by
     * {@code stack} and settable; fails with the common message otherwise.
     */
    public static void checkSettable(Collection<SocketOption<?>> options, String stack) {
        SocketOptionErrors.checkAll(options, stack, o -> {
            Row r = BY_OPTION.get(o);
            return r != null && r.supportedBy(stack);
        }, o -> !BY_OPTION.get(o).readOnly());
    }
}
