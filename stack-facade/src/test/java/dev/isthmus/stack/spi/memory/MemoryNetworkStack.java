package dev.isthmus.stack.spi.memory;

import dev.isthmus.stack.Capability;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.ConnectionHandlerFactory;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import dev.isthmus.stack.spi.AbstractWorker;
import dev.isthmus.stack.spi.FlowPlacement;
import dev.isthmus.stack.spi.RssPlacement;
import dev.isthmus.stack.spi.ToeplitzHash;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A userspace stack in miniature, with no kernel and no NIC: the SPI's shape proved before DPDK needs it.
 * Every worker polls an in-memory receive queue and idles with a {@link dev.isthmus.stack.spi.BackoffIdle}
 * (it never sleeps in the kernel); segments are placed on the worker an RSS NIC would pick
 * ({@link RssPlacement}); a small TCP-like protocol keeps unacknowledged bytes in the outbound chain and
 * retransmits them from there (go-back-N on a timer re-armed per send, or after three duplicate ACKs);
 * received bytes reach {@code onData} as chunks of the worker's slab that go back when released; the
 * active closer holds its flow in TIME_WAIT on a timer, and the stack's close waits for it through
 * {@link AbstractWorker#drained()}.
 *
 * <p>Properties: {@code memory.dropOneIn} (drop each data segment with probability 1/N, 0: none; random,
 * not every Nth, since a periodic loss can fall on the first segment of every go-back-N round),
 * {@code memory.timeWaitMillis}, {@code memory.blackholePort} (segments to it vanish),
 * {@code memory.maxParkMicros} (the idle park's bound).
 */
public final class MemoryNetworkStack extends AbstractNetworkStack {
    /** The one address of this "network" (198.18.0.0/15, set aside for benchmarking). */
    static final InetAddress ADDRESS = address();
    static final int ADDRESS_INT = 198 << 24 | 18 << 16 | 1;

    final long dropOneIn;
    final long timeWaitNanos;
    final int blackholePort;
    final long maxParkNanos;
    private final Map<Integer, MemoryListener> listeners = new ConcurrentHashMap<>();
    /** Local ports in use, by listeners or connections (until their TIME_WAIT ends). */
    final Set<Integer> ports = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextListenPort = new AtomicInteger(20_000);

    public MemoryNetworkStack(StackOptions options) throws IOException {
        super("memory", options, EnumSet.of(Capability.IPV4));
        this.dropOneIn = options.longProperty("memory.dropOneIn", 0);
        this.timeWaitNanos = options.longProperty("memory.timeWaitMillis", 0) * 1_000_000L;
        this.blackholePort = (int) options.longProperty("memory.blackholePort", -1);
        this.maxParkNanos = options.longProperty("memory.maxParkMicros", 200) * 1_000L;
        start();
    }

    private static InetAddress address() {
        try {
            return InetAddress.getByAddress(new byte[]{(byte) 198, 18, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    protected AbstractWorker newWorker(int index) {
        return new MemoryWorker(this, index);
    }

    @Override
    protected FlowPlacement newFlowPlacement(int workers) {
        return new RssPlacement(ToeplitzHash.microsoft(), workers);
    }

    MemoryWorker memoryWorker(int i) {
        return (MemoryWorker) worker(i);
    }

    /**
     * The wire: drops a data segment with probability 1/{@code dropOneIn}, then puts the segment on the receive queue
     * of the worker the NIC's RSS hash picks for its 4-tuple. Any thread.
     */
    void transmit(Segment s, MemoryWorker from) {
        if (s.data().length > 0 && dropOneIn > 0 && ThreadLocalRandom.current().nextLong(dropOneIn) == 0) {
            from.countDropped();
            return;
        }
        if (s.dstPort() == blackholePort) {
            return;
        }
        int w = ((RssPlacement) flowPlacement()).workerV4(ADDRESS_INT, ADDRESS_INT, s.srcPort(), s.dstPort());
        memoryWorker(w).rx.offer(s);
    }

    MemoryListener listener(int port) {
        return listeners.get(port);
    }

    @Override
    public Listener listen(SocketAddress local, ListenOptions options, ConnectionHandlerFactory handlers) throws IOException {
        checkNotClosed("listen");
        checkAddress(local, "local", false, false);
        int port = ((InetSocketAddress) local).getPort();
        if (port == 0) {
            do {
                port = nextListenPort.getAndIncrement();
            } while (!ports.add(port));
        } else if (!ports.add(port)) {
            throw new BindException("port " + port + " is in use");
        }
        MemoryListener l = new MemoryListener(port, handlers);
        listeners.put(port, l);
        registerListener(l);
        return l;
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectOptions options, ConnectionHandler handler) {
        checkNotClosed("connect");
        checkAddress(remote, "remote", true, false);
        MemoryWorker w = (MemoryWorker) chooseWorker(options.worker());
        CompletableFuture<Connection> f = new CompletableFuture<>();
        w.execute(() -> w.connect((InetSocketAddress) remote, options, handler, f));
        return f;
    }

    @Override
    public UdpChannel openUdp(SocketAddress local, UdpOptions options, DatagramHandler handler) {
        throw new UnsupportedOperationException("the memory test stack has no UDP");
    }

    /** A port that SYNs are accepted on. */
    final class MemoryListener implements Listener {
        final int port;
        final ConnectionHandlerFactory handlers;

        MemoryListener(int port, ConnectionHandlerFactory handlers) {
            this.port = port;
            this.handlers = handlers;
        }

        @Override
        public SocketAddress localAddress() {
            return new InetSocketAddress(ADDRESS, port);
        }

        @Override
        public void close() {
            if (listeners.remove(port, this)) {
                ports.remove(port);
                unregisterListener(this);
            }
        }
    }
}
