package dev.isthmus.linux.socket;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.group_req;
import dev.isthmus.ffi.posix.group_source_req;
import dev.isthmus.ffi.posix.in_h;
import dev.isthmus.ffi.posix.linger;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.ffi.posix.unistd_h;
import dev.isthmus.stack.spi.SocketOptionErrors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketOption;

/**
 * The socket system calls both kernel stacks make on a descriptor (socket(2), bind(2), listen(2),
 * accept4(2), connect(2), getsockname(2), getpeername(2), shutdown(2), close(2), setsockopt(2) and
 * getsockopt(2)), each turning a failure into an {@link IOException} that names the call and errno. Socket
 * options go through {@link SocketOptionTable}; neither stack maps an option itself (Netty's unix-common
 * {@code Socket} plays the same part for its two Linux transports).
 *
 * <p>Every method takes the caller's {@link Scratch}, so a worker, which owns one, allocates nothing; a
 * setup thread uses a short-lived one. Only what is epoll- or io_uring-specific stays in those modules.
 */
public final class LinuxSocket {
    private LinuxSocket() {
    }

    /** Per-thread scratch memory: errno capture, an address buffer, its length, room for an option value. */
    public static final class Scratch {
        /** Room for the largest value {@link SocketOptionTable} codes (struct linger), and raw options up to it. */
        private static final int VALUE_BYTES = 64;

        public final MemorySegment state;
        public final MemorySegment addr;
        public final MemorySegment len;
        public final MemorySegment value;

        /** Scratch memory from {@code arena}; use it on the arena's thread only. */
        public Scratch(Arena arena) {
            this.state = CallState.allocate(arena).segment();
            this.addr = arena.allocate(SocketAddresses.MAX_LENGTH, 8);
            this.len = arena.allocate(ValueLayout.JAVA_INT);
            this.value = arena.allocate(VALUE_BYTES, 8);
        }

        /** The errno the last call through {@link #state} captured. */
        public int errno() {
            return CallState.errno(state);
        }
    }

    /** socket(2) with SOCK_NONBLOCK|SOCK_CLOEXEC, so no fcntl is needed and no fd leaks into a child. */
    public static int socket(Scratch s, int family, int type) throws IOException {
        int fd = socket_h.socket(s.state, family, type | socket_h.SOCK_NONBLOCK | socket_h.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.exception("socket", s.errno());
        }
        return fd;
    }

    public static void bind(Scratch s, int fd, SocketAddress local) throws IOException {
        int len = SocketAddresses.write(local, s.addr);
        if (socket_h.bind(s.state, fd, s.addr, len) != 0) {
            throw Errno.exception("bind(" + local + ")", s.errno());
        }
    }

    /**
     * bind(2) for a search over candidate ports: true when bound, false when the address is in use (the
     * next candidate may be tried); any other failure throws.
     */
    public static boolean bindUnlessInUse(Scratch s, int fd, SocketAddress local) throws IOException {
        int len = SocketAddresses.write(local, s.addr);
        if (socket_h.bind(s.state, fd, s.addr, len) == 0) {
            return true;
        }
        int e = s.errno();
        if (e == errno_h.EADDRINUSE) {
            return false;
        }
        throw Errno.exception("bind(" + local + ")", e);
    }

    public static void listen(Scratch s, int fd, int backlog) throws IOException {
        if (socket_h.listen(s.state, fd, backlog) != 0) {
            throw Errno.exception("listen", s.errno());
        }
    }

    /**
     * One listening socket: socket(2), SO_REUSEADDR and SO_REUSEPORT as asked (internet sockets only: on
     * AF_UNIX they mean nothing), bind(2), listen(2). With SO_REUSEPORT every worker's socket binds the same
     * address and the kernel spreads connections over them (socket(7) SO_REUSEPORT). The descriptor is
     * closed if any step fails.
     */
    public static int openListening(Scratch s, SocketAddress local, boolean reuseAddress, boolean reusePort,
                                    int backlog) throws IOException {
        int family = SocketAddresses.family(local);
        int fd = socket(s, family, socket_h.SOCK_STREAM);
        try {
            if (family != socket_h.AF_UNIX) {
                if (reuseAddress) {
                    setInt(s, fd, socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR, 1, "SO_REUSEADDR");
                }
                if (reusePort) {
                    setInt(s, fd, socket_h.SOL_SOCKET, socket_h.SO_REUSEPORT, 1, "SO_REUSEPORT");
                }
            }
            bind(s, fd, local);
            listen(s, fd, backlog);
            return fd;
        } catch (IOException | RuntimeException e) {
            closeQuietly(s.state, fd);
            throw e;
        }
    }

    /**
     * accept4(2) with SOCK_NONBLOCK|SOCK_CLOEXEC, the peer's address left in {@code s.addr}/{@code s.len};
     * the new descriptor, or -errno. Never blocks (the listener is non-blocking), so the call is critical.
     */
    public static int accept(Scratch s, int fd) {
        s.len.set(ValueLayout.JAVA_INT, 0, SocketAddresses.MAX_LENGTH);
        int cfd = socket_h.accept4$critical(s.state, fd, s.addr, s.len, socket_h.SOCK_NONBLOCK | socket_h.SOCK_CLOEXEC);
        return cfd >= 0 ? cfd : -s.errno();
    }

    /** True for the accept(2) errors that leave the connection in the backlog for want of descriptors or memory. */
    public static boolean isAcceptResourceError(int errno) {
        return errno == errno_h.EMFILE || errno == errno_h.ENFILE || errno == errno_h.ENOBUFS || errno == errno_h.ENOMEM;
    }

    /** The address accept or recvfrom left in the scratch memory. */
    public static SocketAddress scratchAddress(Scratch s) {
        return SocketAddresses.read(s.addr, s.len.get(ValueLayout.JAVA_INT, 0));
    }

    /** connect(2) on a non-blocking socket: 0 when connected at once, else the errno (EINPROGRESS: wait for it). */
    public static int connect(Scratch s, int fd, SocketAddress remote) {
        int len = SocketAddresses.write(remote, s.addr);
        return socket_h.connect(s.state, fd, s.addr, len) == 0 ? 0 : s.errno();
    }

    /** getsockname(2) as a Java address. */
    public static SocketAddress localAddress(Scratch s, int fd) throws IOException {
        s.len.set(ValueLayout.JAVA_INT, 0, SocketAddresses.MAX_LENGTH);
        if (socket_h.getsockname(s.state, fd, s.addr, s.len) != 0) {
            throw Errno.exception("getsockname", s.errno());
        }
        return scratchAddress(s);
    }

    /** getpeername(2) as a Java address. */
    public static SocketAddress remoteAddress(Scratch s, int fd) throws IOException {
        s.len.set(ValueLayout.JAVA_INT, 0, SocketAddresses.MAX_LENGTH);
        if (socket_h.getpeername(s.state, fd, s.addr, s.len) != 0) {
            throw Errno.exception("getpeername", s.errno());
        }
        return scratchAddress(s);
    }

    public static void setInt(Scratch s, int fd, int level, int name, int value, String what) throws IOException {
        s.value.set(ValueLayout.JAVA_INT, 0, value);
        if (socket_h.setsockopt(s.state, fd, level, name, s.value, 4) != 0) {
            throw Errno.exception("setsockopt(" + what + ")", s.errno());
        }
    }

    public static int getInt(Scratch s, int fd, int level, int name, String what) throws IOException {
        s.value.set(ValueLayout.JAVA_INT, 0, 0);
        s.len.set(ValueLayout.JAVA_INT, 0, 4);
        if (socket_h.getsockopt(s.state, fd, level, name, s.value, s.len) != 0) {
            throw Errno.exception("getsockopt(" + what + ")", s.errno());
        }
        return s.value.get(ValueLayout.JAVA_INT, 0);
    }

    /** SO_LINGER as StandardSocketOptions.SO_LINGER sees it: seconds, or -1 for off. With 0, close(2) sends RST. */
    public static void setLinger(Scratch s, int fd, int seconds) throws IOException {
        linger.l_onoff(s.value, seconds >= 0 ? 1 : 0);
        linger.l_linger(s.value, Math.max(0, seconds));
        if (socket_h.setsockopt(s.state, fd, socket_h.SOL_SOCKET, socket_h.SO_LINGER, s.value,
                (int) linger.sizeof()) != 0) {
            throw Errno.exception("setsockopt(SO_LINGER)", s.errno());
        }
    }

    public static int getLinger(Scratch s, int fd) throws IOException {
        s.len.set(ValueLayout.JAVA_INT, 0, (int) linger.sizeof());
        if (socket_h.getsockopt(s.state, fd, socket_h.SOL_SOCKET, socket_h.SO_LINGER, s.value, s.len) != 0) {
            throw Errno.exception("getsockopt(SO_LINGER)", s.errno());
        }
        return linger.l_onoff(s.value) != 0 ? linger.l_linger(s.value) : -1;
    }

    /** The pending error of a socket (SO_ERROR), which also clears it; 0 for none. */
    public static int soError(Scratch s, int fd) throws IOException {
        return getInt(s, fd, socket_h.SOL_SOCKET, socket_h.SO_ERROR, "SO_ERROR");
    }

    /**
     * setsockopt(2) for {@code option} through the table, for a value already type-checked
     * ({@link dev.isthmus.stack.SocketOptionsCheck}); fails with the common message if {@code stack} does
     * not support it or it is read-only.
     */
    public static void setOption(Scratch s, int fd, int family, String stack, SocketOption<?> option, Object value)
            throws IOException {
        SocketOptionTable.Row r = SocketOptionTable.require(option, family, stack);
        if (r.readOnly()) {
            throw SocketOptionErrors.readOnly(option);
        }
        switch (r.kind()) {
            case BOOLEAN -> setInt(s, fd, r.level(), r.name(), (Boolean) value ? 1 : 0, r.cName());
            case INT -> setInt(s, fd, r.level(), r.name(), (Integer) value, r.cName());
            case LINGER -> setLinger(s, fd, (Integer) value);
        }
    }

    /** getsockopt(2) for {@code option} through the table, as the option's Java type. */
    @SuppressWarnings("unchecked")
    public static <T> T getOption(Scratch s, int fd, int family, String stack, SocketOption<T> option)
            throws IOException {
        SocketOptionTable.Row r = SocketOptionTable.require(option, family, stack);
        Object v = switch (r.kind()) {
            case BOOLEAN -> getInt(s, fd, r.level(), r.name(), r.cName()) != 0;
            case INT -> getInt(s, fd, r.level(), r.name(), r.cName());
            case LINGER -> getLinger(s, fd);
        };
        return (T) v;
    }

    /**
     * setsockopt(2) with the caller's bytes, for options the table does not list. A heap segment, or one
     * larger than the scratch, is copied into call-scoped native memory first.
     */
    public static void setRaw(Scratch s, int fd, int level, int name, MemorySegment value) throws IOException {
        int n = Math.toIntExact(value.byteSize());
        if (value.isNative()) {
            setRawAt(s, fd, level, name, value, n);
        } else if (n <= s.value.byteSize()) {
            MemorySegment.copy(value, 0, s.value, 0, n);
            setRawAt(s, fd, level, name, s.value, n);
        } else {
            try (Arena a = Arena.ofConfined()) {
                setRawAt(s, fd, level, name, a.allocate(n).copyFrom(value), n);
            }
        }
    }

    private static void setRawAt(Scratch s, int fd, int level, int name, MemorySegment v, int n) throws IOException {
        if (socket_h.setsockopt(s.state, fd, level, name, v, n) != 0) {
            throw Errno.exception("setsockopt(" + level + ", " + name + ")", s.errno());
        }
    }

    /** getsockopt(2) into the caller's bytes; returns the length the kernel wrote. */
    public static int getRaw(Scratch s, int fd, int level, int name, MemorySegment value) throws IOException {
        int n = Math.toIntExact(value.byteSize());
        s.len.set(ValueLayout.JAVA_INT, 0, n);
        if (value.isNative()) {
            return getRawAt(s, fd, level, name, value);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(Math.max(1, n));
            int got = getRawAt(s, fd, level, name, v);
            MemorySegment.copy(v, 0, value, 0, Math.min(got, n));
            return got;
        }
    }

    private static int getRawAt(Scratch s, int fd, int level, int name, MemorySegment v) throws IOException {
        if (socket_h.getsockopt(s.state, fd, level, name, v, s.len) != 0) {
            throw Errno.exception("getsockopt(" + level + ", " + name + ")", s.errno());
        }
        return s.len.get(ValueLayout.JAVA_INT, 0);
    }

    /**
     * A multicast option of a datagram socket (IP_MULTICAST_TTL, IP_MULTICAST_LOOP) at the level of
     * {@code ipv6} (IPPROTO_IPV6 or IPPROTO_IP), through {@link SocketOptionTable#multicast}.
     */
    public static void setMulticastOption(Scratch s, int fd, boolean ipv6, SocketOption<?> option, Object value)
            throws IOException {
        SocketOptionTable.Row r = requireMulticast(option, ipv6);
        setInt(s, fd, r.level(), r.name(), r.kind() == SocketOptionTable.Kind.BOOLEAN ? ((Boolean) value ? 1 : 0)
                : (Integer) value, r.cName());
    }

    /** getsockopt(2) for a multicast option, as its Java type. */
    @SuppressWarnings("unchecked")
    public static <T> T getMulticastOption(Scratch s, int fd, boolean ipv6, SocketOption<T> option) throws IOException {
        SocketOptionTable.Row r = requireMulticast(option, ipv6);
        int v = getInt(s, fd, r.level(), r.name(), r.cName());
        return (T) (r.kind() == SocketOptionTable.Kind.BOOLEAN ? (Object) (v != 0) : (Object) v);
    }

    private static SocketOptionTable.Row requireMulticast(SocketOption<?> option, boolean ipv6) {
        SocketOptionTable.Row r = SocketOptionTable.multicast(option, ipv6);
        if (r == null) {
            throw new IllegalArgumentException(option + " is not a multicast option");
        }
        return r;
    }

    /**
     * The interface outgoing multicast datagrams leave by: IP_MULTICAST_IF with the interface's IPv4 address
     * ({@code address}, 4 bytes; all zero: the routing table chooses), or IPV6_MULTICAST_IF with its index
     * ({@code address} null; 0: the routing table chooses). See ip(7), ipv6(7).
     */
    public static void setMulticastInterface(Scratch s, int fd, byte[] address, int index) throws IOException {
        if (address == null) {
            setInt(s, fd, in_h.IPPROTO_IPV6, in_h.IPV6_MULTICAST_IF, index, "IPV6_MULTICAST_IF");
            return;
        }
        if (address.length != 4) {
            throw new IllegalArgumentException("IP_MULTICAST_IF takes an IPv4 address, not " + address.length + " bytes");
        }
        MemorySegment.copy(address, 0, s.value, ValueLayout.JAVA_BYTE, 0, 4); // struct in_addr, network order
        setRawAt(s, fd, in_h.IPPROTO_IP, in_h.IP_MULTICAST_IF, s.value, 4);
    }

    /** IP_MULTICAST_IF: the interface's IPv4 address (4 bytes, all zero when none was set). */
    public static byte[] getMulticastInterface4(Scratch s, int fd) throws IOException {
        s.value.set(ValueLayout.JAVA_INT, 0, 0);
        s.len.set(ValueLayout.JAVA_INT, 0, 4);
        getRawAt(s, fd, in_h.IPPROTO_IP, in_h.IP_MULTICAST_IF, s.value);
        return s.value.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE);
    }

    /** IPV6_MULTICAST_IF: the interface index, 0 when none was set. */
    public static int getMulticastInterface6(Scratch s, int fd) throws IOException {
        return getInt(s, fd, in_h.IPPROTO_IPV6, in_h.IPV6_MULTICAST_IF, "IPV6_MULTICAST_IF");
    }

    /**
     * One change of multicast membership with the protocol-independent API of RFC 3678 (ip(7)):
     * {@code op} is MCAST_JOIN_GROUP or MCAST_LEAVE_GROUP ({@code source} null, a {@code struct group_req}),
     * or MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_SOURCE_GROUP, MCAST_BLOCK_SOURCE, MCAST_UNBLOCK_SOURCE (a
     * {@code struct group_source_req}). The level follows the group's family: IPPROTO_IP for an IPv4 group,
     * which Linux also takes on an AF_INET6 socket (ipv6_setsockopt hands SOL_IP to the IPv4 code), and
     * IPPROTO_IPV6 for an IPv6 group. Membership changes are rare: the request is built in call-scoped memory.
     */
    public static void multicastMembership(Scratch s, int fd, int op, int ifindex, InetAddress group, InetAddress source)
            throws IOException {
        String what = membershipName(op); // before the call: another option would take the request as its value
        if ((source == null) != (op == in_h.MCAST_JOIN_GROUP || op == in_h.MCAST_LEAVE_GROUP)) {
            throw new IllegalArgumentException(what + (source == null ? " needs a source" : " takes no source"));
        }
        int level = group instanceof Inet6Address ? in_h.IPPROTO_IPV6 : in_h.IPPROTO_IP;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment req;
            if (source == null) {
                req = group_req.allocate(a);
                group_req.gr_interface(req, ifindex);
                SocketAddresses.writeInet(group, 0, group_req.gr_group(req));
            } else {
                req = group_source_req.allocate(a);
                group_source_req.gsr_interface(req, ifindex);
                SocketAddresses.writeInet(group, 0, group_source_req.gsr_group(req));
                SocketAddresses.writeInet(source, 0, group_source_req.gsr_source(req));
            }
            if (socket_h.setsockopt(s.state, fd, level, op, req, (int) req.byteSize()) != 0) {
                throw Errno.exception(what + "(" + group + (source != null ? ", " + source : "")
                        + ", ifindex " + ifindex + ")", s.errno());
            }
        }
    }

    private static String membershipName(int op) {
        return switch (op) {
            case in_h.MCAST_JOIN_GROUP -> "MCAST_JOIN_GROUP";
            case in_h.MCAST_LEAVE_GROUP -> "MCAST_LEAVE_GROUP";
            case in_h.MCAST_JOIN_SOURCE_GROUP -> "MCAST_JOIN_SOURCE_GROUP";
            case in_h.MCAST_LEAVE_SOURCE_GROUP -> "MCAST_LEAVE_SOURCE_GROUP";
            case in_h.MCAST_BLOCK_SOURCE -> "MCAST_BLOCK_SOURCE";
            case in_h.MCAST_UNBLOCK_SOURCE -> "MCAST_UNBLOCK_SOURCE";
            default -> throw new IllegalArgumentException("not a multicast membership option: " + op);
        };
    }

    /** shutdown(2); ENOTCONN (the peer reset the connection meanwhile) leaves nothing to shut and is no error. */
    public static void shutdown(Scratch s, int fd, int how) throws IOException {
        if (socket_h.shutdown(s.state, fd, how) != 0 && s.errno() != errno_h.ENOTCONN) {
            throw Errno.exception("shutdown", s.errno());
        }
    }

    /**
     * close(2), once. EINTR is not retried: on Linux the fd is released even then (close(2), "Dealing with
     * error returns from close()"), and a retry could close a descriptor another thread just got.
     */
    public static void close(MemorySegment state, int fd) throws IOException {
        if (unistd_h.close(state, fd) != 0) {
            int e = CallState.errno(state);
            if (e != errno_h.EINTR) {
                throw Errno.exception("close", e);
            }
        }
    }

    /** close(2) for cleanup paths, where a failure has nothing left to report to; ignores a negative fd. */
    public static void closeQuietly(MemorySegment state, int fd) {
        if (fd >= 0) {
            unistd_h.close(state, fd);
        }
    }
}
