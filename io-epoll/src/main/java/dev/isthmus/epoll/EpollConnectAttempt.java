package dev.isthmus.epoll;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.linux.socket.SocketOptionTable;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.spi.AbstractConnectAttempt;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A non-blocking connect(2) in progress on one worker: EINPROGRESS, then EPOLLOUT, then SO_ERROR says
 * how it ended (connect(2), "EINPROGRESS"). The future, cancel, timeout and local port are
 * {@link AbstractConnectAttempt}'s.
 */
final class EpollConnectAttempt extends AbstractConnectAttempt implements EpollSource {
    private final EpollWorker w;
    private final int family;
    private int fd = -1;
    private int generation;
    private boolean registered;

    EpollConnectAttempt(EpollWorker w, SocketAddress remote, ConnectOptions options, ConnectionHandler handler,
                        CompletableFuture<Connection> future) {
        super(w, remote, options, handler, future);
        this.w = w;
        this.family = SocketAddresses.family(remote);
    }

    /** Step 1, on the worker: socket, options, bind, connect. */
    @Override
    protected void begin() throws IOException {
        LinuxSocket.Scratch s = w.scratch;
        fd = LinuxSocket.socket(s, family, socket_h.SOCK_STREAM);
        for (Map.Entry<SocketOption<?>, Object> e : options().socketOptions().entrySet()) {
            LinuxSocket.setOption(s, fd, family, SocketOptionTable.EPOLL, e.getKey(), e.getValue());
        }
        w.applyBusyPoll(fd, family);
        bindLocal(local -> {
            int e = LinuxSocket.tryBind(s, fd, local);
            if (e == errno_h.EADDRINUSE) {
                return false;
            }
            if (e != 0) {
                throw Errno.exception("bind(" + local + ")", e);
            }
            return true;
        });
        w.countSyscalls(1);
        int e = LinuxSocket.connect(s, fd, remote());
        if (e == 0) {
            connected();
            return;
        }
        if (e != errno_h.EINPROGRESS) {
            throw Errno.exception("connect(" + remote() + ")", e);
        }
        w.registerResource(this);
        registered = true;
        generation = w.addSource(fd, this, epoll_h.EPOLLOUT);
        armTimeout();
    }

    /** Step 2: EPOLLOUT (or EPOLLERR/EPOLLHUP) after EINPROGRESS. */
    @Override
    public void onEvents(int events) {
        if (isDone()) {
            return;
        }
        try {
            int err = LinuxSocket.soError(w.scratch, fd);
            if (err != 0) {
                fail(Errno.exception("connect(" + remote() + ")", err));
                return;
            }
            connected();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Step 3: the connection exists; hand it to the application. */
    private void connected() throws IOException {
        SocketAddress local = LinuxSocket.localAddress(w.scratch, fd);
        established();
        EpollConnection c = new EpollConnection(w, fd, family, registered ? generation : w.nextGeneration(),
                handler(), local, remote());
        int events = EpollWorker.initialEvents(w.config);
        int op = registered ? epoll_h.EPOLL_CTL_MOD : epoll_h.EPOLL_CTL_ADD;
        w.removeSource(fd, this);
        if (registered) {
            w.unregisterResource(this);
        }
        w.putConnection(c);
        // MOD keeps the registration and swaps its user data from "source" to "connection".
        if (w.ctlConnection(op, c, events) != 0) {
            w.removeConnection(c);
            int e = w.scratch.errno();
            LinuxSocket.closeQuietly(w.state, fd);
            deliverFailure(Errno.exception("epoll_ctl", e));
            return;
        }
        c.register(events);
        c.openedByStack();
        if (!deliver(c)) {
            // Cancelled while onOpen ran: the caller no longer wants it.
            c.abort();
        }
    }

    @Override
    protected void release() {
        if (registered) {
            w.removeSource(fd, this);
            w.unregisterResource(this);
            registered = false;
        }
        LinuxSocket.closeQuietly(w.state, fd);
        fd = -1;
    }
}
