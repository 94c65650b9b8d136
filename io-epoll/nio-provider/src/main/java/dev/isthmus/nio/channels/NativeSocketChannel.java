package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.poll_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link SocketChannel} on a non-blocking socket descriptor. Blocking mode is the non-blocking call plus a
 * wait in poll(2) on (socket, the thread's eventfd), so {@code close} from another thread and
 * {@link Thread#interrupt()} end the wait as the JDK documents (AsynchronousCloseException,
 * ClosedByInterruptException). A call that meets EAGAIN clears the readiness the selector recorded.
 */
final class NativeSocketChannel extends SocketChannel implements NativeChannel {
    private static final int ST_UNCONNECTED = 0;
    private static final int ST_PENDING = 1;
    private static final int ST_CONNECTED = 2;

    private final int fd;
    private final int family;
    private final Readiness readiness = new Readiness();
    /** What a selector read ahead and no read has taken yet; see {@link ReadAhead}. */
    private final PendingInput pending = new PendingInput();
    /** read(2)/readv(2) calls made, and reads served from {@link #pending} (under the read lock; for tests). */
    private long systemReads;
    private long readAheadReads;
    private final FdUse use;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private volatile ThreadIo readWaiter;
    private volatile ThreadIo writeWaiter;
    private volatile int state;
    private volatile boolean inputShut;
    private volatile boolean outputShut;
    private SocketAddress localAddress;
    private SocketAddress remoteAddress;
    private SocketAdaptor adaptor;

    /** A new socket of {@code family}. */
    NativeSocketChannel(SelectorProvider provider, int family) throws IOException {
        super(provider);
        this.family = family;
        this.fd = LinuxSocket.socket(ThreadIo.current().scratch, family, socket_h.SOCK_STREAM);
        this.use = new FdUse(fd, stateLock);
    }

    /** An accepted connection. */
    NativeSocketChannel(SelectorProvider provider, int family, int fd, SocketAddress remote) {
        super(provider);
        this.family = family;
        this.fd = fd;
        this.use = new FdUse(fd, stateLock);
        this.remoteAddress = remote;
        this.state = ST_CONNECTED;
    }

    @Override
    public int fd() {
        return fd;
    }

    int family() {
        return family;
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    @Override
    public int readyOps(int interest, int bits) {
        int ops = 0;
        if ((bits & Readiness.READABLE) != 0 || !pending.isEmpty()) {
            ops |= SelectionKey.OP_READ;
        }
        if ((bits & Readiness.WRITABLE) != 0) {
            int s = state;
            ops |= s == ST_CONNECTED ? SelectionKey.OP_WRITE : s == ST_PENDING ? SelectionKey.OP_CONNECT : 0;
        }
        return ops & interest;
    }

    ReentrantLock readLock() {
        return readLock;
    }

    PendingInput pendingInput() {
        return pending;
    }

    /**
     * Whether a selector may read ahead for this channel now (see {@link ReadAhead}): open, connected,
     * non-blocking, input not shut, nothing pending.
     */
    boolean readAheadCandidate() {
        return pending.isEmpty() && state == ST_CONNECTED && !inputShut && !isBlocking() && isOpen();
    }

    long systemReads() {
        return systemReads;
    }

    long readAheadReads() {
        return readAheadReads;
    }

    /** Bytes a read takes without a system call (the socket adaptor's {@code available()}). */
    int available() {
        return pending.available();
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

    // --- addresses, options -----------------------------------------------------------------------

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        readLock.lock();
        try {
            writeLock.lock();
            try {
                synchronized (stateLock) {
                    ensureOpen();
                    if (state == ST_PENDING) {
                        throw new ConnectionPendingException();
                    }
                    if (localAddress != null) {
                        throw new AlreadyBoundException();
                    }
                    SocketAddress sa = local != null ? local : family == socket_h.AF_UNIX ? null : Sockets.anyLocal(family);
                    if (sa == null) {
                        throw new UnsupportedOperationException("bind(null) on a Unix-domain channel (an automatic temporary path) is not supported by "
                                + IsthmusSelectorProvider.class.getName() + "; bind to an explicit UnixDomainSocketAddress");
                    }
                    ThreadIo io = ThreadIo.current();
                    Sockets.bind(io, fd, family, sa);
                    localAddress = LinuxSocket.localAddress(io.scratch, fd);
                }
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
        return this;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (localAddress == null && state == ST_CONNECTED) {
                localAddress = LinuxSocket.localAddress(ThreadIo.current().scratch, fd);
            }
            return localAddress;
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            return remoteAddress;
        }
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        Sockets.setChannelOption(this, stateLock, fd, family, supportedOptions(), name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return Sockets.getChannelOption(this, stateLock, fd, family, supportedOptions(), name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return Sockets.streamOptions(family);
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (state != ST_CONNECTED) {
                throw new NotYetConnectedException();
            }
            if (!inputShut) {
                LinuxSocket.shutdown(ThreadIo.current().scratch, fd, socket_h.SHUT_RD);
                inputShut = true;
                pending.discard(); // reads return -1 from now on, as the JDK's do after shutdownInput
                wake(readWaiter);
            }
        }
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (state != ST_CONNECTED) {
                throw new NotYetConnectedException();
            }
            if (!outputShut) {
                LinuxSocket.shutdown(ThreadIo.current().scratch, fd, socket_h.SHUT_WR);
                outputShut = true;
                wake(writeWaiter);
            }
        }
        return this;
    }

    @Override
    public Socket socket() {
        synchronized (stateLock) {
            if (adaptor == null) {
                try {
                    adaptor = new SocketAdaptor(this);
                } catch (java.net.SocketException e) {
                    throw new java.io.UncheckedIOException(e); // Socket(SocketImpl) throws only for a non-null impl
                }
            }
            return adaptor;
        }
    }

    boolean isInputShutdown() {
        return inputShut;
    }

    boolean isOutputShutdown() {
        return outputShut;
    }

    // --- connect --------------------------------------------------------------------------------

    @Override
    public boolean isConnected() {
        return state == ST_CONNECTED;
    }

    @Override
    public boolean isConnectionPending() {
        return state == ST_PENDING;
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        return connect(remote, -1);
    }

    /** connect with a time-out in ms for a blocking channel (-1: none), for the socket adaptor. */
    boolean connect(SocketAddress remote, int timeoutMs) throws IOException {
        use.enter(this);
        try {
            return connect0(remote, timeoutMs);
        } finally {
            use.exit(this);
        }
    }

    private boolean connect0(SocketAddress remote, int timeoutMs) throws IOException {
        readLock.lock();
        try {
            writeLock.lock();
            try {
                ThreadIo io = ThreadIo.current();
                boolean blocking = isBlocking();
                synchronized (stateLock) {
                    ensureOpen();
                    if (state == ST_CONNECTED) {
                        throw new AlreadyConnectedException();
                    }
                    if (state == ST_PENDING) {
                        throw new ConnectionPendingException();
                    }
                    Objects.requireNonNull(remote, "remote");
                    // the edges of the unconnected socket (EPOLLHUP) say nothing about the connection
                    readiness.clear(readiness.snapshot(), Readiness.READABLE | Readiness.WRITABLE);
                    int e = Sockets.connect(io, fd, family, remote);
                    if (e == 0) {
                        connected(io, remote);
                        return true;
                    }
                    if (e != errno_h.EINPROGRESS && !(e == errno_h.EAGAIN && family == socket_h.AF_UNIX && blocking)) {
                        throw Errno.exception("connect(" + remote + ")", e);
                    }
                    remoteAddress = remote;
                    state = ST_PENDING;
                }
                if (!blocking) {
                    return false;
                }
                return awaitConnect(io, timeoutMs);
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
    }

    private void connected(ThreadIo io, SocketAddress remote) throws IOException {
        state = ST_CONNECTED;
        remoteAddress = remote instanceof java.net.InetSocketAddress ? LinuxSocket.remoteAddress(io.scratch, fd) : remote;
        localAddress = LinuxSocket.localAddress(io.scratch, fd);
    }

    private boolean awaitConnect(ThreadIo io, int timeoutMs) throws IOException {
        boolean done = false;
        begin();
        try {
            long deadline = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000L : 0;
            while (true) {
                if (!isOpen()) {
                    return false;
                }
                if (checkConnect(io)) {
                    done = true;
                    return true;
                }
                writeWaiter = io;
                if (!isOpen()) {
                    return false;
                }
                int wait = remaining(deadline, timeoutMs);
                if (!io.await(fd, poll_h.POLLOUT, wait) && timeoutMs > 0 && remaining(deadline, timeoutMs) == 0) {
                    writeWaiter = null;
                    close();
                    throw new SocketTimeoutException("Connect timed out");
                }
                writeWaiter = null;
            }
        } finally {
            writeWaiter = null;
            end(done);
        }
    }

    static int remaining(long deadline, int timeoutMs) {
        if (timeoutMs <= 0) {
            return -1;
        }
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        return (int) Math.max(0, left);
    }

    /** True once connected; throws the connect error; false while pending. */
    private boolean checkConnect(ThreadIo io) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            int err = LinuxSocket.soError(io.scratch, fd);
            if (err != 0) {
                throw Errno.exception("connect(" + remoteAddress + ")", err);
            }
            if (socket_h.getpeername(io.state(), fd, io.scratch.addr, lenReset(io)) != 0) {
                if (io.errno() == errno_h.ENOTCONN) {
                    return false;
                }
                throw Errno.exception("getpeername", io.errno());
            }
            connected(io, remoteAddress);
            return true;
        }
    }

    private static java.lang.foreign.MemorySegment lenReset(ThreadIo io) {
        io.scratch.len.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, dev.isthmus.ffi.posix.SocketAddresses.MAX_LENGTH);
        return io.scratch.len;
    }

    @Override
    public boolean finishConnect() throws IOException {
        use.enter(this);
        try {
            return finishConnect0();
        } finally {
            use.exit(this);
        }
    }

    private boolean finishConnect0() throws IOException {
        readLock.lock();
        try {
            writeLock.lock();
            try {
                ThreadIo io = ThreadIo.current();
                synchronized (stateLock) {
                    ensureOpen();
                    if (state == ST_CONNECTED) {
                        return true;
                    }
                    if (state != ST_PENDING) {
                        throw new NoConnectionPendingException();
                    }
                }
                if (!isBlocking()) {
                    long snap = readiness.snapshot();
                    try {
                        if (checkConnect(io)) {
                            return true;
                        }
                    } catch (IOException e) {
                        close(); // a failed connect closes the channel, as the JDK's does
                        throw e;
                    }
                    readiness.clear(snap, Readiness.WRITABLE);
                    return false;
                }
                try {
                    return awaitConnect(io, -1);
                } catch (IOException e) {
                    if (isOpen()) {
                        close();
                    }
                    throw e;
                }
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
    }

    // --- read / write ---------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        return (int) doRead(dst, null, 0, 0, -1);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        return doRead(null, dsts, offset, length, -1);
    }

    /** Reads with an SO_TIMEOUT (ms, -1 none) for the socket adaptor's input stream. */
    int read(ByteBuffer dst, int timeoutMs) throws IOException {
        return (int) doRead(dst, null, 0, 0, timeoutMs);
    }

    private long doRead(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length, int timeoutMs) throws IOException {
        use.enter(this);
        try {
            return doRead0(dst, dsts, offset, length, timeoutMs);
        } finally {
            use.exit(this);
        }
    }

    private long doRead0(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length, int timeoutMs) throws IOException {
        readLock.lock();
        try {
            boolean blocking = isBlocking();
            long n = 0;
            if (blocking) {
                begin();
            }
            try {
                ensureOpen();
                if (state != ST_CONNECTED) {
                    throw new NotYetConnectedException();
                }
                checkWritable(dst, dsts, offset, length); // after the state checks, in the JDK's order
                if (inputShut) {
                    return -1;
                }
                if (dst != null ? !dst.hasRemaining() : !anyRemaining(dsts, offset, length)) {
                    return 0;
                }
                if (!pending.isEmpty()) {
                    // what the selector read ahead comes first; only then the socket (READABLE says whether the
                    // read-ahead emptied the receive queue, so the next read makes a read(2) or the caller selects)
                    n = pending.take(dst, dsts, offset, length);
                    if (n != 0) {
                        readAheadReads++;
                        return n;
                    }
                }
                ThreadIo io = ThreadIo.current();
                long deadline = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000L : 0;
                while (true) {
                    long snap = readiness.snapshot();
                    systemReads++;
                    n = dst != null ? FdIo.read(io, fd, dst) : FdIo.readv(io, fd, dsts, offset, length);
                    if (n > 0) {
                        if (n < io.offered) {
                            // a stream socket returns less than asked only when its receive queue is empty now;
                            // data that comes later raises a new edge (tcp_recvmsg copies what is queued)
                            readiness.clear(snap, Readiness.READABLE);
                        }
                        return n;
                    }
                    if (n == 0) {
                        return -1; // end of stream (read(2) returned 0 for a non-empty buffer)
                    }
                    if (n != FdIo.EAGAIN) {
                        if (inputShut) {
                            return -1;
                        }
                        throw Errno.exception("read", (int) -n);
                    }
                    readiness.clear(snap, Readiness.READABLE);
                    if (!blocking) {
                        n = 0;
                        return 0;
                    }
                    readWaiter = io;
                    if (!isOpen() || inputShut) {
                        break;
                    }
                    int wait = remaining(deadline, timeoutMs);
                    if (!io.await(fd, poll_h.POLLIN | poll_h.POLLRDHUP, wait) && timeoutMs > 0 && remaining(deadline, timeoutMs) == 0) {
                        throw new SocketTimeoutException("Read timed out");
                    }
                    readWaiter = null;
                    if (!isOpen()) {
                        break;
                    }
                    if (inputShut) {
                        return -1;
                    }
                }
                n = 0;
                return inputShut && isOpen() ? -1 : 0;
            } finally {
                readWaiter = null;
                if (blocking) {
                    end(n > 0 || (isOpen()));
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    private static void checkWritable(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length) {
        if (dst != null && dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        for (int i = offset; dsts != null && i < offset + length; i++) {
            if (dsts[i].isReadOnly()) {
                throw new IllegalArgumentException("Read-only buffer");
            }
        }
    }

    static long remaining(ByteBuffer[] bs, int offset, int length) {
        long r = 0;
        for (int i = offset; i < offset + length; i++) {
            r += bs[i].remaining();
        }
        return r;
    }

    private static boolean anyRemaining(ByteBuffer[] bs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        return (int) doWrite(src, null, 0, 0);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        return doWrite(null, srcs, offset, length);
    }

    private long doWrite(ByteBuffer src, ByteBuffer[] srcs, int offset, int length) throws IOException {
        use.enter(this);
        try {
            return doWrite0(src, srcs, offset, length);
        } finally {
            use.exit(this);
        }
    }

    private long doWrite0(ByteBuffer src, ByteBuffer[] srcs, int offset, int length) throws IOException {
        writeLock.lock();
        try {
            boolean blocking = isBlocking();
            long total = 0;
            boolean completed = false;
            if (blocking) {
                begin();
            }
            try {
                ensureOpen();
                if (state != ST_CONNECTED) {
                    throw new NotYetConnectedException();
                }
                if (outputShut) {
                    throw new ClosedChannelException();
                }
                ThreadIo io = ThreadIo.current();
                while (src != null ? src.hasRemaining() : anyRemaining(srcs, offset, length)) {
                    long snap = readiness.snapshot();
                    long n = src != null ? FdIo.write(io, fd, src) : FdIo.writev(io, fd, srcs, offset, length);
                    if (n >= 0) {
                        if (n < io.offered) {
                            // a short write means the send buffer is full; EPOLLOUT comes when it drains
                            readiness.clear(snap, Readiness.WRITABLE);
                            if (!blocking) {
                                total += n;
                                break;
                            }
                        }
                        total += n;
                        continue; // a blocking write returns only when everything is written; a non-blocking one tries the rest once more
                    }
                    if (n != FdIo.EAGAIN) {
                        if (outputShut) {
                            throw new ClosedChannelException();
                        }
                        throw Errno.exception("write", (int) -n);
                    }
                    readiness.clear(snap, Readiness.WRITABLE);
                    if (!blocking) {
                        break;
                    }
                    writeWaiter = io;
                    if (!isOpen() || outputShut) {
                        break;
                    }
                    io.await(fd, poll_h.POLLOUT, -1);
                    writeWaiter = null;
                    if (!isOpen() || outputShut) {
                        break;
                    }
                }
                completed = true;
                if (blocking && isOpen() && outputShut && (src != null ? src.hasRemaining() : anyRemaining(srcs, offset, length))) {
                    throw new ClosedChannelException();
                }
                return total;
            } finally {
                writeWaiter = null;
                if (blocking) {
                    end(completed && isOpen());
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    // --- blocking mode, close -------------------------------------------------------------------

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        // The descriptor stays O_NONBLOCK; blocking is emulated. Wait for calls in progress, as the JDK does.
        readLock.lock();
        try {
            writeLock.lock();
            writeLock.unlock();
            if (block) {
                pending.detach(null); // no selector holds the channel now; its pool may close
            }
        } finally {
            readLock.unlock();
        }
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        wake(readWaiter);
        wake(writeWaiter);
        pending.discard();
        // Close the descriptor unless a call is inside it or a selector still holds it; see FdUse.
        synchronized (stateLock) {
            if (!isRegistered()) {
                use.closeIfIdle();
            }
        }
        afterClose.run();
    }

    /** Runs once this channel is closed: the inherited channel detaches the standard streams (see {@link InheritedChannels}). */
    final AfterClose afterClose = new AfterClose();

    private static void wake(ThreadIo waiter) {
        if (waiter != null) {
            waiter.wake();
        }
    }

    @Override
    public String toString() {
        return "NativeSocketChannel[fd=" + fd + (isOpen() ? "" : ", closed")
                + (state == ST_CONNECTED ? ", connected " + remoteAddress : "") + "]";
    }
}
