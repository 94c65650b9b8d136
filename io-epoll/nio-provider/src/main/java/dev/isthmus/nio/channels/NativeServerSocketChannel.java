package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.poll_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ServerSocketChannel} on a non-blocking listening socket: accept4(2) with SOCK_NONBLOCK|SOCK_CLOEXEC,
 * blocking accept as a wait in poll(2) that close and interrupt can end. SO_REUSEADDR is on for internet
 * sockets from the start, as the JDK's channel does.
 */
final class NativeServerSocketChannel extends ServerSocketChannel implements NativeChannel {
    private final int fd;
    private final int family;
    private final Readiness readiness = new Readiness();
    private final FdUse use;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private volatile ThreadIo acceptWaiter;
    private volatile SocketAddress localAddress;
    private ServerSocketAdaptor adaptor;

    NativeServerSocketChannel(SelectorProvider provider, int family) throws IOException {
        super(provider);
        this.family = family;
        ThreadIo io = ThreadIo.current();
        this.fd = LinuxSocket.socket(io.scratch, family, socket_h.SOCK_STREAM);
        this.use = new FdUse(fd, stateLock);
        if (family != socket_h.AF_UNIX) {
            try {
                LinuxSocket.setInt(io.scratch, fd, socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR, 1, "SO_REUSEADDR");
            } catch (IOException e) {
                LinuxSocket.closeQuietly(io.state(), fd);
                throw e;
            }
        }
    }

    /** A listening socket this process inherited (see {@link InheritedChannels}); {@code fd} is non-blocking. */
    NativeServerSocketChannel(SelectorProvider provider, int family, int fd) throws IOException {
        super(provider);
        this.family = family;
        this.fd = fd;
        this.use = new FdUse(fd, stateLock);
        this.localAddress = LinuxSocket.localAddress(ThreadIo.current().scratch, fd);
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
        return (bits & Readiness.READABLE) != 0 ? interest & SelectionKey.OP_ACCEPT : 0;
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
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
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
            LinuxSocket.listen(io.scratch, fd, backlog < 1 ? 50 : backlog);
            localAddress = family == socket_h.AF_UNIX ? sa : LinuxSocket.localAddress(io.scratch, fd);
        }
        return this;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return localAddress;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        Sockets.setChannelOption(this, stateLock, fd, family, supportedOptions(), name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return Sockets.getChannelOption(this, stateLock, fd, family, supportedOptions(), name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return Sockets.listenOptions(family);
    }

    @Override
    public ServerSocket socket() {
        synchronized (stateLock) {
            if (adaptor == null) {
                try {
                    adaptor = new ServerSocketAdaptor(this);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return adaptor;
        }
    }

    @Override
    public SocketChannel accept() throws IOException {
        return accept(-1);
    }

    /** accept with an SO_TIMEOUT in ms (-1: none) for the adaptor. */
    SocketChannel accept(int timeoutMs) throws IOException {
        use.enter(this);
        try {
            return accept0(timeoutMs);
        } finally {
            use.exit(this);
        }
    }

    private SocketChannel accept0(int timeoutMs) throws IOException {
        acceptLock.lock();
        try {
            boolean blocking = isBlocking();
            SocketChannel result = null;
            if (blocking) {
                begin();
            }
            try {
                ensureOpen();
                if (localAddress == null) {
                    throw new NotYetBoundException();
                }
                ThreadIo io = ThreadIo.current();
                long deadline = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000L : 0;
                while (true) {
                    long snap = readiness.snapshot();
                    int cfd = LinuxSocket.accept(io.scratch, fd);
                    if (cfd >= 0) {
                        SocketAddress remote = family == socket_h.AF_UNIX
                                ? UnixDomainSocketAddress.of("") : LinuxSocket.scratchAddress(io.scratch);
                        result = new NativeSocketChannel(provider(), family, cfd, remote);
                        return result;
                    }
                    int e = -cfd;
                    if (e == errno_h.ECONNABORTED || e == errno_h.EINTR) {
                        continue;
                    }
                    if (e != errno_h.EAGAIN) {
                        throw Errno.exception("accept", e);
                    }
                    readiness.clear(snap, Readiness.READABLE);
                    if (!blocking) {
                        return null;
                    }
                    acceptWaiter = io;
                    if (!isOpen()) {
                        break;
                    }
                    long left = timeoutMs > 0 ? (deadline - System.nanoTime()) / 1_000_000L : -1;
                    if (timeoutMs > 0 && left <= 0) {
                        throw new SocketTimeoutException("Accept timed out");
                    }
                    io.await(fd, poll_h.POLLIN, (int) left);
                    acceptWaiter = null;
                    if (!isOpen()) {
                        break;
                    }
                }
                return null;
            } finally {
                acceptWaiter = null;
                if (blocking) {
                    end(result != null);
                }
            }
        } finally {
            acceptLock.unlock();
        }
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        acceptLock.lock();
        acceptLock.unlock();
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        ThreadIo w = acceptWaiter;
        if (w != null) {
            w.wake();
        }
        synchronized (stateLock) {
            if (!isRegistered()) {
                use.closeIfIdle();
            }
        }
        afterClose.run();
    }

    /** Runs once this channel is closed: the inherited channel detaches the standard streams (see {@link InheritedChannels}). */
    final AfterClose afterClose = new AfterClose();

    /** The receive buffer SO_RCVBUF and SO_REUSEADDR defaults are the kernel's; nothing else is pre-set. */
    boolean reuseAddress() throws IOException {
        return getOption(StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public String toString() {
        return "NativeServerSocketChannel[fd=" + fd + (isOpen() ? ", " + localAddress : ", closed") + "]";
    }
}
