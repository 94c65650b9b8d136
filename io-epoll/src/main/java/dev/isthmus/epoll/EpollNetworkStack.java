package dev.isthmus.epoll;

import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.linux.socket.SocketOptionTable;
import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.Capability;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.ConnectionHandlerFactory;
import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import dev.isthmus.stack.spi.AbstractWorker;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The epoll stack: one {@link EpollWorker} per thread, each with its own epoll instance. Listening
 * sockets are set up on the caller's thread and registered on their worker; connects run on theirs.
 */
final class EpollNetworkStack extends AbstractNetworkStack {
    final EpollConfig config;

    EpollNetworkStack(StackOptions options, Set<Capability> capabilities, EpollConfig config) throws IOException {
        super("epoll", options, capabilities);
        this.config = config;
        start();
    }

    @Override
    protected AbstractWorker newWorker(int index) {
        return new EpollWorker(this, index, config);
    }

    EpollWorker epollWorker(int i) {
        return (EpollWorker) worker(i);
    }

    @Override
    public Listener listen(SocketAddress local, ListenOptions o, ConnectionHandlerFactory handlers) throws IOException {
        Objects.requireNonNull(o, "listen options");
        Objects.requireNonNull(handlers, "handler factory");
        checkAddress(local, "local", false, true);
        checkNotClosed("listen");
        checkOptions(o.socketOptions().keySet());
        AcceptStrategy strategy = effectiveStrategy(o, local);
        int n = strategy == AcceptStrategy.REUSEPORT ? workerCount() : 1;
        List<Integer> fds = new ArrayList<>();
        SocketAddress bound = local;
        try (Arena a = Arena.ofConfined()) {
            LinuxSocket.Scratch s = new LinuxSocket.Scratch(a);
            try {
                for (int i = 0; i < n; i++) {
                    // With port 0 the first bind picks the port; the other REUSEPORT sockets join it.
                    int fd = LinuxSocket.openListening(s, bound, o.reuseAddress(), strategy == AcceptStrategy.REUSEPORT,
                            o.backlog());
                    fds.add(fd);
                    if (i == 0) {
                        bound = LinuxSocket.localAddress(s, fd);
                    }
                }
            } catch (IOException | RuntimeException e) {
                for (int fd : fds) {
                    LinuxSocket.closeQuietly(s.state, fd);
                }
                throw e;
            }
        }
        EpollListener l = new EpollListener(this, bound, strategy, o, handlers);
        int registered = 0;
        try {
            for (int i = 0; i < n; i++) {
                EpollWorker w = strategy == AcceptStrategy.REUSEPORT ? epollWorker(i)
                        : strategy == AcceptStrategy.FIXED ? epollWorker(o.fixedWorker())
                        : (EpollWorker) nextWorker();
                ListenSocket ls = new ListenSocket(w, fds.get(i), l);
                w.call(() -> {
                    ls.register();
                    return null;
                });
                l.add(ls);
                registered++;
            }
        } catch (IOException | RuntimeException e) {
            l.close();
            try (Arena a = Arena.ofConfined()) {
                LinuxSocket.Scratch s = new LinuxSocket.Scratch(a);
                for (int i = registered; i < n; i++) {
                    LinuxSocket.closeQuietly(s.state, fds.get(i));
                }
            }
            if (e instanceof RejectedExecutionException) {
                throw new IllegalStateException("stack epoll is closed; listen is not allowed", e);
            }
            throw e;
        }
        registerListener(l);
        if (isClosed()) {
            l.close();
            throw new IllegalStateException("stack epoll is closed; listen is not allowed");
        }
        return l;
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectOptions o, ConnectionHandler handler) {
        Objects.requireNonNull(o, "connect options");
        Objects.requireNonNull(handler, "handler");
        checkAddress(remote, "remote", true, true);
        if (o.localAddress() != null) {
            checkAddress(o.localAddress(), "local", false, true);
        }
        checkNotClosed("connect");
        checkOptions(o.socketOptions().keySet());
        EpollWorker w = (EpollWorker) chooseWorker(o.worker());
        CompletableFuture<Connection> f = new CompletableFuture<>();
        new EpollConnectAttempt(w, remote, o, handler, f).submit();
        return f;
    }

    @Override
    public UdpChannel openUdp(SocketAddress local, UdpOptions o, DatagramHandler handler) throws IOException {
        Objects.requireNonNull(o, "udp options");
        Objects.requireNonNull(handler, "handler");
        checkAddress(local, "local", false, false);
        checkNotClosed("openUdp");
        EpollWorker w = (EpollWorker) chooseWorker(o.worker());
        try {
            return w.call(() -> new EpollUdpChannel(w, local, o, handler));
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("stack epoll is closed; openUdp is not allowed", e);
        }
    }

    private static void checkOptions(Set<SocketOption<?>> options) {
        SocketOptionTable.checkSettable(options, SocketOptionTable.EPOLL);
    }
}
