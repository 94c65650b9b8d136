package dev.isthmus.stack.nio;

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
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The JDK nio stack. Listening with {@link AcceptStrategy#REUSEPORT} opens a ServerSocketChannel per worker
 * with SO_REUSEPORT; the other strategies use one acceptor (on worker 0, or on the FIXED worker) that hands
 * each accepted channel to the chosen worker. No pinning (the JDK cannot set CPU affinity) and no raw
 * socket options.
 */
final class NioNetworkStack extends AbstractNetworkStack {

    NioNetworkStack(StackOptions options) throws IOException {
        super("nio", options, probeCapabilities());
        start();
    }

    private static Set<Capability> probeCapabilities() {
        Set<Capability> caps = EnumSet.of(Capability.IPV4, Capability.UNIX_SOCKETS, Capability.UDP, Capability.SPIN);
        // IPv6 is there when the kernel lists IPv6 interfaces (ipv6(7); absent when booted with ipv6.disable=1).
        if (Files.exists(Path.of("/proc/net/if_inet6"))) {
            caps.add(Capability.IPV6);
        }
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            if (probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                caps.add(Capability.REUSEPORT);
            }
        } catch (IOException e) {
            // no sockets at all: listen will say so
        }
        return caps;
    }

    @Override
    protected AbstractWorker newWorker(int index) {
        return new NioWorker(this, index);
    }

    private NioWorker nio(int i) {
        return (NioWorker) worker(i);
    }


    static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }

    private static ProtocolFamily family(SocketAddress a) {
        if (a instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        return ((InetSocketAddress) a).getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
    }

    @Override
    public Listener listen(SocketAddress local, ListenOptions options, ConnectionHandlerFactory handlers) throws IOException {
        checkAddress(local, "listen", false, true);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlers, "handlers");
        checkNotClosed("listen");
        NioConfig.checkAll(options.socketOptions().keySet());
        AcceptStrategy strategy = effectiveStrategy(options, local);
        List<NioAcceptor> acceptors = new ArrayList<>();
        SocketAddress bound = null;
        try {
            if (strategy == AcceptStrategy.REUSEPORT) {
                for (int i = 0; i < workerCount(); i++) {
                    // Every worker binds the port the first one got (port 0 asks the kernel once).
                    SocketAddress addr = bound == null ? local : bound;
                    NioAcceptor a = openAcceptor(nio(i), addr, true, strategy, options, handlers);
                    acceptors.add(a);
                    if (bound == null) {
                        bound = boundAddress(a);
                    }
                }
            } else {
                int at = strategy == AcceptStrategy.FIXED ? options.fixedWorker() : 0;
                NioAcceptor a = openAcceptor(nio(at), local, false, strategy, options, handlers);
                acceptors.add(a);
                bound = boundAddress(a);
            }
        } catch (IOException | RuntimeException e) {
            for (NioAcceptor a : acceptors) {
                runAndWait(a.worker(), () -> {
                    a.close();
                    a.worker().deregisterCancelledKeys();
                });
            }
            throw e;
        }
        NioListener l = new NioListener(this, bound, acceptors);
        registerListener(l);
        if (isClosed()) {
            l.close(); // close raced with us and missed this listener
            throw new IllegalStateException("stack nio is closed; listen is not allowed");
        }
        return l;
    }

    private SocketAddress boundAddress(NioAcceptor a) throws IOException {
        return callAndWait(a.worker(), () -> a.channel().getLocalAddress());
    }

    private NioAcceptor openAcceptor(NioWorker w, SocketAddress addr, boolean reusePort, AcceptStrategy strategy,
                                     ListenOptions options, ConnectionHandlerFactory handlers) throws IOException {
        return callAndWait(w, () -> {
            ServerSocketChannel ssc = ServerSocketChannel.open(family(addr));
            try {
                ssc.configureBlocking(false);
                if (!(addr instanceof UnixDomainSocketAddress)) {
                    ssc.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                    if (reusePort) {
                        ssc.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                    }
                }
                try {
                    ssc.bind(addr, options.backlog());
                } catch (IOException e) {
                    throw NioConnection.named("bind " + addr, e);
                }
                return new NioAcceptor(w, ssc, strategy, options, handlers);
            } catch (IOException | RuntimeException e) {
                closeQuietly(ssc);
                throw e;
            }
        });
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectOptions options, ConnectionHandler handler) {
        checkAddress(remote, "connect", true, true);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        if (options.localAddress() != null) {
            checkAddress(options.localAddress(), "connect local", false, true);
        }
        NioConfig.checkAll(options.socketOptions().keySet());
        CompletableFuture<Connection> f = new CompletableFuture<>();
        if (isClosed()) {
            f.completeExceptionally(new IOException("connect to " + remote + ": stack nio is closed"));
            return f;
        }
        NioWorker w = (NioWorker) chooseWorker(options.worker());
        new NioConnectAttempt(w, remote, options, handler, f).submit();
        return f;
    }

    @Override
    public UdpChannel openUdp(SocketAddress local, UdpOptions options, DatagramHandler handler) throws IOException {
        checkAddress(local, "openUdp", false, false);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        checkNotClosed("openUdp");
        NioWorker w = (NioWorker) chooseWorker(options.worker());
        return callAndWait(w, () -> {
            DatagramChannel ch = DatagramChannel.open(family(local));
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                try {
                    ch.bind(local);
                } catch (IOException e) {
                    throw NioConnection.named("bind " + local, e);
                }
                return new NioUdpChannel(w, ch, options, handler);
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
                throw e;
            }
        });
    }
}
