package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.iovec;
import dev.isthmus.ffi.posix.msghdr;
import dev.isthmus.ffi.posix.poll_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.linux.socket.SocketOptionTable;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
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
 * Datagrams longer than the buffer are truncated, as the JDK documents. Multicast membership and the
 * {@link #socket()} adaptor are not implemented and say so.
 */
final class NativeDatagramChannel extends DatagramChannel implements NativeChannel {
    private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS);

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

    NativeDatagramChannel(SelectorProvider provider, int family) throws IOException {
        super(provider);
        if (family == socket_h.AF_UNIX) {
            throw new UnsupportedOperationException("Unix-domain datagram channels are not supported (nor by the JDK)");
        }
        this.family = family;
        this.fd = LinuxSocket.socket(ThreadIo.current().scratch, family, socket_h.SOCK_DGRAM);
        this.use = new FdUse(fd, stateLock);
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
            // SO_BROADCAST is a datagram option the table lists for the kernel stacks, not in its nio column
            LinuxSocket.setOption(ThreadIo.current().scratch, fd, family, SocketOptionTable.EPOLL, name, value);
        }
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        Sockets.checkSupported(OPTIONS, name);
        synchronized (stateLock) {
            ensureOpen();
            return LinuxSocket.getOption(ThreadIo.current().scratch, fd, family, SocketOptionTable.EPOLL, name);
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public DatagramSocket socket() {
        throw new UnsupportedOperationException("DatagramChannel.socket() (the DatagramSocket adaptor) is not implemented by "
                + IsthmusSelectorProvider.class.getName());
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
                long n = transfer(dst, true, null);
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
                long n = transfer(src, false, remote != null ? null : target);
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
                long n = transfer(dst, true, null);
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
                return (int) Math.max(0, transfer(src, false, null));
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
    private long transfer(ByteBuffer buf, boolean in, SocketAddress target) throws IOException {
        boolean blocking = isBlocking();
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
                io.await(fd, in ? poll_h.POLLIN : poll_h.POLLOUT, -1);
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
    public MembershipKey join(InetAddress group, NetworkInterface interf) {
        throw multicastMissing();
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) {
        throw multicastMissing();
    }

    private static UnsupportedOperationException multicastMissing() {
        return new UnsupportedOperationException("multicast membership is not implemented by "
                + IsthmusSelectorProvider.class.getName() + " yet; run without -Djava.nio.channels.spi.SelectorProvider for multicast");
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
            if (!isRegistered()) {
                use.closeIfIdle();
            }
        }
    }

    @Override
    public String toString() {
        return "NativeDatagramChannel[fd=" + fd + (isOpen() ? ", " + localAddress : ", closed") + "]";
    }
}
