package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * An {@link AsynchronousServerSocketChannel} on a non-blocking listening socket: binding, options, the one pending
 * accept and close, whatever carries the accept to the kernel; the subclass of the group's backend does that
 * ({@link EpollServerSocketChannel}: accept4(2) retried on epoll edges; {@link UringServerSocketChannel}: an
 * IORING_OP_ACCEPT request). The accepted channel joins the same group.
 */
abstract sealed class AsyncServerSocketChannel extends AsynchronousServerSocketChannel implements AsyncGroup.Member, AsyncResult.Owner
        permits EpollServerSocketChannel, UringServerSocketChannel {
    final AsyncGroup group;
    final int fd;
    final int family;
    final FdUse use;
    private final Object stateLock = new Object();
    final Object acceptLock = new Object();
    volatile boolean closed;
    private volatile SocketAddress localAddress;

    // under acceptLock
    AsyncResult<AsynchronousSocketChannel, Object> acceptOp;
    private boolean acceptKilled;

    AsyncServerSocketChannel(AsynchronousChannelProvider provider, AsyncGroup group) throws IOException {
        super(provider);
        this.group = group;
        this.family = Sockets.family(null);
        ThreadIo io = ThreadIo.current();
        this.fd = LinuxSocket.socket(io.scratch, family, socket_h.SOCK_STREAM);
        this.use = new FdUse(fd, stateLock);
        try {
            // the JDK's asynchronous server channel sets SO_REUSEADDR on Linux too (a restarted server can rebind)
            LinuxSocket.setInt(io.scratch, fd, socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR, 1, "SO_REUSEADDR");
            group.register(this);
        } catch (IOException | RuntimeException e) {
            LinuxSocket.closeQuietly(io.state(), fd);
            throw e;
        }
    }

    /** The listening socket's descriptor. */
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

    @Override
    public AsynchronousServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (localAddress != null) {
                throw new AlreadyBoundException();
            }
            ThreadIo io = ThreadIo.current();
            Sockets.bind(io, fd, family, local != null ? local : Sockets.anyLocal(family));
            LinuxSocket.listen(io.scratch, fd, backlog < 1 ? 50 : backlog);
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
    public <T> AsynchronousServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        Sockets.setChannelOption(this, stateLock, fd, family, supportedOptions(), name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return Sockets.getChannelOption(this, stateLock, fd, family, supportedOptions(), name);
    }

    /**
     * The JDK's asynchronous listener offers SO_RCVBUF, SO_REUSEADDR, SO_REUSEPORT and jdk.net's server options;
     * here those of the latter that the socket layer maps (the keep-alive timers and TCP_QUICKACK, which
     * accepted sockets inherit), not SO_INCOMING_NAPI_ID.
     */
    private static final Set<SocketOption<?>> OPTIONS = options();

    private static Set<SocketOption<?>> options() {
        int family = Sockets.family(null);
        Set<SocketOption<?>> s = new java.util.LinkedHashSet<>(Sockets.listenOptions(family));
        for (SocketOption<?> o : Sockets.streamOptions(family)) {
            if (o.name().startsWith("TCP_KEEP") || o.name().equals("TCP_QUICKACK")) {
                s.add(o);
            }
        }
        return java.util.Collections.unmodifiableSet(s);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public <A> void accept(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        accept0(attachment, handler);
    }

    @Override
    public Future<AsynchronousSocketChannel> accept() {
        return accept0(null, null);
    }

    @SuppressWarnings("unchecked")
    private <A> Future<AsynchronousSocketChannel> accept0(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        AsyncResult<AsynchronousSocketChannel, Object> r =
                new AsyncResult<>(this, (CompletionHandler<AsynchronousSocketChannel, Object>) handler, attachment);
        if (closed) {
            group.finish(r, null, new ClosedChannelException(), true);
            return r;
        }
        if (localAddress == null) {
            throw new NotYetBoundException();
        }
        synchronized (acceptLock) {
            if (acceptKilled) {
                throw new IllegalStateException("Accept not allowed due to cancellation");
            }
            if (acceptOp != null) {
                throw new AcceptPendingException();
            }
            acceptOp = r;
        }
        startAccept(r);
        return r;
    }

    /** Starts the accept that {@code r} (now {@link #acceptOp}) stands for. */
    abstract void startAccept(AsyncResult<AsynchronousSocketChannel, Object> r);

    /** A channel of this group for a connection accepted on descriptor {@code cfd}; closes {@code cfd} if it fails. */
    abstract AsynchronousSocketChannel accepted(int cfd, SocketAddress remote) throws IOException;

    /**
     * Ends an accept with a new channel for {@code cfd} or with {@code failure}. If the group was shut down
     * meanwhile the connection is closed and the accept fails with an IOException caused by
     * ShutdownChannelGroupException, as the AsynchronousChannelGroup javadoc says.
     */
    final void acceptDone(AsyncResult<AsynchronousSocketChannel, Object> r, int cfd, SocketAddress remote,
                          Throwable failure, boolean initiating) {
        AsynchronousSocketChannel ch = null;
        if (failure == null) {
            try {
                ch = accepted(cfd, remote);
            } catch (ShutdownChannelGroupException e) {
                failure = new IOException(e);
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
        group.finish(r, ch, failure, initiating);
    }

    /** The pending accept (if any) of a closing channel: end it, now or once the kernel has let go of it. */
    abstract void abandon(AsyncResult<?, ?> accept);

    /** A Future of this channel was cancelled: the backend may stop the kernel's side of it. */
    abstract void cancelled(AsyncResult<?, ?> r);

    @Override
    public void onCancel(AsyncResult<?, ?> r) {
        synchronized (acceptLock) {
            if (acceptOp == r) {
                acceptOp = null;
                acceptKilled = true;
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
        AsyncResult<AsynchronousSocketChannel, Object> r;
        synchronized (acceptLock) {
            r = acceptOp;
            acceptOp = null;
        }
        try {
            use.closeIfIdle();
        } finally {
            abandon(r);
            group.closed();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[fd=" + fd + (closed ? ", closed" : "") + ", local=" + localAddress + "]";
    }
}
