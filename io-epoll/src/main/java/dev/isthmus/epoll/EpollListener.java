package dev.isthmus.epoll;

import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.ConnectionHandlerFactory;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.spi.AbstractListener;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * A listener: one {@link ListenSocket} per worker (REUSEPORT) or one acceptor socket (the other
 * strategies), and where accepted sockets go.
 *
 * <h2>Hand-off to another worker</h2>
 * The acceptor adds the accepted socket to the target worker's epoll itself (epoll_ctl on another
 * thread's epoll instance is safe), then asks the target, with {@code execute}, to create the connection
 * object and call {@code onOpen}. A lock-free slot hand-off would save the task object, but a connection
 * is made once per accept, not per request, and {@code execute} already wakes the target only when it
 * sleeps. The target's hand-off counter is raised meanwhile, so CONNECTION_DISTRIBUTION counts
 * connections still in flight.
 */
final class EpollListener extends AbstractListener<ListenSocket> {
    private final EpollNetworkStack stack;
    private final SocketAddress localAddress;
    /** The address accepted sockets report as local, or null when it must be asked (wildcard bind). */
    private final SocketAddress fixedLocal;
    final AcceptStrategy strategy;
    private final int fixedWorker;
    final int family;
    final ConnectionHandlerFactory handlers;
    final Map<SocketOption<?>, Object> socketOptions;

    EpollListener(EpollNetworkStack stack, SocketAddress localAddress, AcceptStrategy strategy, ListenOptions o,
                  ConnectionHandlerFactory handlers) {
        super(stack);
        this.stack = stack;
        this.localAddress = localAddress;
        this.strategy = strategy;
        this.fixedWorker = o.fixedWorker();
        this.family = SocketAddresses.family(localAddress);
        this.handlers = handlers;
        this.socketOptions = o.socketOptions();
        this.fixedLocal = localAddress instanceof InetSocketAddress in && in.getAddress().isAnyLocalAddress()
                ? null : localAddress;
    }

    void add(ListenSocket s) {
        addSocket(s.w, s);
    }

    /** The sockets, for tests. */
    List<ListenSocket> sockets() {
        return listeningSockets();
    }

    /** An accepted socket {@code cfd} from {@code from}'s worker: keep it there or hand it over. */
    void dispatch(ListenSocket from, int cfd, SocketAddress remote) {
        EpollWorker acceptor = from.w;
        EpollWorker target = strategy == AcceptStrategy.REUSEPORT ? acceptor
                : (EpollWorker) stack.acceptTarget(strategy, fixedWorker, remote);
        if (target == acceptor) {
            acceptor.adopt(cfd, acceptor.nextGeneration(), fixedLocal, remote, this, EpollConnection.NOT_REGISTERED);
            return;
        }
        int gen = target.nextGeneration();
        int events = EpollWorker.initialEvents(target.config);
        target.handoffStarted();
        if (!acceptor.addForOther(target, cfd, gen, events)) {
            target.handoffArrived();
            LinuxSocket.closeQuietly(acceptor.state, cfd);
            return;
        }
        try {
            target.execute(() -> {
                try {
                    target.adopt(cfd, gen, fixedLocal, remote, this, events);
                } finally {
                    target.handoffArrived();
                }
            });
        } catch (RejectedExecutionException e) {
            // The target stopped (the stack is closing): nobody will own the socket.
            target.handoffArrived();
            LinuxSocket.closeQuietly(acceptor.state, cfd);
        }
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    /** On the socket's worker: closing is {@link AbstractListener}'s (every worker, the registry, a Unix socket's file). */
    @Override
    protected void closeSocket(ListenSocket s) {
        s.close();
    }

    @Override
    public String toString() {
        return "epoll listener " + localAddress + " (" + strategy + ")";
    }

    static boolean isUnix(int family) {
        return family == socket_h.AF_UNIX;
    }
}
