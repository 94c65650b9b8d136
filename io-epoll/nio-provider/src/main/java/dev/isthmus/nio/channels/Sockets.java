package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.linux.socket.SocketOptionTable;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the socket channels share on top of {@link LinuxSocket}: the family a channel opens (AF_INET6 dual
 * stack by default, as the JDK does, AF_INET with {@code java.net.preferIPv4Stack=true}), writing an address
 * for that family (an IPv4 address on an AF_INET6 socket becomes {@code ::ffff:a.b.c.d}, the IPv4 wildcard
 * becomes {@code ::}), the JDK's argument checks, and socket options through {@link SocketOptionTable}'s
 * {@code nio} column: exactly the options the JDK's own channels offer.
 */
final class Sockets {
    private Sockets() {
    }

    private static final boolean PREFER_IPV4 = Boolean.getBoolean("java.net.preferIPv4Stack");
    private static final boolean IPV6 = !PREFER_IPV4 && probeInet6();

    private static boolean probeInet6() {
        ThreadIo io = ThreadIo.current();
        int fd = socket_h.socket(io.state(), socket_h.AF_INET6, socket_h.SOCK_STREAM | socket_h.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return false;
        }
        LinuxSocket.closeQuietly(io.state(), fd);
        return true;
    }

    /** The address family for {@code family} (null: the default internet family). */
    static int family(ProtocolFamily family) {
        if (family == null || family == StandardProtocolFamily.INET6) {
            if (family == StandardProtocolFamily.INET6 && !IPV6) {
                throw new UnsupportedOperationException("IPv6 not available");
            }
            return IPV6 ? socket_h.AF_INET6 : socket_h.AF_INET;
        }
        if (family == StandardProtocolFamily.INET) {
            return socket_h.AF_INET;
        }
        if (family == StandardProtocolFamily.UNIX) {
            return socket_h.AF_UNIX;
        }
        throw new UnsupportedOperationException("Protocol family not supported: " + family);
    }

    /**
     * Checks an address as the JDK does (null, unresolved, wrong type for the family) and writes it into the
     * thread's scratch; returns the socklen_t.
     */
    static int writeAddress(ThreadIo io, int family, SocketAddress sa, boolean forConnect) {
        if (family == socket_h.AF_UNIX) {
            if (!(sa instanceof UnixDomainSocketAddress u)) {
                throw new UnsupportedAddressTypeException();
            }
            return SocketAddresses.writeUnix(u, io.scratch.addr);
        }
        if (sa == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (!(sa instanceof InetSocketAddress isa)) {
            throw new UnsupportedAddressTypeException();
        }
        if (isa.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        InetAddress a = isa.getAddress();
        if (forConnect && a.isAnyLocalAddress()) {
            // connect to the wildcard means this host, as the JDK's Net.checkAddress treats it
            a = a instanceof Inet6Address ? InetAddress.getLoopbackAddress() : loopback4();
        }
        if (family == socket_h.AF_INET) {
            if (!(a instanceof Inet4Address)) {
                throw new UnsupportedAddressTypeException();
            }
            return SocketAddresses.writeInet(a, isa.getPort(), io.scratch.addr);
        }
        if (a instanceof Inet4Address && a.isAnyLocalAddress()) {
            return SocketAddresses.writeInet6(new InetSocketAddress(in6Any(), isa.getPort()), io.scratch.addr);
        }
        return SocketAddresses.writeInet6(new InetSocketAddress(a, isa.getPort()), io.scratch.addr);
    }

    private static InetAddress loopback4() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress in6Any() {
        try {
            return InetAddress.getByAddress(new byte[16]);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The wildcard address a {@code bind(null)} takes. */
    static SocketAddress anyLocal(int family) {
        return new InetSocketAddress(family == socket_h.AF_INET6 ? in6Any() : loopbackAny4(), 0);
    }

    private static InetAddress loopbackAny4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static void bind(ThreadIo io, int fd, int family, SocketAddress local) throws IOException {
        int len = writeAddress(io, family, local, false);
        if (socket_h.bind(io.state(), fd, io.scratch.addr, len) != 0) {
            throw Errno.exception("bind(" + local + ")", io.errno());
        }
    }

    /** connect(2): 0, or the errno (EINPROGRESS: wait for writability). */
    static int connect(ThreadIo io, int fd, int family, SocketAddress remote) {
        int len = writeAddress(io, family, remote, true);
        return socket_h.connect(io.state(), fd, io.scratch.addr, len) == 0 ? 0 : io.errno();
    }

    /** The options a stream socket channel of {@code family} offers (the JDK's SocketChannel list). */
    static Set<SocketOption<?>> streamOptions(int family) {
        if (family == socket_h.AF_UNIX) {
            return Set.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_LINGER);
        }
        return unmodifiable(SocketOptionTable.supportedBy(SocketOptionTable.NIO));
    }

    /** The options a listening channel of {@code family} offers (the JDK's ServerSocketChannel list). */
    static Set<SocketOption<?>> listenOptions(int family) {
        if (family == socket_h.AF_UNIX) {
            return Set.of(StandardSocketOptions.SO_RCVBUF);
        }
        return Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT);
    }

    private static Set<SocketOption<?>> unmodifiable(List<SocketOption<?>> l) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(l));
    }

    /** The JDK's checks for setOption: supported, value of the option's type, sane numbers. */
    static void checkOption(Set<SocketOption<?>> supported, SocketOption<?> name, Object value) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (!supported.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
        if (!name.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "'");
        }
        if ((name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF) && (Integer) value < 0) {
            throw new IllegalArgumentException("Invalid send/receive buffer size");
        }
        if (name == StandardSocketOptions.IP_TOS && ((Integer) value < 0 || (Integer) value > 255)) {
            throw new IllegalArgumentException("Invalid IP_TOS value");
        }
        if (name == StandardSocketOptions.IP_MULTICAST_TTL && ((Integer) value < 0 || (Integer) value > 255)) {
            throw new IllegalArgumentException("Invalid TTL/hop value");
        }
    }

    static <T> void setOption(ThreadIo io, int fd, int family, SocketOption<T> name, Object value) throws IOException {
        Object v = value;
        if (name == StandardSocketOptions.SO_LINGER && (Integer) value > 65535) {
            v = 65535; // as the JDK caps it
        }
        LinuxSocket.setOption(io.scratch, fd, family, SocketOptionTable.NIO, name, v);
    }

    static <T> T getOption(ThreadIo io, int fd, int family, SocketOption<T> name) throws IOException {
        if (name == null) {
            throw new NullPointerException("name");
        }
        return LinuxSocket.getOption(io.scratch, fd, family, SocketOptionTable.NIO, name);
    }

    static void checkSupported(Set<SocketOption<?>> supported, SocketOption<?> name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (!supported.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }

    /**
     * setOption of a stream or listening socket channel: the JDK's checks, then, under the channel's state lock so
     * that a concurrent close cannot free the descriptor meanwhile, the option on the still open channel.
     */
    static <T> void setChannelOption(Channel ch, Object stateLock, int fd, int family, Set<SocketOption<?>> supported,
                                     SocketOption<T> name, T value) throws IOException {
        checkOption(supported, name, value);
        synchronized (stateLock) {
            ensureOpen(ch);
            setOption(ThreadIo.current(), fd, family, name, value);
        }
    }

    /** getOption of a stream or listening socket channel, checked and locked as {@link #setChannelOption}. */
    static <T> T getChannelOption(Channel ch, Object stateLock, int fd, int family, Set<SocketOption<?>> supported,
                                  SocketOption<T> name) throws IOException {
        checkSupported(supported, name);
        synchronized (stateLock) {
            ensureOpen(ch);
            return getOption(ThreadIo.current(), fd, family, name);
        }
    }

    private static void ensureOpen(Channel ch) throws ClosedChannelException {
        if (!ch.isOpen()) {
            throw new ClosedChannelException();
        }
    }
}
