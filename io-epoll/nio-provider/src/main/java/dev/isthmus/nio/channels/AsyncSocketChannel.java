package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.poll_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.WritePendingException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AsynchronousSocketChannel} on a non-blocking TCP socket in its group's epoll set. An operation tries
 * its system call in the initiating call; on EAGAIN it stays pending (one read, one write at a time, as the
 * contract allows) and the group's poller retries it on the socket's next edge. The read and write sides each
 * have a lock held around the system call and the pending slot, so an edge that arrives while the initiating
 * call meets EAGAIN is not lost: the poller waits for the lock and then finds the operation pending.
 *
 * <p>Buffers: a direct buffer is read or written in place; a heap buffer through the calling thread's bounce
 * buffer ({@link FdIo}), during the system call only. The kernel never keeps a reference to either between
 * calls (readiness, not completion, is what epoll reports), so a pending operation holds no native memory.
 *
 * <p>As in the JDK's implementation: a time-out or a cancelled Future leaves that side unusable (the next call
 * throws IllegalStateException, since bytes may have moved); a connect that fails closes the channel; close fails
 * pending operations with AsynchronousCloseException, their handlers run on a pool thread.
 */
final class AsyncSocketChannel extends AsynchronousSocketChannel implements EpollChannelGroup.Member, AsyncResult.Owner {
    private static final int READ_EVENTS = epoll_h.EPOLLIN | epoll_h.EPOLLRDHUP | epoll_h.EPOLLHUP | epoll_h.EPOLLERR;
    private static final int WRITE_EVENTS = epoll_h.EPOLLOUT | epoll_h.EPOLLHUP | epoll_h.EPOLLERR;

    private final EpollChannelGroup group;
    private final int fd;
    private final int family;
    private final FdUse use;
    private final Object stateLock = new Object();
    private final Object readLock = new Object();
    private final Object writeLock = new Object();
    private volatile boolean closed;

    // under stateLock
    private SocketAddress localAddress;
    private volatile SocketAddress remoteAddress;
    private boolean connectPending;
    private SocketAddress pendingRemote;

    // under readLock
    private AsyncResult<Number, Object> readOp;
    private boolean readKilled;
    private boolean inputShut;

    // under writeLock
    private AsyncResult<Number, Object> writeOp;
    private AsyncResult<Void, Object> connectOp;
    private boolean writeKilled;
    private boolean outputShut;

    /** A new unconnected socket in {@code group}. */
    AsyncSocketChannel(AsynchronousChannelProvider provider, EpollChannelGroup group) throws IOException {
        super(provider);
        this.group = group;
        this.family = Sockets.family(null);
        this.fd = LinuxSocket.socket(ThreadIo.current().scratch, family, socket_h.SOCK_STREAM);
        this.use = new FdUse(fd, stateLock);
        join();
    }

    /** An accepted connection; the descriptor is closed if the group refuses it. */
    AsyncSocketChannel(AsynchronousChannelProvider provider, EpollChannelGroup group, int family, int fd, SocketAddress remote)
            throws IOException {
        super(provider);
        this.group = group;
        this.family = family;
        this.fd = fd;
        this.use = new FdUse(fd, stateLock);
        this.remoteAddress = remote;
        join();
    }

    private void join() throws IOException {
        try {
            group.register(this);
        } catch (IOException | RuntimeException e) {
            LinuxSocket.closeQuietly(ThreadIo.current().state(), fd);
            throw e;
        }
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    // --- addresses, options, shutdown -------------------------------------------------------------------

    @Override
    public AsynchronousSocketChannel bind(SocketAddress local) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (connectPending) {
                throw new ConnectionPendingException();
            }
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
        synchronized (stateLock) {
            ensureOpen();
            if (localAddress == null && remoteAddress != null) {
                localAddress = LinuxSocket.localAddress(ThreadIo.current().scratch, fd);
            }
            return localAddress;
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remoteAddress;
    }

    /** The JDK's AsynchronousSocketChannel options: SocketChannel's without SO_LINGER, IP_TOS and SO_OOBINLINE. */
    private static final Set<SocketOption<?>> OPTIONS = options();

    private static Set<SocketOption<?>> options() {
        Set<SocketOption<?>> s = new LinkedHashSet<>(Sockets.streamOptions(Sockets.family(null)));
        s.remove(StandardSocketOptions.SO_LINGER);
        s.remove(StandardSocketOptions.IP_TOS);
        s.removeIf(o -> o.name().equals("SO_OOBINLINE"));
        return Collections.unmodifiableSet(s);
    }

    @Override
    public <T> AsynchronousSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        Sockets.setChannelOption(this, stateLock, fd, family, OPTIONS, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return Sockets.getChannelOption(this, stateLock, fd, family, OPTIONS, name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public AsynchronousSocketChannel shutdownInput() throws IOException {
        ensureOpen();
        if (remoteAddress == null) {
            throw new NotYetConnectedException();
        }
        synchronized (readLock) { // not under stateLock: the I/O paths take the side's lock, then stateLock (FdUse)
            if (!inputShut) {
                shutdown(socket_h.SHUT_RD); // a pending read then sees end-of-stream: the kernel reports the EPOLLIN|EPOLLRDHUP edge
                inputShut = true;
            }
        }
        return this;
    }

    @Override
    public AsynchronousSocketChannel shutdownOutput() throws IOException {
        ensureOpen();
        if (remoteAddress == null) {
            throw new NotYetConnectedException();
        }
        synchronized (writeLock) { // not under stateLock: the I/O paths take the side's lock, then stateLock (FdUse)
            if (!outputShut) {
                shutdown(socket_h.SHUT_WR);
                outputShut = true;
            }
        }
        return this;
    }

    /** shutdown(2) of one direction, under that side's lock; fails if the channel is closed. */
    private void shutdown(int how) throws IOException {
        use.enter(this);
        try {
            LinuxSocket.shutdown(ThreadIo.current().scratch, fd, how);
        } finally {
            use.exitQuietly(this);
        }
    }

    // --- connect ---------------------------------------------------------------------------------------

    @Override
    public <A> void connect(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        connect0(remote, attachment, handler);
    }

    @Override
    public Future<Void> connect(SocketAddress remote) {
        return connect0(remote, null, null);
    }

    @SuppressWarnings("unchecked")
    private <A> Future<Void> connect0(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
        AsyncResult<Void, Object> r = new AsyncResult<>(this, (CompletionHandler<Void, Object>) handler, attachment);
        if (closed) {
            group.finish(r, null, new ClosedChannelException(), true);
            return r;
        }
        Objects.requireNonNull(remote, "remote");
        ThreadIo io = ThreadIo.current();
        Sockets.writeAddress(io, family, remote, true); // the JDK's checks: type, resolved, family
        synchronized (stateLock) {
            if (remoteAddress != null) {
                throw new AlreadyConnectedException();
            }
            if (connectPending) {
                throw new ConnectionPendingException();
            }
            connectPending = true;
            pendingRemote = remote;
        }
        int err;
        synchronized (writeLock) {
            connectOp = r;
            if (!use.tryEnter(this)) {
                connectOp = null;
                err = -1;
            } else {
                try {
                    err = Sockets.connect(io, fd, family, remote);
                } finally {
                    use.exitQuietly(this);
                }
                if (err == errno_h.EINPROGRESS) {
                    return r; // the poller finishes it on the socket's writable edge
                }
                connectOp = null;
            }
        }
        connected(r, err, true);
        return r;
    }

    /** The poller: a writable edge may end a pending connect. */
    private void finishConnect() {
        AsyncResult<Void, Object> r;
        int err;
        synchronized (writeLock) {
            r = connectOp;
            if (r == null) {
                return;
            }
            if (!use.tryEnter(this)) {
                connectOp = null;
                err = -1;
            } else {
                try {
                    ThreadIo io = ThreadIo.current();
                    // The socket was added to epoll before connect(2), which reports an edge for the unconnected
                    // socket (tcp_poll: EPOLLOUT|EPOLLHUP in TCP_CLOSE); while in SYN_SENT poll shows nothing.
                    if (io.pollNow(fd, poll_h.POLLOUT) == 0) {
                        return;
                    }
                    err = LinuxSocket.soError(io.scratch, fd);
                } catch (IOException e) {
                    err = errno_h.EBADF;
                } finally {
                    use.exitQuietly(this);
                }
                connectOp = null;
            }
        }
        connected(r, err, false);
    }

    /** Ends a connect: 0 connected, -1 closed meanwhile, else the errno (the channel is closed, as the JDK's is). */
    private void connected(AsyncResult<Void, Object> r, int err, boolean initiating) {
        Throwable failure = null;
        if (err == 0) {
            synchronized (stateLock) {
                connectPending = false;
                remoteAddress = pendingRemote;
                try {
                    localAddress = LinuxSocket.localAddress(ThreadIo.current().scratch, fd);
                } catch (IOException e) {
                    failure = e;
                }
            }
        } else {
            failure = err < 0 ? new AsynchronousCloseException() : Errno.exception("connect", err);
            try {
                close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        group.finish(r, null, failure, initiating);
    }

    // --- read --------------------------------------------------------------------------------------------

    @Override
    public <A> void read(ByteBuffer dst, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        readOnlyCheck(dst);
        read(dst, null, 0, 0, timeout, unit, attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst) {
        readOnlyCheck(dst);
        return read(dst, null, 0, 0, 0, TimeUnit.MILLISECONDS, null, null);
    }

    @Override
    public <A> void read(ByteBuffer[] dsts, int offset, int length, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Long, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        Objects.checkFromIndexSize(offset, length, dsts.length);
        for (int i = offset; i < offset + length; i++) {
            readOnlyCheck(dsts[i]);
        }
        read(null, dsts, offset, length, timeout, unit, attachment, handler);
    }

    private static void readOnlyCheck(ByteBuffer b) {
        if (b.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
    }

    @SuppressWarnings("unchecked")
    private <V extends Number, A> Future<V> read(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length, long timeout,
                                                 TimeUnit unit, A attachment, CompletionHandler<V, ? super A> handler) {
        AsyncResult<Number, Object> r = new AsyncResult<>(this, (CompletionHandler<Number, Object>) handler, attachment);
        boolean vector = dsts != null;
        if (closed) {
            group.finish(r, null, new ClosedChannelException(), true);
            return (Future<V>) r;
        }
        if (remoteAddress == null) {
            throw new NotYetConnectedException();
        }
        boolean hasSpace = vector ? remaining(dsts, offset, length) > 0 : dst.hasRemaining();
        boolean shut;
        synchronized (readLock) {
            if (readKilled) {
                throw new IllegalStateException("Reading not allowed due to timeout or cancellation");
            }
            if (readOp != null) {
                throw new ReadPendingException();
            }
            shut = inputShut;
            if (!shut && hasSpace) {
                r.buffer = dst;
                r.buffers = dsts;
                r.offset = offset;
                r.length = length;
                r.timeoutNanos = timeout > 0 ? unit.toNanos(timeout) : 0;
                readOp = r;
            }
        }
        if (shut || !hasSpace) {
            long v = shut ? -1 : 0;
            group.finish(r, vector ? (Number) v : (Number) (int) v, null, true);
            return (Future<V>) r;
        }
        doRead(true);
        return (Future<V>) r;
    }

    private static long remaining(ByteBuffer[] bufs, int offset, int length) {
        long sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += bufs[i].remaining();
        }
        return sum;
    }

    /** Tries the pending read: in the initiating call, and on the poller for each readable edge. */
    private void doRead(boolean initiating) {
        AsyncResult<Number, Object> r;
        Number result = null;
        Throwable failure = null;
        synchronized (readLock) {
            r = readOp;
            if (r == null) {
                return;
            }
            if (!use.tryEnter(this)) {
                failure = new AsynchronousCloseException();
            } else {
                try {
                    ThreadIo io = ThreadIo.current();
                    long n;
                    do {
                        n = r.buffers != null ? FdIo.readv(io, fd, r.buffers, r.offset, r.length) : FdIo.read(io, fd, r.buffer);
                    } while (n == -errno_h.EINTR);
                    if (n == FdIo.EAGAIN) {
                        armTimer(r, true);
                        return;
                    }
                    if (n < 0) {
                        failure = Errno.exception("read", (int) -n);
                    } else {
                        long v = n == 0 ? -1 : n; // there was room, so 0 bytes is end-of-stream
                        result = r.buffers != null ? (Number) v : (Number) (int) v;
                    }
                } finally {
                    use.exitQuietly(this);
                }
            }
            readOp = null;
        }
        group.finish(r, result, failure, initiating);
    }

    // --- write -------------------------------------------------------------------------------------------

    @Override
    public <A> void write(ByteBuffer src, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        write(src, null, 0, 0, timeout, unit, attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src) {
        return write(src, null, 0, 0, 0, TimeUnit.MILLISECONDS, null, null);
    }

    @Override
    public <A> void write(ByteBuffer[] srcs, int offset, int length, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Long, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        Objects.checkFromIndexSize(offset, length, srcs.length);
        write(null, srcs, offset, length, timeout, unit, attachment, handler);
    }

    @SuppressWarnings("unchecked")
    private <V extends Number, A> Future<V> write(ByteBuffer src, ByteBuffer[] srcs, int offset, int length, long timeout,
                                                  TimeUnit unit, A attachment, CompletionHandler<V, ? super A> handler) {
        AsyncResult<Number, Object> r = new AsyncResult<>(this, (CompletionHandler<Number, Object>) handler, attachment);
        boolean vector = srcs != null;
        boolean hasData = vector ? remaining(srcs, offset, length) > 0 : src.hasRemaining();
        boolean shut = closed;
        if (!shut) {
            if (remoteAddress == null) {
                throw new NotYetConnectedException();
            }
            synchronized (writeLock) {
                if (writeKilled) {
                    throw new IllegalStateException("Writing not allowed due to timeout or cancellation");
                }
                if (writeOp != null) {
                    throw new WritePendingException();
                }
                shut = outputShut;
                if (!shut && hasData) {
                    r.buffer = src;
                    r.buffers = srcs;
                    r.offset = offset;
                    r.length = length;
                    r.timeoutNanos = timeout > 0 ? unit.toNanos(timeout) : 0;
                    writeOp = r;
                }
            }
        }
        if (shut) {
            group.finish(r, null, new ClosedChannelException(), true);
            return (Future<V>) r;
        }
        if (!hasData) {
            group.finish(r, vector ? (Number) 0L : (Number) 0, null, true);
            return (Future<V>) r;
        }
        doWrite(true);
        return (Future<V>) r;
    }

    /** Tries the pending write: in the initiating call, and on the poller for each writable edge. */
    private void doWrite(boolean initiating) {
        AsyncResult<Number, Object> r;
        Number result = null;
        Throwable failure = null;
        synchronized (writeLock) {
            r = writeOp;
            if (r == null) {
                return;
            }
            if (!use.tryEnter(this)) {
                failure = new AsynchronousCloseException();
            } else {
                try {
                    ThreadIo io = ThreadIo.current();
                    long n;
                    do {
                        n = r.buffers != null ? FdIo.writev(io, fd, r.buffers, r.offset, r.length) : FdIo.write(io, fd, r.buffer);
                    } while (n == -errno_h.EINTR);
                    if (n == FdIo.EAGAIN) {
                        armTimer(r, false);
                        return;
                    }
                    if (n < 0) {
                        failure = Errno.exception("write", (int) -n);
                    } else {
                        result = r.buffers != null ? (Number) n : (Number) (int) n;
                    }
                } finally {
                    use.exitQuietly(this);
                }
            }
            writeOp = null;
        }
        group.finish(r, result, failure, initiating);
    }

    // --- time-outs, cancellation, close --------------------------------------------------------------------

    /** Arms the operation's time-out when it first goes pending (caller holds the side's lock). */
    private void armTimer(AsyncResult<Number, Object> r, boolean read) {
        if (r.timeoutNanos > 0 && r.timer == null) {
            try {
                r.timer = group.schedule(() -> timedOut(r, read), r.timeoutNanos);
            } catch (java.util.concurrent.RejectedExecutionException terminating) {
                // shutdownNow is closing this channel: its close fails the operation with AsynchronousCloseException
            }
        }
    }

    private void timedOut(AsyncResult<Number, Object> r, boolean read) {
        if (read) {
            synchronized (readLock) {
                if (readOp != r) {
                    return;
                }
                readOp = null;
                readKilled = true;
            }
        } else {
            synchronized (writeLock) {
                if (writeOp != r) {
                    return;
                }
                writeOp = null;
                writeKilled = true;
            }
        }
        group.finish(r, null, new InterruptedByTimeoutException(), false);
    }

    @Override
    public void onCancel(AsyncResult<?, ?> r) {
        synchronized (readLock) {
            if (readOp == r) {
                readOp = null;
                readKilled = true;
            }
        }
        synchronized (writeLock) {
            if (writeOp == r) {
                writeOp = null;
                writeKilled = true;
            }
            if (connectOp == r) {
                connectOp = null;
                readKilled = true;
                writeKilled = true;
            }
        }
    }

    @Override
    public void onEvents(int events) {
        if ((events & WRITE_EVENTS) != 0) {
            finishConnect();
            doWrite(false);
        }
        if ((events & READ_EVENTS) != 0) {
            doRead(false);
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            group.deregister(this); // before the descriptor can be closed (FdUse closes under this lock)
        }
        AsyncResult<Number, Object> r;
        AsyncResult<Number, Object> w;
        AsyncResult<Void, Object> c;
        synchronized (readLock) {
            r = readOp;
            readOp = null;
        }
        synchronized (writeLock) {
            w = writeOp;
            writeOp = null;
            c = connectOp;
            connectOp = null;
        }
        try {
            use.closeIfIdle();
        } finally {
            group.failClosed(r);
            group.failClosed(w);
            group.failClosed(c);
            group.closed();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[fd=" + fd + (closed ? ", closed" : "") + ", remote=" + remoteAddress + "]";
    }
}
