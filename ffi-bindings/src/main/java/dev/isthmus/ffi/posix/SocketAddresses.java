package dev.isthmus.ffi.posix;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Converts between Java socket addresses and the C {@code sockaddr_in}, {@code sockaddr_in6} and
 * {@code sockaddr_un} that bind/connect take and accept4/getsockname/getpeername/recvmsg return.
 *
 * <p>Writers fill a caller-given segment (at least {@link #MAX_LENGTH} bytes is always enough) and return
 * the {@code socklen_t} to pass along; readers take the segment and the length the kernel reported.
 * Ports and IPv4/IPv6 addresses are stored in network byte order, the IPv6 scope id in host order (see
 * ip(7), ipv6(7), unix(7)). Nothing here allocates native memory.
 */
public final class SocketAddresses {
    private SocketAddresses() {
    }

    /** Room for any address: {@code sizeof(struct sockaddr_storage)}. */
    public static final int MAX_LENGTH = (int) sockaddr_storage.sizeof();

    /** Longest Unix socket path in bytes; one byte of {@code sun_path} is kept for the terminating NUL. */
    public static final int MAX_UNIX_PATH = (int) sockaddr_un.layout()
            .select(MemoryLayout.PathElement.groupElement("sun_path")).byteSize() - 1;

    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final int SIZEOF_SA_FAMILY = 2;

    /** The file-name encoding the JDK uses for Unix socket paths (the same property the JDK reads). */
    private static final Charset PATH_CHARSET = pathCharset();

    private static Charset pathCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name != null ? Charset.forName(name) : StandardCharsets.UTF_8;
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The address family for {@code socket(2)}: AF_INET, AF_INET6 or AF_UNIX. */
    public static int family(SocketAddress address) {
        return switch (address) {
            case InetSocketAddress inet -> {
                requireResolved(inet);
                yield inet.getAddress() instanceof Inet6Address ? socket_h.AF_INET6 : socket_h.AF_INET;
            }
            case UnixDomainSocketAddress unix -> socket_h.AF_UNIX;
            case null -> throw new IllegalArgumentException("address is null");
            default -> throw new IllegalArgumentException("unsupported address type " + address.getClass().getName());
        };
    }

    /** Writes an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}; returns the length. */
    public static int write(SocketAddress address, MemorySegment dst) {
        return switch (address) {
            case InetSocketAddress inet -> writeInet(inet, dst);
            case UnixDomainSocketAddress unix -> writeUnix(unix, dst);
            case null -> throw new IllegalArgumentException("address is null");
            default -> throw new IllegalArgumentException("unsupported address type " + address.getClass().getName());
        };
    }

    /**
     * Writes a {@code sockaddr_in} (IPv4) or {@code sockaddr_in6} (IPv6) and returns its length.
     *
     * @throws IllegalArgumentException if the address is unresolved or {@code dst} is too small
     */
    public static int writeInet(InetSocketAddress address, MemorySegment dst) {
        requireResolved(address);
        return writeInet(address.getAddress(), address.getPort(), dst);
    }

    /**
     * Writes {@code address:port} as a {@code sockaddr_in} or {@code sockaddr_in6} and returns its length.
     *
     * @throws IllegalArgumentException if the port is outside 0..65535 or {@code dst} is too small
     */
    public static int writeInet(InetAddress address, int port, MemorySegment dst) {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        checkPort(port);
        if (address instanceof Inet6Address v6) {
            return writeIn6(v6.getAddress(), port, v6.getScopeId(), dst);
        }
        int len = (int) sockaddr_in.sizeof();
        requireRoom(dst, len, "sockaddr_in");
        dst.asSlice(0, len).fill((byte) 0);
        dst.set(HOST_SHORT, sockaddr_in.sin_family$OFFSET, (short) socket_h.AF_INET);
        dst.set(NET_SHORT, sockaddr_in.sin_port$OFFSET, (short) port);
        MemorySegment.copy(address.getAddress(), 0, dst, ValueLayout.JAVA_BYTE, sockaddr_in.sin_addr$OFFSET, 4);
        return len;
    }

    /**
     * Writes a {@code sockaddr_in6} for an AF_INET6 socket: an IPv4 address becomes its IPv4-mapped form
     * {@code ::ffff:a.b.c.d} (which a socket with IPV6_V6ONLY off accepts, see ipv6(7)).
     *
     * @throws IllegalArgumentException if the address is unresolved or {@code dst} is too small
     */
    public static int writeInet6(InetSocketAddress address, MemorySegment dst) {
        requireResolved(address);
        InetAddress a = address.getAddress();
        if (a instanceof Inet6Address v6) {
            return writeIn6(v6.getAddress(), address.getPort(), v6.getScopeId(), dst);
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
        return writeIn6(mapped, address.getPort(), 0, dst);
    }

    private static int writeIn6(byte[] addr, int port, int scopeId, MemorySegment dst) {
        checkPort(port);
        int len = (int) sockaddr_in6.sizeof();
        requireRoom(dst, len, "sockaddr_in6");
        dst.asSlice(0, len).fill((byte) 0);
        dst.set(HOST_SHORT, sockaddr_in6.sin6_family$OFFSET, (short) socket_h.AF_INET6);
        dst.set(NET_SHORT, sockaddr_in6.sin6_port$OFFSET, (short) port);
        MemorySegment.copy(addr, 0, dst, ValueLayout.JAVA_BYTE, sockaddr_in6.sin6_addr$OFFSET, 16);
        dst.set(HOST_INT, sockaddr_in6.sin6_scope_id$OFFSET, scopeId);
        return len;
    }

    /**
     * Writes a {@code sockaddr_un} with a NUL-terminated path and returns {@code offsetof(sun_path) +
     * path bytes + 1}; an empty path (an unnamed socket) gives {@code sizeof(sa_family_t)}.
     *
     * @throws IllegalArgumentException if the encoded path is longer than {@link #MAX_UNIX_PATH} bytes,
     *                                  contains NUL, or {@code dst} is too small
     */
    public static int writeUnix(UnixDomainSocketAddress address, MemorySegment dst) {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        byte[] path = address.getPath().toString().getBytes(PATH_CHARSET);
        if (path.length > MAX_UNIX_PATH) {
            throw new IllegalArgumentException("unix socket path is " + path.length + " bytes, at most "
                    + MAX_UNIX_PATH + " fit in sun_path: " + address.getPath());
        }
        for (byte b : path) {
            if (b == 0) {
                throw new IllegalArgumentException("unix socket path contains NUL: " + address.getPath());
            }
        }
        int len = path.length == 0 ? SIZEOF_SA_FAMILY : (int) sockaddr_un.sun_path$OFFSET + path.length + 1;
        requireRoom(dst, len, "sockaddr_un");
        dst.asSlice(0, len).fill((byte) 0);
        dst.set(HOST_SHORT, sockaddr_un.sun_family$OFFSET, (short) socket_h.AF_UNIX);
        MemorySegment.copy(path, 0, dst, ValueLayout.JAVA_BYTE, sockaddr_un.sun_path$OFFSET, path.length);
        return len;
    }

    /**
     * Reads the address the kernel wrote ({@code length} as returned in {@code *addrlen}): an
     * {@link InetSocketAddress} for AF_INET/AF_INET6, a {@link UnixDomainSocketAddress} for AF_UNIX.
     *
     * @throws IllegalArgumentException if the family is unknown or {@code length} does not fit it
     */
    public static SocketAddress read(MemorySegment src, int length) {
        int family = family(src, length);
        return family == socket_h.AF_UNIX ? readUnix(src, length) : readInet(src, length);
    }

    /**
     * Reads a {@code sockaddr_in} or {@code sockaddr_in6}. An IPv4-mapped IPv6 address ({@code
     * ::ffff:a.b.c.d}, what a dual-stack socket reports for an IPv4 peer) comes back as the
     * {@link Inet4Address}, as the JDK's own sockets report it.
     *
     * @throws IllegalArgumentException if the family is not AF_INET/AF_INET6 or {@code length} is short
     */
    public static InetSocketAddress readInet(MemorySegment src, int length) {
        int family = family(src, length);
        try {
            if (family == socket_h.AF_INET) {
                requireLength(length, sockaddr_in.sizeof(), "sockaddr_in");
                byte[] addr = new byte[4];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, sockaddr_in.sin_addr$OFFSET, addr, 0, 4);
                int port = Short.toUnsignedInt(src.get(NET_SHORT, sockaddr_in.sin_port$OFFSET));
                return new InetSocketAddress(InetAddress.getByAddress(addr), port);
            }
            if (family == socket_h.AF_INET6) {
                requireLength(length, sockaddr_in6.sizeof(), "sockaddr_in6");
                byte[] addr = new byte[16];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, sockaddr_in6.sin6_addr$OFFSET, addr, 0, 16);
                int port = Short.toUnsignedInt(src.get(NET_SHORT, sockaddr_in6.sin6_port$OFFSET));
                int scope = src.get(HOST_INT, sockaddr_in6.sin6_scope_id$OFFSET);
                // getByAddress(byte[]) turns a mapped address into Inet4Address; a scope id of 0 means
                // "none", and passing 0 explicitly would print as "%0".
                InetAddress a = scope == 0 ? InetAddress.getByAddress(addr) : Inet6Address.getByAddress(null, addr, scope);
                return new InetSocketAddress(a, port);
            }
        } catch (UnknownHostException e) {
            throw new AssertionError("address of fixed length rejected", e); // only thrown for bad lengths
        }
        throw new IllegalArgumentException("not an internet address: sa_family " + family);
    }

    /**
     * Reads a {@code sockaddr_un}: the path runs to the first NUL or the end of {@code length}. A length of
     * {@code sizeof(sa_family_t)} is an unnamed socket and reads as the empty path.
     *
     * @throws IllegalArgumentException if the family is not AF_UNIX, or for an abstract address (leading
     *                                  NUL), which a {@link UnixDomainSocketAddress} cannot hold
     */
    public static UnixDomainSocketAddress readUnix(MemorySegment src, int length) {
        int family = family(src, length);
        if (family != socket_h.AF_UNIX) {
            throw new IllegalArgumentException("not a unix address: sa_family " + family);
        }
        if (length > sockaddr_un.sizeof()) {
            throw new IllegalArgumentException("length " + length + " exceeds sizeof(struct sockaddr_un) " + sockaddr_un.sizeof());
        }
        int max = length - (int) sockaddr_un.sun_path$OFFSET;
        if (max <= 0) {
            return UnixDomainSocketAddress.of("");
        }
        long base = sockaddr_un.sun_path$OFFSET;
        if (src.get(ValueLayout.JAVA_BYTE, base) == 0) {
            throw new IllegalArgumentException("abstract unix address (leading NUL) cannot be a UnixDomainSocketAddress");
        }
        int n = 0;
        while (n < max && src.get(ValueLayout.JAVA_BYTE, base + n) != 0) {
            n++;
        }
        byte[] path = new byte[n];
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, base, path, 0, n);
        return UnixDomainSocketAddress.of(new String(path, PATH_CHARSET));
    }

    private static int family(MemorySegment src, int length) {
        if (src == null) {
            throw new IllegalArgumentException("segment is null");
        }
        if (length < SIZEOF_SA_FAMILY || length > src.byteSize()) {
            throw new IllegalArgumentException("address length " + length + " outside " + SIZEOF_SA_FAMILY + ".."
                    + src.byteSize() + " (the segment's size)");
        }
        return Short.toUnsignedInt(src.get(HOST_SHORT, 0));
    }

    private static void requireResolved(InetSocketAddress address) {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address.getHostString() + ":" + address.getPort()
                    + ": resolve it before passing it to a socket call");
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " out of range 0..65535");
        }
    }

    private static void requireRoom(MemorySegment dst, int len, String what) {
        if (dst == null) {
            throw new IllegalArgumentException("segment is null");
        }
        if (dst.byteSize() < len) {
            throw new IllegalArgumentException("segment of " + dst.byteSize() + " bytes cannot hold a " + what + " of " + len);
        }
    }

    private static void requireLength(int length, long need, String what) {
        if (length < need) {
            throw new IllegalArgumentException("address length " + length + " is shorter than sizeof(struct " + what + ") " + need);
        }
    }
}
