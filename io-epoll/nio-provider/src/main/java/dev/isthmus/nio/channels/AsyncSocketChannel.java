package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
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
 * An {@link AsynchronousSocketChannel} on a non-blocking TCP socket: what the channel does whatever carries its
 * operations to the kernel (arguments and state checks, one pending read and one pending write at a time, as the
 * contract allows, addresses, options, shutdown, close); the subclass of its group's backend starts the pending
 * operation ({@link EpollSocketChannel}: system calls retried on epoll edges; {@link UringSocketChannel}: io_uring
 * requests). The read and write sides each have a lock held around their pending slot.
 *
 * <p>As in the JDK's implementation: a time-out or a cancelled Future leaves that side unusable (the next call
 * throws IllegalStateException, since bytes may have moved); a connect that fails closes the channel; close fails
 * pending operations with AsynchronousCloseException, their handlers run on a pool thread.
 */
abstract sealed class AsyncSocketChannel extends AsynchronousSocketChannel implements AsyncGroup.Member, AsyncResult.Owner
        permits EpollSocketChannel, UringSocketChannel {
    final AsyncGroup group;
    final int fd;
    final int family;
    final FdUse use;
    final Object stateLock = new Object();
    final Object readLock = new Object();
    final Object writeLock = new Object();
    volatile boolean closed;

    // under stateLock
    private SocketAddress localAddress;
    private volatile SocketAddress remoteAddress;
    private boolean connectPending;
    private SocketAddress pendingRemote;

    // under readLock
    AsyncResult<Number, Object> readOp;
    boolean readKilled;
    private boolean inputShut;

    // under writeLock
    AsyncResult<Number, Object> writeOp;
    AsyncResult<Void, Object> connectOp;
    boolean writeKilled;
    private boolean outputShut;

    /** A new unconnected socket in {@code group}. */
    AsyncSocketChannel(AsynchronousChannelProvider provider, AsyncGroup group) throws IOException {
        super(provider);
        this.group = group;
        this.family = Sockets.family(null);
        this.fd = LinuxSocket.socket(ThreadIo.current().scratch, family, socket_h.SOCK_STREAM);
        this.use = new FdUse(fd, stateLock);
        join();
    }

    /** An accepted connection; the descriptor is closed if the group refuses it. */
    AsyncSocketChannel(AsynchronousChannelProvider provider, AsyncGroup group, int family, int fd, SocketAddress remote)
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

    /** The socket's descriptor. */
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
        startConnect(r, remote, io);
        return r;
    }

    /** Starts the connect that {@code r} stands for; {@code remote} has been checked. */
    abstract void startConnect(AsyncResult<Void, Object> r, SocketAddress remote, ThreadIo io);

    /** Ends a connect: 0 connected, -1 closed meanwhile, else the errno (the channel is closed, as the JDK's is). */
    final void connected(AsyncResult<Void, Object> r, int err, boolean initiating) {
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
        startRead(r);
        return (Future<V>) r;
    }

    /**
     * One read(2)/readv(2) or write(2)/writev(2) for {@code r} on the calling thread, retried on EINTR: bytes moved,
     * or -errno ({@link FdIo#EAGAIN} when the socket has nothing to read or no room). The caller holds a use of the
     * descriptor and the side's pending slot holds {@code r}. Heap buffers go through the thread's bounce buffer
     * during the call only, so nothing is left for the kernel to touch afterwards.
     */
    final long transferNow(boolean read, AsyncResult<Number, Object> r) {
        ThreadIo io = ThreadIo.current();
        long n;
        do {
            if (read) {
                n = r.buffers != null ? FdIo.readv(io, fd, r.buffers, r.offset, r.length) : FdIo.read(io, fd, r.buffer);
            } else {
                n = r.buffers != null ? FdIo.writev(io, fd, r.buffers, r.offset, r.length) : FdIo.write(io, fd, r.buffer);
            }
        } while (n == -errno_h.EINTR);
        return n;
    }

    /** The value a read or write of {@code r} that moved {@code n} bytes completes with: Integer, or Long for vectors. */
    static Number transferred(AsyncResult<Number, Object> r, long n, boolean read) {
        long v = read && n == 0 ? -1 : n; // a read had room, so 0 bytes is end-of-stream
        return r.buffers != null ? (Number) v : (Number) (int) v;
    }

    static long remaining(ByteBuffer[] bufs, int offset, int length) {
        long sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += bufs[i].remaining();
        }
        return sum;
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
        startWrite(r);
        return (Future<V>) r;
    }

    /** Starts the read that {@code r} (now {@link #readOp}) stands for; the destination has room. */
    abstract void startRead(AsyncResult<Number, Object> r);

    /** Starts the write that {@code r} (now {@link #writeOp}) stands for; the source has bytes. */
    abstract void startWrite(AsyncResult<Number, Object> r);

    /**
     * The channel is closing: end the operations it found pending (each may be null) with
     * AsynchronousCloseException, or see that they will be, once the kernel has let go of their buffers.
     */
    abstract void abandon(AsyncResult<?, ?> read, AsyncResult<?, ?> write, AsyncResult<?, ?> connect);

    /** A Future of this channel was cancelled: the backend may stop the kernel's side of it. */
    abstract void cancelled(AsyncResult<?, ?> r);

    // --- cancellation, close -------------------------------------------------------------------------------

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
        cancelled(r);
    }

    @Override
    public final void close() throws IOException {
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
            abandon(r, w, c);
            group.closed();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[fd=" + fd + (closed ? ", closed" : "") + ", remote=" + remoteAddress + "]";
    }
}
