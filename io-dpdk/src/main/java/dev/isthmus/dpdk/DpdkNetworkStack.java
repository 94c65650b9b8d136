package dev.isthmus.dpdk;

import dev.isthmus.dpdk.eal.Eal;
import dev.isthmus.dpdk.port.EthPort;
import dev.isthmus.dpdk.port.MbufPool;
import dev.isthmus.dpdk.port.MbufRing;
import dev.isthmus.dpdk.port.RingCables;
import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.Capability;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectOptions;
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
import dev.isthmus.stack.spi.FlowPlacement;
import dev.isthmus.stack.spi.RssPlacement;
import dev.isthmus.stack.spi.ToeplitzHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The dpdk stack: one hot-plugged port with one rx/tx queue pair per worker, an mbuf pool per worker, and a
 * userspace ARP/IPv4/ICMP/UDP stack per worker ({@link dev.isthmus.dpdk.net.NetInterface}).
 *
 * <p>Life cycle: open starts EAL if this JVM has not yet ({@link Eal}), creates the pools, plugs and starts
 * the port, then the workers. Close (AbstractNetworkStack's) closes the UDP channels and stops the workers;
 * the last worker to stop closes the port (its rx rings give their mbufs back) and, once every mbuf is
 * back, frees the pools. EAL stays for the next stack.
 *
 * <p>UDP ports are stack-wide (one table of 65536 channels). A flow belongs to the worker its RSS hash
 * names ({@link RssPlacement}); a frame that arrives on another worker's queue, or a datagram for a
 * channel of another worker, is handed over as the mbuf itself through a single-producer single-consumer
 * ring ({@link MbufRing}), no copy and no object.
 */
public final class DpdkNetworkStack extends AbstractNetworkStack {
    private static final Logger LOG = LoggerFactory.getLogger(DpdkNetworkStack.class);
    /** Frames in flight from one worker to another: two rx rings' worth before the next one is dropped. */
    static final int HANDOFF_RING = 1024;

    private final DpdkOptions dpdk;
    /** One pool per worker: rx queue {@code i} fills from {@code pools[i]}, worker {@code i} builds frames in it. */
    private final MbufPool[] pools;
    /** {@code handoff[from][to]}: frames worker {@code from} received for a flow of worker {@code to}. */
    private final MbufRing[][] handoff;
    private final EthPort port;
    private final long mac;
    private final AtomicReferenceArray<DpdkUdpChannel> udpPorts = new AtomicReferenceArray<>(65536);
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private final AtomicInteger nextEphemeral = new AtomicInteger();
    /** TCP ports listened on (a listener spans every worker). */
    private final java.util.concurrent.atomic.AtomicIntegerArray tcpListening = new java.util.concurrent.atomic.AtomicIntegerArray(65536);
    private final dev.isthmus.dpdk.tcp.IsnGenerator isn = new dev.isthmus.dpdk.tcp.IsnGenerator();
    private boolean portClosed;
    private volatile int mbufsInUseAtClose = -1;
    /** How long close waits for mbufs still out in a peer's rings to be freed back. */
    static final long RETURN_WAIT_NANOS = 500_000_000L;

    DpdkNetworkStack(StackOptions options, DpdkOptions dpdk) throws IOException {
        super("dpdk", options, EnumSet.of(Capability.IPV4, Capability.UDP, Capability.SPIN));
        this.dpdk = dpdk;
        String started;
        try {
            started = Eal.start(dpdk.ealArgs());
        } catch (IOException e) {
            throw new IOException("EAL failed to start: " + e.getMessage() + "; EAL starts once per JVM: fix "
                    + DpdkOptions.EAL_ARGS + " (or the machine) and start a new JVM", e);
        }
        LOG.debug("{}", started);
        int n = options.workers();
        pools = new MbufPool[n];
        EthPort p = null;
        try {
            for (int i = 0; i < n; i++) {
                pools[i] = MbufPool.create("w" + i, dpdk.mbufs());
            }
            p = dpdk.port().startsWith("ring:")
                    ? RingCables.take(dpdk.port().substring(5), n)
                    : EthPort.probe(dpdk.port());
            p.start(n, pools);
            if (dpdk.net().mtu() != 1500 && !p.setMtu(dpdk.net().mtu())) {
                LOG.info("port {} cannot change its MTU; the stack sends at most {} bytes per packet anyway",
                        p.deviceName(), dpdk.net().mtu());
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(p);
            for (MbufPool pool : pools) {
                if (pool != null) {
                    pool.close();
                }
            }
            throw e;
        }
        port = p;
        handoff = new MbufRing[n][n];
        if (n > 1) {
            for (int from = 0; from < n; from++) {
                for (int to = 0; to < n; to++) {
                    if (from != to) {
                        handoff[from][to] = new MbufRing(HANDOFF_RING);
                    }
                }
            }
        }
        mac = dpdk.mac() != DpdkOptions.PORT_MAC ? dpdk.mac() : usable(port.macAddress()) ? port.macAddress()
                : 0x0200_0000_0000L | Integer.toUnsignedLong(dpdk.net().address());
        try {
            start();
        } catch (IOException | RuntimeException e) {
            closePort();
            throw e;
        }
    }

    /**
     * Whether a port's MAC can be ours: net_ring reports 00:00:00:00:00:00. Then the stack takes the
     * locally administered unicast address 02:00 followed by its IPv4 address (IEEE 802: bit 1 of the
     * first octet set = locally administered, bit 0 clear = unicast), unique wherever the IPv4 address is.
     */
    private static boolean usable(long mac) {
        return mac != 0 && (mac & 0x0100_0000_0000L) == 0;
    }

    private static void closeQuietly(EthPort p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                LOG.warn("closing {} after a failed open failed", p, e);
            }
        }
    }

    /**
     * RSS placement with the Microsoft key and a round-robin redirection table, what an RSS NIC does by
     * default: a flow belongs to the worker whose queue that NIC would deliver it to, and a frame received
     * on another worker's queue is handed over to it ({@link DpdkWorker}).
     */
    @Override
    protected FlowPlacement newFlowPlacement(int workers) {
        return new RssPlacement(ToeplitzHash.microsoft(), workers);
    }

    /** The stack's placement with its type. */
    RssPlacement rss() {
        return (RssPlacement) flowPlacement();
    }

    /** The ring from worker {@code from} to worker {@code to} (null when they are the same). */
    MbufRing handoff(int from, int to) {
        return handoff[from][to];
    }

    @Override
    protected AbstractWorker newWorker(int index) {
        return new DpdkWorker(this, index);
    }

    DpdkOptions dpdkOptions() {
        return dpdk;
    }

    /** Worker {@code i}'s mbuf pool. */
    MbufPool pool(int i) {
        return pools[i];
    }

    EthPort port() {
        return port;
    }

    /** The stack's MAC address. */
    public long macAddress() {
        return mac;
    }

    /** The port (device) name, e.g. {@code net_tap0}. */
    public String deviceName() {
        return port.deviceName();
    }

    /** mbufs of the stack's pool in use now: in the rx rings, in flight, or held (none after close). */
    public int mbufsInUse() {
        synchronized (this) {
            if (portClosed) {
                return 0;
            }
            int n = 0;
            for (MbufPool pool : pools) {
                n += pool.inUse();
            }
            return n;
        }
    }

    /** The mbufs still out when the port had closed (0 unless one leaked), or -1 before close. */
    public int mbufsInUseAtClose() {
        return mbufsInUseAtClose;
    }

    /** Worker {@code i}, with its DPDK type (statistics). */
    public DpdkWorker dpdkWorker(int i) {
        return (DpdkWorker) worker(i);
    }

    void workerStarted() {
        liveWorkers.incrementAndGet();
    }

    void workerStopped() {
        if (liveWorkers.decrementAndGet() == 0) {
            closePort();
        }
    }

    private synchronized void closePort() {
        if (portClosed) {
            return;
        }
        portClosed = true;
        if (dpdk.port().startsWith("ring:")) {
            try {
                RingCables.release(dpdk.port().substring(5), pools[0]);
            } catch (IOException | RuntimeException e) {
                LOG.warn("dpdk: closing the unused side of {} failed", dpdk.port(), e);
            }
        }
        try {
            port.close();
        } catch (IOException e) {
            LOG.warn("dpdk: closing port {} failed", port, e);
        }
        // Every worker has stopped: frames still handed over and not taken go back now.
        try (Arena a = Arena.ofConfined()) {
            MemorySegment burst = a.allocate(ValueLayout.ADDRESS, 64);
            for (MbufRing[] row : handoff) {
                for (MbufRing r : row) {
                    int k;
                    while (r != null && (k = r.drain(burst, 64)) > 0) {
                        for (int i = 0; i < k; i++) { // drop the for-a-channel tag: free the mbuf's own address
                            burst.setAtIndex(ValueLayout.JAVA_LONG, i,
                                    burst.getAtIndex(ValueLayout.JAVA_LONG, i) & ~DpdkWorker.FOR_CHANNEL);
                        }
                        MbufPool.freeBulk(burst, k);
                    }
                }
            }
        }
        // Frames sent just before the stop may still sit in the peer's rx ring (a ring cable or memif peer in
        // this process, a device's tx ring): the peer frees them into our pool as it reads. Give them a
        // bounded moment to come back rather than count them as leaked and keep the pool forever.
        int out = inUse();
        long until = System.nanoTime() + RETURN_WAIT_NANOS;
        while (out > 0 && System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            out = inUse();
        }
        mbufsInUseAtClose = out;
        for (MbufPool pool : pools) {
            if (pool.inUse() == 0) {
                pool.close();
            } else {
                // Freeing the pool under mbufs still referenced would hand their memory to the next user.
                LOG.error("dpdk: {} mbufs of {} were never returned; the pool is left allocated", pool.inUse(), pool);
            }
        }
    }

    private int inUse() {
        int n = 0;
        for (MbufPool pool : pools) {
            n += pool.inUse();
        }
        return n;
    }

    // ---- UDP port table ------------------------------------------------------------------------

    /** Binds {@code ch} to {@code port} (0: an ephemeral port); returns the port, or -1 if it is taken. */
    int bindUdp(int port, DpdkUdpChannel ch) {
        if (port != 0) {
            return udpPorts.compareAndSet(port, null, ch) ? port : -1;
        }
        // Ephemeral range of RFC 6335 (49152..65535), as Linux's ip_local_port_range does by default.
        for (int i = 0; i < 16384; i++) {
            int p = 49152 + Math.floorMod(nextEphemeral.getAndIncrement(), 16384);
            if (udpPorts.compareAndSet(p, null, ch)) {
                return p;
            }
        }
        return -1;
    }

    void unbindUdp(int port, DpdkUdpChannel ch) {
        udpPorts.compareAndSet(port, ch, null);
    }

    DpdkUdpChannel udpChannel(int port) {
        return udpPorts.get(port);
    }

    // ---- NetworkStack ----------------------------------------------------------------------------

    // ---- TCP -----------------------------------------------------------------------------------

    dev.isthmus.dpdk.tcp.IsnGenerator isnGenerator() {
        return isn;
    }

    boolean tcpPortListening(int port) {
        return tcpListening.get(port) != 0;
    }

    void tcpPortClosed(int port) {
        tcpListening.set(port, 0);
    }

    /**
     * A flow belongs to the worker its RSS hash names (the queue a NIC delivers it to) and accept never
     * moves it, so only {@link AcceptStrategy#REUSEPORT} (placement by a hash of the 4-tuple, which is
     * what RSS is) can apply with several workers; the strategies that pick a worker after the SYN
     * (CONNECTION_DISTRIBUTION, PORT, FIXED) would need every later segment steered to another worker than
     * its hash names, and are refused here rather than silently ignored. With one worker every strategy
     * holds.
     */
    private void refuseMovingStrategies(ListenOptions options) {
        AcceptStrategy s = options.acceptStrategy();
        if (s == AcceptStrategy.FIXED) {
            worker(options.fixedWorker()); // a bad index fails as on the other stacks
        }
        if (s != AcceptStrategy.REUSEPORT && workerCount() > 1) {
            throw new UnsupportedOperationException("accept strategy " + s + " cannot apply on the dpdk stack with "
                    + workerCount() + " workers: a flow lives on the worker its RSS hash names and accept never moves it;"
                    + " use REUSEPORT (placement by the flow's hash) or one worker");
        }
    }

    @Override
    public Listener listen(SocketAddress local, ListenOptions options, ConnectionHandlerFactory handlers) throws IOException {
        java.util.Objects.requireNonNull(options, "listen options");
        java.util.Objects.requireNonNull(handlers, "handler factory");
        checkAddress(local, "local", false, false);
        checkNotClosed("listen");
        dev.isthmus.stack.spi.SocketOptionErrors.checkAll(options.socketOptions().keySet(), "dpdk",
                DpdkConnection::supports, o -> true);
        InetSocketAddress in = (InetSocketAddress) local;
        checkOurAddress(in);
        refuseMovingStrategies(options);
        int port = in.getPort();
        if (port == 0) {
            for (int i = 0; i < 16384 && port == 0; i++) {
                int p = 49152 + Math.floorMod(nextEphemeral.getAndIncrement(), 16384);
                if (tcpListening.compareAndSet(p, 0, 1)) {
                    port = p;
                }
            }
            if (port == 0) {
                throw new java.net.BindException("bind " + in + ": no free port");
            }
        } else if (!tcpListening.compareAndSet(port, 0, 1)) {
            throw new java.net.BindException("bind " + in + ": EADDRINUSE (Address already in use)");
        }
        InetSocketAddress bound = new InetSocketAddress(java.net.InetAddress.getByAddress(
                dev.isthmus.dpdk.net.Wire.ipBytes(dpdk.net().address())), port);
        DpdkTcpListener l = new DpdkTcpListener(this, bound, options, handlers);
        try {
            for (int i = 0; i < workerCount(); i++) {
                DpdkWorker w = dpdkWorker(i);
                l.add(w);
                DpdkTcpListener.Socket s = l.socketOf(i);
                runAndWait(w, s::register);
            }
        } catch (RuntimeException e) {
            l.close();
            throw e;
        }
        registerListener(l);
        if (isClosed()) {
            l.close();
            throw new IllegalStateException("stack dpdk is closed; listen is not allowed");
        }
        return l;
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectOptions options, ConnectionHandler handler) {
        java.util.Objects.requireNonNull(options, "connect options");
        java.util.Objects.requireNonNull(handler, "handler");
        checkAddress(remote, "remote", true, false);
        checkNotClosed("connect");
        dev.isthmus.stack.spi.SocketOptionErrors.checkAll(options.socketOptions().keySet(), "dpdk",
                DpdkConnection::supports, o -> true);
        DpdkWorker w = (DpdkWorker) chooseWorker(options.worker() == -1 ? fixedPortOwner(remote, options) : options.worker());
        CompletableFuture<Connection> f = new CompletableFuture<>();
        new DpdkConnectAttempt(w, (InetSocketAddress) remote, options, handler, f).submit();
        return f;
    }

    /**
     * For a connect from a fixed local port: the worker its replies hash to (no other worker could
     * receive them, see {@link DpdkTcp}); else -1, any worker (connect then picks a port for it).
     */
    private int fixedPortOwner(SocketAddress remote, ConnectOptions options) {
        if (workerCount() == 1 || !(options.localAddress() instanceof InetSocketAddress l) || l.getPort() == 0
                || !(remote instanceof InetSocketAddress r) || !(r.getAddress() instanceof java.net.Inet4Address)) {
            return -1;
        }
        return rss().workerV4(dev.isthmus.dpdk.net.Wire.ip(r.getAddress().getAddress()), dpdk.net().address(),
                r.getPort(), l.getPort());
    }

    private void checkOurAddress(InetSocketAddress in) throws java.net.BindException {
        int ip = dev.isthmus.dpdk.net.Wire.ip(in.getAddress().getAddress());
        if (ip != 0 && ip != dpdk.net().address()) {
            throw new java.net.BindException("bind " + in + ": EADDRNOTAVAIL: the dpdk stack's address is "
                    + dev.isthmus.dpdk.net.Wire.ipToString(dpdk.net().address()));
        }
    }

    /** A TCP counter summed over the workers (as {@code nstat}'s Tcp and TcpExt counters); any thread. */
    public long tcpCounter(dev.isthmus.dpdk.tcp.TcpStats.Counter c) {
        long[] sum = new long[1];
        for (int i = 0; i < workerCount(); i++) {
            DpdkWorker w = dpdkWorker(i);
            runAndWait(w, () -> sum[0] += w.tcp().layer().stats().get(c));
        }
        return sum[0];
    }

    /** Every TCP connection of every worker, one line each as {@code ss -ti} prints them; any thread. */
    public String tcpDump() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < workerCount(); i++) {
            DpdkWorker w = dpdkWorker(i);
            int index = i;
            runAndWait(w, () -> {
                sb.append("worker ").append(index).append(": ").append(w.tcp().layer().stats()).append('\n');
                w.tcp().layer().forEach(t -> sb.append("  ").append(t.describe()).append('\n'));
            });
        }
        return sb.toString();
    }

    @Override
    public UdpChannel openUdp(SocketAddress local, UdpOptions options, DatagramHandler handler) throws IOException {
        checkNotClosed("openUdp");
        checkAddress(local, "local", false, false);
        InetSocketAddress in = (InetSocketAddress) local;
        byte[] a = in.getAddress().getAddress();
        int ip = dev.isthmus.dpdk.net.Wire.ip(a);
        if (ip != 0 && ip != dpdk.net().address()) {
            throw new java.net.BindException("bind " + in + ": EADDRNOTAVAIL: the dpdk stack's address is "
                    + dev.isthmus.dpdk.net.Wire.ipToString(dpdk.net().address()));
        }
        java.util.Objects.requireNonNull(handler, "handler");
        DpdkWorker w = (DpdkWorker) chooseWorker(options.worker());
        return callAndWait(w, () -> new DpdkUdpChannel(w, in.getPort(), options, handler));
    }
}
