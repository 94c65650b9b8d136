package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.in_h;
import dev.isthmus.ffi.posix.iovec;
import dev.isthmus.ffi.posix.msghdr;
import dev.isthmus.ffi.posix.poll_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.linux.socket.SocketOptionTable;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link DatagramChannel} (UDP) on a non-blocking socket: recvmsg(2)/sendmsg(2) with the peer's address in
 * the thread's scratch, connect(2) to filter and fix the peer, connect with AF_UNSPEC to disconnect.
 * Datagrams longer than the buffer are truncated, as the JDK documents. Multicast membership goes through
 * the socket layer's RFC 3678 calls ({@link LinuxSocket#multicastMembership}); {@link #socket()} is a
 * {@link DatagramSocketAdaptor}.
 */
final class NativeDatagramChannel extends DatagramChannel implements NativeChannel {
    private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS, StandardSocketOptions.IP_MULTICAST_IF,
            StandardSocketOptions.IP_MULTICAST_TTL, StandardSocketOptions.IP_MULTICAST_LOOP);

    private final int fd;
    private final int family;
    private final Readiness readiness = new Readiness();
    private final Object stateLock = new Object();
    private final FdUse use;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile ThreadIo readWaiter;
    private volatile ThreadIo writeWaiter;
    private volatile SocketAddress localAddress;
    private volatile SocketAddress remoteAddress;
    /** Guarded by stateLock. */
    private final Memberships memberships = new Memberships();
    private DatagramSocketAdaptor adaptor;

    NativeDatagramChannel(SelectorProvider provider, int family) throws IOException {
        super(provider);
        if (family == socket_h.AF_UNIX) {
            throw new UnsupportedOperationException("Unix-domain datagram channels are not supported (nor by the JDK)");
        }
        this.family = family;
        this.fd = LinuxSocket.socket(ThreadIo.current().scratch, family, socket_h.SOCK_DGRAM);
        this.use = new FdUse(fd, stateLock);
    }

    /**
     * A datagram socket this process inherited (see {@link InheritedChannels}); {@code fd} is non-blocking. Bound
     * if getsockname(2) shows a port, connected if getpeername(2) succeeds.
     */
    NativeDatagramChannel(SelectorProvider provider, int family, int fd) throws IOException {
        super(provider);
        this.family = family;
        this.fd = fd;
        this.use = new FdUse(fd, stateLock);
        LinuxSocket.Scratch s = ThreadIo.current().scratch;
        SocketAddress local = LinuxSocket.localAddress(s, fd);
        this.localAddress = local instanceof java.net.InetSocketAddress isa && isa.getPort() == 0 ? null : local;
        SocketAddress remote = null;
        try {
            remote = LinuxSocket.remoteAddress(s, fd);
        } catch (IOException notConnected) {
            // ENOTCONN: an unconnected datagram socket
        }
        this.remoteAddress = remote;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    @Override
    public int readyOps(int interest, int bits) {
        int ops = ((bits & Readiness.READABLE) != 0 ? SelectionKey.OP_READ : 0)
                | ((bits & Readiness.WRITABLE) != 0 ? SelectionKey.OP_WRITE : 0);
        return ops & interest;
    }

    @Override
    public void kill() throws IOException {
        use.closeIfIdle();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (localAddress != null) {
                throw new AlreadyBoundException();
            }
            ThreadIo io = ThreadIo.current();
            Sockets.bind(io, fd, family, local != null ? local : Sockets.anyLocal(family));
            localAddress = LinuxSocket.localAddress(io.scratch, fd);
        }
        return this;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return localAddress;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remoteAddress;
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        Sockets.checkOption(OPTIONS, name, value);
        synchronized (stateLock) {
            ensureOpen();
            LinuxSocket.Scratch s = ThreadIo.current().scratch;
            if (name == StandardSocketOptions.IP_MULTICAST_IF) {
                setMulticastInterface(s, (NetworkInterface) value);
            } else if (name == StandardSocketOptions.IP_MULTICAST_TTL || name == StandardSocketOptions.IP_MULTICAST_LOOP) {
                boolean ipv6 = family == socket_h.AF_INET6;
                LinuxSocket.setMulticastOption(s, fd, ipv6, name, value);
                if (ipv6) {
                    // IPv4 groups reached from an AF_INET6 socket take the IPv4 option (ip(7)); set it too, best
                    // effort, as the JDK does on Linux
                    try {
                        LinuxSocket.setMulticastOption(s, fd, false, name, value);
                    } catch (IOException ignored) {
                        // the IPv6 option is set; the IPv4 one is a courtesy
                    }
                }
            } else {
                // SO_BROADCAST is a datagram option the table lists for the kernel stacks, not in its nio column
                LinuxSocket.setOption(s, fd, family, SocketOptionTable.EPOLL, name, value);
            }
        }
        return this;
    }

    /**
     * IP_MULTICAST_IF: by index on an AF_INET6 socket (IPV6_MULTICAST_IF), plus the interface's IPv4 address for
     * IPv4 groups when it has one; by IPv4 address on an AF_INET socket, which fails for an interface without one,
     * with the JDK's messages.
     */
    private void setMulticastInterface(LinuxSocket.Scratch s, NetworkInterface ni) throws IOException {
        Inet4Address v4 = anyInet4Address(ni);
        if (family == socket_h.AF_INET6) {
            if (ni.getIndex() < 0) {
                throw new IOException("Network interface cannot be identified");
            }
            LinuxSocket.setMulticastInterface(s, fd, null, ni.getIndex());
            if (v4 != null) {
                try {
                    LinuxSocket.setMulticastInterface(s, fd, v4.getAddress(), 0);
                } catch (IOException ignored) {
                    // best effort, as for the TTL
                }
            }
        } else {
            if (v4 == null) {
                throw new IOException("Network interface not configured for IPv4");
            }
            LinuxSocket.setMulticastInterface(s, fd, v4.getAddress(), 0);
        }
    }

    private static Inet4Address anyInet4Address(NetworkInterface ni) {
        for (java.util.Enumeration<InetAddress> e = ni.getInetAddresses(); e.hasMoreElements(); ) {
            if (e.nextElement() instanceof Inet4Address a) {
                return a;
            }
        }
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        Sockets.checkSupported(OPTIONS, name);
        synchronized (stateLock) {
            ensureOpen();
            LinuxSocket.Scratch s = ThreadIo.current().scratch;
            if (name == StandardSocketOptions.IP_MULTICAST_IF) {
                return (T) multicastInterface(s);
            }
            if (name == StandardSocketOptions.IP_MULTICAST_TTL || name == StandardSocketOptions.IP_MULTICAST_LOOP) {
                return LinuxSocket.getMulticastOption(s, fd, family == socket_h.AF_INET6, name);
            }
            return LinuxSocket.getOption(s, fd, family, SocketOptionTable.EPOLL, name);
        }
    }

    /** The interface IP_MULTICAST_IF names, null for the default (none set). */
    private NetworkInterface multicastInterface(LinuxSocket.Scratch s) throws IOException {
        if (family == socket_h.AF_INET6) {
            int index = LinuxSocket.getMulticastInterface6(s, fd);
            if (index == 0) {
                return null;
            }
            NetworkInterface ni = NetworkInterface.getByIndex(index);
            if (ni == null) {
                throw new IOException("Unable to map index " + index + " to an interface");
            }
            return ni;
        }
        byte[] a = LinuxSocket.getMulticastInterface4(s, fd);
        if ((a[0] | a[1] | a[2] | a[3]) == 0) {
            return null;
        }
        InetAddress ia = InetAddress.getByAddress(a);
        NetworkInterface ni = NetworkInterface.getByInetAddress(ia);
        if (ni == null) {
            throw new IOException("Unable to map address " + ia.getHostAddress() + " to an interface");
        }
        return ni;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public DatagramSocket socket() {
        synchronized (stateLock) {
            if (adaptor == null) {
                adaptor = new DatagramSocketAdaptor(this);
            }
            return adaptor;
        }
    }

    SocketAddress localAddressOrNull() {
        return localAddress;
    }

    SocketAddress remoteAddressOrNull() {
        return remoteAddress;
    }

    /** The any-source membership of {@code group} on {@code interf}, or null: the adaptor's joinGroup/leaveGroup. */
    MembershipKey findMembership(InetAddress group, NetworkInterface interf) {
        synchronized (stateLock) {
            return memberships.find(group, interf, null);
        }
    }

    @Override
    public boolean isConnected() {
        return remoteAddress != null;
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        readLock.lock();
        writeLock.lock();
        try {
            synchronized (stateLock) {
                ensureOpen();
                if (remoteAddress != null) {
                    throw new AlreadyConnectedException();
                }
                ThreadIo io = ThreadIo.current();
                int e = Sockets.connect(io, fd, family, remote);
                if (e != 0) {
                    throw Errno.exception("connect(" + remote + ")", e);
                }
                remoteAddress = LinuxSocket.remoteAddress(io.scratch, fd);
                localAddress = LinuxSocket.localAddress(io.scratch, fd);
            }
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
        return this;
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        readLock.lock();
        writeLock.lock();
        try {
            synchronized (stateLock) {
                if (!isOpen() || remoteAddress == null) {
                    return this;
                }
                ThreadIo io = ThreadIo.current();
                // connect(2) with AF_UNSPEC dissolves the association (udp(7)); an all-zero address is AF_UNSPEC
                MemorySegment a = io.scratch.addr;
                a.asSlice(0, SocketAddresses.MAX_LENGTH).fill((byte) 0);
                if (socket_h.connect(io.state(), fd, a, (int) dev.isthmus.ffi.posix.sockaddr_in6.sizeof()) != 0) {
                    throw Errno.exception("connect(AF_UNSPEC)", io.errno());
                }
                remoteAddress = null;
                localAddress = LinuxSocket.localAddress(io.scratch, fd);
            }
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
        return this;
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        return receive(dst, -1);
    }

    /**
     * {@link #receive(ByteBuffer)} that, in blocking mode, waits at most {@code timeoutMs} (-1: no limit) and then
     * throws {@link SocketTimeoutException}: the adaptor's {@code setSoTimeout}.
     */
    SocketAddress receive(ByteBuffer dst, int timeoutMs) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        use.enter(this);
        try {
            readLock.lock();
            try {
                if (localAddress == null) {
                    bind(null); // the JDK binds an unbound channel to the wildcard address on receive
                }
                long n = transfer(dst, true, null, timeoutMs);
                return n < 0 ? null : LinuxSocket.scratchAddress(ThreadIo.current().scratch);
            } finally {
                readLock.unlock();
            }
        } finally {
            use.exit(this);
        }
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(target, "target");
        use.enter(this);
        try {
            writeLock.lock();
            try {
                SocketAddress remote = remoteAddress;
                if (remote != null && !remote.equals(target)) {
                    throw new AlreadyConnectedException();
                }
                long n = transfer(src, false, remote != null ? null : target, -1);
                return (int) Math.max(0, n);
            } finally {
                writeLock.unlock();
            }
        } finally {
            use.exit(this);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        use.enter(this);
        try {
            readLock.lock();
            try {
                if (remoteAddress == null) {
                    throw new NotYetConnectedException();
                }
                if (dst.isReadOnly()) {
                    throw new IllegalArgumentException("Read-only buffer");
                }
                long n = transfer(dst, true, null, -1);
                return (int) Math.max(0, n == -1 ? 0 : n);
            } finally {
                readLock.unlock();
            }
        } finally {
            use.exit(this);
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        // one datagram into the first buffer with room: simpler than a scatter, and what most callers pass
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        use.enter(this);
        try {
            writeLock.lock();
            try {
                if (remoteAddress == null) {
                    throw new NotYetConnectedException();
                }
                return (int) Math.max(0, transfer(src, false, null, -1));
            } finally {
                writeLock.unlock();
            }
        } finally {
            use.exit(this);
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        int total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        ByteBuffer one = ByteBuffer.allocate(total); // one datagram from all buffers, as a gathering write sends
        for (int i = offset; i < offset + length; i++) {
            one.put(srcs[i].duplicate());
        }
        one.flip();
        int n = write(one);
        if (n > 0) {
            int left = n;
            for (int i = offset; i < offset + length && left > 0; i++) {
                int take = Math.min(left, srcs[i].remaining());
                srcs[i].position(srcs[i].position() + take);
                left -= take;
            }
        }
        return n;
    }

    /**
     * One recvmsg or sendmsg, waiting in blocking mode; returns bytes moved, or -1 when nothing was there (or
     * no room) in non-blocking mode. A receive leaves the peer's address in the thread's scratch.
     */
    private long transfer(ByteBuffer buf, boolean in, SocketAddress target, int timeoutMs) throws IOException {
        boolean blocking = isBlocking();
        long deadline = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000L : 0;
        boolean completed = false;
        if (blocking) {
            begin();
        }
        try {
            ensureOpen();
            ThreadIo io = ThreadIo.current();
            while (true) {
                long snap = readiness.snapshot();
                long n = in ? recv(io, buf) : send(io, buf, target);
                if (n >= 0) {
                    completed = true;
                    return n;
                }
                if (n != FdIo.EAGAIN) {
                    throw Errno.exception(in ? "recvmsg" : "sendmsg", (int) -n);
                }
                readiness.clear(snap, in ? Readiness.READABLE : Readiness.WRITABLE);
                if (!blocking) {
                    completed = true;
                    return -1;
                }
                if (in) {
                    readWaiter = io;
                } else {
                    writeWaiter = io;
                }
                if (!isOpen()) {
                    return -1;
                }
                int wait = timeoutMs > 0 ? NativeSocketChannel.remaining(deadline, timeoutMs) : -1;
                if (!io.await(fd, in ? poll_h.POLLIN : poll_h.POLLOUT, wait) && timeoutMs > 0
                        && NativeSocketChannel.remaining(deadline, timeoutMs) == 0) {
                    throw new SocketTimeoutException("Receive timed out");
                }
                readWaiter = null;
                writeWaiter = null;
                if (!isOpen()) {
                    return -1;
                }
            }
        } finally {
            readWaiter = null;
            writeWaiter = null;
            if (blocking) {
                end(completed && isOpen());
            }
        }
    }

    private long recv(ThreadIo io, ByteBuffer dst) {
        int pos = dst.position();
        int rem = dst.limit() - pos;
        MemorySegment data = dst.isDirect() ? MemorySegment.ofBuffer(dst) : io.bounce.asSlice(0, Math.min(rem, ThreadIo.BOUNCE_BYTES));
        MemorySegment iov = iovec.asSlice(io.iov, 0);
        iovec.iov_base(iov, data);
        iovec.iov_len(iov, data.byteSize());
        MemorySegment m = io.msg;
        m.fill((byte) 0);
        msghdr.msg_name(m, io.scratch.addr);
        msghdr.msg_namelen(m, SocketAddresses.MAX_LENGTH);
        msghdr.msg_iov(m, io.iov);
        msghdr.msg_iovlen(m, 1);
        long n = socket_h.recvmsg(io.state(), fd, m, 0);
        if (n < 0) {
            return -io.errno();
        }
        // MSG_TRUNC in msg_flags: the rest of a longer datagram is discarded, as DatagramChannel documents
        long got = Math.min(n, data.byteSize());
        if (!dst.isDirect()) {
            MemorySegment.copy(io.bounce, 0, MemorySegment.ofBuffer(dst), 0, got);
        }
        dst.position(pos + (int) got);
        io.scratch.len.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, msghdr.msg_namelen(m));
        return got;
    }

    private long send(ThreadIo io, ByteBuffer src, SocketAddress target) {
        int pos = src.position();
        int rem = src.limit() - pos;
        MemorySegment data;
        if (src.isDirect()) {
            data = MemorySegment.ofBuffer(src);
        } else {
            if (rem > ThreadIo.BOUNCE_BYTES) {
                return -errno_h.EMSGSIZE; // larger than any UDP datagram
            }
            data = io.bounce.asSlice(0, rem);
            MemorySegment.copy(MemorySegment.ofBuffer(src), 0, data, 0, rem);
        }
        MemorySegment iov = iovec.asSlice(io.iov, 0);
        iovec.iov_base(iov, data);
        iovec.iov_len(iov, rem);
        MemorySegment m = io.msg;
        m.fill((byte) 0);
        if (target != null) {
            int len = Sockets.writeAddress(io, family, target, true);
            msghdr.msg_name(m, io.scratch.addr);
            msghdr.msg_namelen(m, len);
        }
        msghdr.msg_iov(m, io.iov);
        msghdr.msg_iovlen(m, 1);
        long n = socket_h.sendmsg(io.state(), fd, m, 0);
        if (n < 0) {
            return -io.errno();
        }
        src.position(pos + (int) n);
        return n;
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) throws IOException {
        return join0(group, interf, null);
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        return join0(group, interf, Objects.requireNonNull(source, "source"));
    }

    /**
     * Joins with MCAST_JOIN_GROUP or MCAST_JOIN_SOURCE_GROUP by interface index (RFC 3678), after the JDK's
     * checks: a multicast group of a family this socket can reach, a unicast source of the group's family,
     * and the existing key (or IllegalStateException) for a membership this channel already has.
     */
    private MembershipKey join0(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(interf, "interf");
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("Group not a multicast address");
        }
        if (group instanceof Inet6Address && family != socket_h.AF_INET6) {
            throw new IllegalArgumentException("Only IPv6 sockets can join IPv6 multicast group");
        }
        if (source != null) {
            checkSource(group, source);
        }
        synchronized (stateLock) {
            ensureOpen();
            NativeMembershipKey key = memberships.find(group, interf, source);
            if (key != null) {
                return key;
            }
            int index = interf.getIndex();
            if (index < 0) {
                throw new IOException("Network interface cannot be identified");
            }
            if (family == socket_h.AF_INET && anyInet4Address(interf) == null) {
                // the JDK's IPv4 sockets name the interface by its IPv4 address; keep its failure for one without
                throw new IOException("Network interface not configured for IPv4");
            }
            LinuxSocket.multicastMembership(ThreadIo.current().scratch, fd,
                    source == null ? in_h.MCAST_JOIN_GROUP : in_h.MCAST_JOIN_SOURCE_GROUP, index, group, source);
            key = new NativeMembershipKey(this, group, interf, source, index);
            memberships.add(key);
            return key;
        }
    }

    private static void checkSource(InetAddress group, InetAddress source) {
        if (source.isAnyLocalAddress()) {
            throw new IllegalArgumentException("Source address is a wildcard address");
        }
        if (source.isMulticastAddress()) {
            throw new IllegalArgumentException("Source address is multicast address");
        }
        if (source.getClass() != group.getClass()) {
            throw new IllegalArgumentException("Source address is different type to group");
        }
    }

    /** MembershipKey.drop: leaves the group (a no-op for a key already invalid). */
    void drop(NativeMembershipKey key) {
        synchronized (stateLock) {
            if (!key.isValid()) {
                return;
            }
            try {
                LinuxSocket.multicastMembership(ThreadIo.current().scratch, fd,
                        key.sourceAddress() == null ? in_h.MCAST_LEAVE_GROUP : in_h.MCAST_LEAVE_SOURCE_GROUP,
                        key.ifindex(), key.group(), key.sourceAddress());
            } catch (IOException e) {
                // a valid key is a membership the kernel holds; leaving it cannot fail but for a broken invariant
                throw new java.io.UncheckedIOException("leaving " + key + " failed", e);
            }
            key.invalidate();
            memberships.remove(key);
        }
    }

    /** MembershipKey.block for an any-source key: MCAST_BLOCK_SOURCE, once per source. */
    void block(NativeMembershipKey key, InetAddress source) throws IOException {
        synchronized (stateLock) {
            if (!key.isValid()) {
                throw new IllegalStateException("key is no longer valid");
            }
            checkSource(key.group(), source);
            if (key.blocked().contains(source)) {
                return;
            }
            LinuxSocket.multicastMembership(ThreadIo.current().scratch, fd, in_h.MCAST_BLOCK_SOURCE, key.ifindex(),
                    key.group(), source);
            key.blocked().add(source);
        }
    }

    /** MembershipKey.unblock: MCAST_UNBLOCK_SOURCE for a source this key blocks. */
    void unblock(NativeMembershipKey key, InetAddress source) {
        synchronized (stateLock) {
            if (!key.isValid()) {
                throw new IllegalStateException("key is no longer valid");
            }
            if (!key.blocked().contains(source)) {
                throw new IllegalStateException("not blocked");
            }
            try {
                LinuxSocket.multicastMembership(ThreadIo.current().scratch, fd, in_h.MCAST_UNBLOCK_SOURCE, key.ifindex(),
                        key.group(), source);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("unblocking " + source + " on " + key + " failed", e);
            }
            key.blocked().remove(source);
        }
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        readLock.lock();
        try {
            writeLock.lock();
            writeLock.unlock();
        } finally {
            readLock.unlock();
        }
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        ThreadIo r = readWaiter;
        ThreadIo w = writeWaiter;
        if (r != null) {
            r.wake();
        }
        if (w != null) {
            w.wake();
        }
        synchronized (stateLock) {
            memberships.invalidateAll(); // the kernel leaves the groups when the socket is closed
            if (!isRegistered()) {
                use.closeIfIdle();
            }
        }
        afterClose.run();
    }

    /** Runs once this channel is closed: the inherited channel detaches the standard streams (see {@link InheritedChannels}). */
    final AfterClose afterClose = new AfterClose();

    @Override
    public String toString() {
        return "NativeDatagramChannel[fd=" + fd + (isOpen() ? ", " + localAddress : ", closed") + "]";
    }
}
