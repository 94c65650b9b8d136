package dev.isthmus.uring;

import dev.isthmus.linux.socket.SocketOptionTable;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The io_uring stack: one {@link Ring} per worker, created on the worker's thread (so it can be
 * SINGLE_ISSUER | DEFER_TASKRUN). Optimisations and their switches: see {@link UringConfig}.
 */
public final class UringNetworkStack extends AbstractNetworkStack {
    private static final Logger LOG = LoggerFactory.getLogger(UringNetworkStack.class);

    private static final Set<String> LOGGED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final UringConfig config;
    /** Listeners by hand-off id (the id travels in a MSG_RING CQE's user_data). Copy on write. */
    private volatile UringListener[] handoffs = new UringListener[0];

    private UringNetworkStack(StackOptions options, UringConfig config) {
        super("io_uring", options, capabilities(config));
        this.config = config;
    }

    private static Set<Capability> capabilities(UringConfig c) {
        EnumSet<Capability> s = EnumSet.of(Capability.IPV4, Capability.IPV6, Capability.UNIX_SOCKETS, Capability.UDP,
                Capability.REUSEPORT, Capability.RAW_SOCKET_OPTIONS, Capability.WORKER_PINNING, Capability.SPIN);
        if (c.sendZc) {
            s.add(Capability.ZEROCOPY_SEND);
        }
        return s;
    }

    /** Opens the stack; its workers are running when this returns. */
    static UringNetworkStack open(StackOptions options) throws IOException {
        UringConfig config = new UringConfig(options);
        String line = "on: " + config.describeOn() + (config.off.isEmpty() ? "" : "; off: " + String.join("; ", config.off));
        // Logged once per distinct configuration, not at every open.
        if (LOGGED.add(line)) {
            LOG.info("io_uring stack: {}", line);
        }
        UringNetworkStack s = new UringNetworkStack(options, config);
        s.start();
        return s;
    }

    UringConfig config() {
        return config;
    }

    /** Which optimisations are on, e.g. for tests: "deferTaskrun, submitAll, ...". */
    public String optimisations() {
        return config.describeOn();
    }

    @Override
    protected AbstractWorker newWorker(int index) {
        return new UringWorker(this, index);
    }

    List<AbstractWorker> allWorkers() {
        List<AbstractWorker> l = new ArrayList<>();
        for (int i = 0; i < workerCount(); i++) {
            l.add(worker(i));
        }
        return l;
    }

    synchronized int registerHandoff(UringListener l) {
        UringListener[] a = java.util.Arrays.copyOf(handoffs, handoffs.length + 1);
        a[a.length - 1] = l;
        handoffs = a;
        return a.length - 1;
    }

    UringListener listenerByHandoffId(int id) {
        UringListener[] a = handoffs;
        return id >= 0 && id < a.length ? a[id] : null;
    }

    @Override
    public Listener listen(SocketAddress local, ListenOptions options, ConnectionHandlerFactory handlers)
            throws IOException {
        checkNotClosed("listen");
        checkAddress(local, "listen", false, true);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlers, "handlers");
        SocketOptionTable.checkSettable(options.socketOptions().keySet(), SocketOptionTable.IO_URING);
        UringListener l = new UringListener(this, local, options, handlers);
        registerListener(l);
        return l;
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectOptions options, ConnectionHandler handler) {
        checkNotClosed("connect");
        checkAddress(remote, "connect", true, true);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        if (options.localAddress() != null) {
            checkAddress(options.localAddress(), "local", false, true);
        }
        SocketOptionTable.checkSettable(options.socketOptions().keySet(), SocketOptionTable.IO_URING);
        UringWorker w = (UringWorker) chooseWorker(options.worker());
        CompletableFuture<Connection> f = new CompletableFuture<>();
        new UringConnectAttempt(w, remote, options, handler, f).submit();
        return f;
    }

    @Override
    public UdpChannel openUdp(SocketAddress local, UdpOptions options, DatagramHandler handler) throws IOException {
        checkNotClosed("openUdp");
        checkAddress(local, "openUdp", false, false);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        return UringUdpChannel.open(this, local, options, handler);
    }
}
