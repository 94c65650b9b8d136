package dev.isthmus.epoll;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.stack.Cancellable;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.ConnectionHandler;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A non-blocking connect(2) in progress on one worker: EINPROGRESS, then EPOLLOUT, then SO_ERROR says
 * how it ended (connect(2), "EINPROGRESS"). The worker's timer fails it after the timeout; cancelling
 * the future, or closing the stack, closes the socket.
 */
final class EpollConnectAttempt implements EpollSource, AutoCloseable {
    /** Candidates tried for {@link ConnectOptions#portPerWorker()} before giving up with the last error. */
    private static final int PORT_TRIES = 64;
    private static final int[] PORT_RANGE = localPortRange();

    private final EpollWorker w;
    private final SocketAddress remote;
    private final ConnectOptions options;
    private final ConnectionHandler handler;
    private final CompletableFuture<Connection> future;
    private final int family;
    private int fd = -1;
    private int generation;
    private boolean registered;
    private boolean done;
    private Cancellable timer;

    EpollConnectAttempt(EpollWorker w, SocketAddress remote, ConnectOptions options, ConnectionHandler handler,
                   CompletableFuture<Connection> future) {
        this.w = w;
        this.remote = remote;
        this.options = options;
        this.handler = handler;
        this.future = future;
        this.family = SocketCalls.family(remote);
    }

    /** Step 1, on the worker: socket, options, bind, connect. */
    void start() {
        if (future.isDone()) {
            return; // cancelled before the worker got to it
        }
        SocketCalls.Scratch s = w.scratch;
        try {
            fd = SocketCalls.socket(s, family, socket_h.SOCK_STREAM);
            for (Map.Entry<SocketOption<?>, Object> e : options.socketOptions().entrySet()) {
                SocketOptionCodec.set(s, fd, family, e.getKey(), e.getValue());
            }
            w.applyBusyPoll(fd, family);
            if (options.localAddress() != null) {
                SocketCalls.bind(s, fd, options.localAddress());
            } else if (options.portPerWorker() && family != socket_h.AF_UNIX) {
                bindPortForWorker(s);
            }
            int len = SocketAddresses.write(remote, s.addr);
            w.countSyscalls(1);
            if (socket_h.connect(s.state, fd, s.addr, len) == 0) {
                established();
                return;
            }
            int e = s.errno();
            if (e != errno_h.EINPROGRESS) {
                throw Errno.exception("connect(" + remote + ")", e);
            }
            w.registerResource(this);
            registered = true;
            generation = w.addSource(fd, this, epoll_h.EPOLLOUT);
            timer = w.schedule(this::timedOut, options.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Seastar's find_port_and_connect: bind a wildcard local port with {@code port % workers == worker},
     * so a server that accepts by PORT keeps the flow on the same worker number.
     */
    private void bindPortForWorker(SocketCalls.Scratch s) throws IOException {
        int workers = w.networkStack().workerCount();
        int lo = PORT_RANGE[0];
        int hi = PORT_RANGE[1];
        InetAddress any = ((InetSocketAddress) remote).getAddress() instanceof java.net.Inet6Address
                ? InetAddress.getByAddress(new byte[16]) : InetAddress.getByAddress(new byte[4]);
        SocketCalls.setInt(s, fd, socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR, 1, "SO_REUSEADDR");
        IOException last = null;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < PORT_TRIES; i++) {
            int port = lo + r.nextInt(hi - lo + 1);
            port += Math.floorMod(w.index() - port, workers);
            if (port > hi) {
                port -= workers;
            }
            if (port < lo) {
                continue;
            }
            try {
                SocketCalls.bind(s, fd, new InetSocketAddress(any, port));
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no local port with port % " + workers + " == " + w.index()
                + " in " + lo + ".." + hi);
    }

    /** Step 2: EPOLLOUT (or EPOLLERR/EPOLLHUP) after EINPROGRESS. */
    @Override
    public void onEvents(int events) {
        if (done) {
            return;
        }
        try {
            int err = SocketCalls.soError(w.scratch, fd);
            if (err != 0) {
                fail(Errno.exception("connect(" + remote + ")", err));
                return;
            }
            established();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Step 3: the connection exists; hand it to the application. */
    private void established() throws IOException {
        if (timer != null) {
            timer.cancel();
        }
        SocketAddress local = SocketCalls.localAddress(w.scratch, fd);
        EpollConnection c = new EpollConnection(w, fd, family, registered ? generation : w.nextGeneration(),
                handler, local, remote);
        int events = EpollWorker.initialEvents(w.config);
        int op = registered ? epoll_h.EPOLL_CTL_MOD : epoll_h.EPOLL_CTL_ADD;
        w.removeSource(fd, this);
        if (registered) {
            w.unregisterResource(this);
        }
        done = true;
        w.putConnection(c);
        // MOD keeps the registration and swaps its user data from "source" to "connection".
        if (w.ctlConnection(op, c, events) != 0) {
            w.removeConnection(c);
            int e = w.scratch.errno();
            SocketCalls.closeQuietly(w.state, fd);
            future.completeExceptionally(Errno.exception("epoll_ctl", e));
            return;
        }
        c.register(events);
        c.openedByStack();
        if (!future.complete(c)) {
            // Cancelled while onOpen ran: the caller no longer wants it.
            c.abort();
        }
    }

    private void timedOut() {
        timer = null;
        if (!done) {
            fail(new ConnectException("connect(" + remote + "): timed out after " + options.timeout().toMillis() + " ms"));
        }
    }

    private void fail(Throwable t) {
        if (done) {
            return;
        }
        done = true;
        if (timer != null) {
            timer.cancel();
        }
        if (registered) {
            w.removeSource(fd, this);
            w.unregisterResource(this);
        }
        SocketCalls.closeQuietly(w.state, fd);
        future.completeExceptionally(t);
    }

    /** The future was cancelled: release the socket (worker thread). */
    void cancel() {
        fail(new java.util.concurrent.CancellationException("connect cancelled"));
    }

    /** The stack is closing. */
    @Override
    public void close() {
        fail(new ConnectException("connect(" + remote + "): the stack was closed"));
    }

    /** net.ipv4.ip_local_port_range, the kernel's ephemeral ports (ip(7)); its default if unreadable. */
    private static int[] localPortRange() {
        try {
            String[] p = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return new int[]{Integer.parseInt(p[0]), Integer.parseInt(p[1])};
        } catch (IOException | RuntimeException e) {
            return new int[]{32768, 60999};
        }
    }
}
