package dev.isthmus.dpdk.port;

import dev.isthmus.dpdk.eal.InterruptThread;
import dev.isthmus.ffi.dpdk.Dpdk;
import dev.isthmus.ffi.dpdk.rte_eal_h;
import dev.isthmus.ffi.dpdk.rte_eth_conf;
import dev.isthmus.ffi.dpdk.rte_ether_addr;
import dev.isthmus.ffi.dpdk.rte_ethdev_h;
import dev.isthmus.ffi.dpdk.rte_ring_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One ethdev port of a hot-plugged virtual device, from probe to removal (rte_ethdev.h's life cycle:
 * configure, rx/tx queue setup, start, stop, close), with one rx/tx queue pair per worker.
 *
 * <p>Two ways in: {@link #probe} hot-plugs a vdev given as devargs ({@code net_tap0,iface=dtap0},
 * {@code net_af_packet0,iface=veth0}, {@code net_memif0,...}) with rte_dev_probe; {@link #fromRings} makes
 * a net_ring port over rte_rings (rte_eth_from_rings), e.g. two ports joined by crossed rings. Either
 * way {@link #close()} stops, closes and unplugs the device, so EAL (which lives as long as the JVM) can
 * take a new one with the same name later.
 */
public final class EthPort implements AutoCloseable {
    private static final AtomicInteger RING_IDS = new AtomicInteger();
    /** memif server devices this JVM keeps plugged after close (see {@link #close()}), by name. */
    private static final java.util.Set<String> KEPT_MEMIF_SERVERS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Descriptors per rx/tx queue: enough for a few bursts in flight; net_tap allocates them all at setup. */
    public static final int RING_SIZE = 512;

    private final String deviceName;
    private final String devargs;
    private final int portId;
    private final MemorySegment[] ringsToFree;
    /** Ports still open that use {@link #ringsToFree}: the last one to close frees them. */
    private final AtomicInteger ringUsers;
    private int queues;
    private boolean started;
    /** The pools of {@link #start}, for draining a cable's rings at the last close. */
    private MbufPool[] startedWith;
    private boolean closed;
    private long mac;

    private EthPort(String deviceName, String devargs, int portId, MemorySegment[] ringsToFree, AtomicInteger ringUsers) {
        this.deviceName = deviceName;
        this.devargs = devargs;
        this.portId = portId;
        this.ringsToFree = ringsToFree;
        this.ringUsers = ringUsers;
    }

    /** The device name in devargs: what comes before the first comma ({@code net_tap0} of {@code net_tap0,iface=t0}). */
    public static String deviceName(String devargs) {
        int comma = devargs.indexOf(',');
        String name = (comma < 0 ? devargs : devargs.substring(0, comma)).trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("devargs '" + devargs + "' name no device");
        }
        return name;
    }

    /**
     * Hot-plugs the device {@code devargs} (EAL must run) and returns its port, not yet configured: a vdev
     * ({@code net_tap0,iface=t0}) or a PCI address of a NIC bound to vfio-pci ({@code 0000:03:00.0}).
     */
    public static EthPort probe(String devargs) throws IOException {
        String name = deviceName(devargs);
        if (isPci("0000:" + name)) {
            name = "0000:" + name; // EAL names PCI devices (and their ports) with the domain
        }
        if (KEPT_MEMIF_SERVERS.contains(name)) {
            throw new IOException("rte_dev_probe(" + devargs + "): " + name + " was a memif server of an earlier"
                    + " stack of this JVM and stays plugged until exit (DPDK 22.11's memif cannot unplug a"
                    + " server safely: see io-dpdk/README.md); use another device name and socket");
        }
        try (Arena a = Arena.ofConfined()) {
            int rc = rte_eal_h.rte_dev_probe(a.allocateFrom(devargs));
            if (rc < 0) {
                throw new IOException("rte_dev_probe(" + devargs + "): " + errno(-rc)
                        + (rc == -17 ? " (the device exists already: is another stack using " + name + "?)" : ""));
            }
            MemorySegment id = a.allocate(ValueLayout.JAVA_SHORT);
            rc = rte_ethdev_h.rte_eth_dev_get_port_by_name(a.allocateFrom(name), id);
            if (rc < 0) {
                unplug(name);
                throw new IOException("rte_eth_dev_get_port_by_name(" + name + "): " + errno(-rc)
                        + " (probed a device that is not an ethdev port?)");
            }
            return new EthPort(name, devargs, Short.toUnsignedInt(id.get(ValueLayout.JAVA_SHORT, 0)), new MemorySegment[0],
                    new AtomicInteger(1));
        }
    }

    /**
     * Makes a net_ring port, the vdev {@code net_ring_<name>}, that receives from {@code rx[q]} and sends into
     * {@code tx[q]}; the rings stay the caller's (see {@link #crossedPair}).
     */
    public static EthPort fromRings(String name, MemorySegment[] rx, MemorySegment[] tx) throws IOException {
        return fromRings(name, rx, tx, new MemorySegment[0], new AtomicInteger(1));
    }

    private static EthPort fromRings(String name, MemorySegment[] rx, MemorySegment[] tx, MemorySegment[] owned,
                                     AtomicInteger users) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment rxa = a.allocate(ValueLayout.ADDRESS, rx.length);
            MemorySegment txa = a.allocate(ValueLayout.ADDRESS, tx.length);
            for (int i = 0; i < rx.length; i++) {
                rxa.setAtIndex(ValueLayout.ADDRESS, i, rx[i]);
            }
            for (int i = 0; i < tx.length; i++) {
                txa.setAtIndex(ValueLayout.ADDRESS, i, tx[i]);
            }
            int port = rte_ring_h.rte_eth_from_rings(a.allocateFrom(name), rxa, rx.length, txa, tx.length, 0);
            if (port < 0) {
                throw new IOException("rte_eth_from_rings(" + name + "): rte_errno " + Dpdk.rte_errno());
            }
            // The driver registers the vdev as "net_ring_" + name (rte_eth_ring.c), the name to unplug.
            return new EthPort("net_ring_" + name, "net_ring_" + name, port, owned, users);
        }
    }

    /**
     * Two net_ring ports joined by crossed rings, {@code queues} pairs each: what one sends on queue q the
     * other receives on queue q. The rings are freed when both ports are closed.
     */
    public static EthPort[] crossedPair(String nameA, String nameB, int queues) throws IOException {
        MemorySegment[] aToB = new MemorySegment[queues];
        MemorySegment[] bToA = new MemorySegment[queues];
        int id = RING_IDS.incrementAndGet();
        for (int q = 0; q < queues; q++) {
            // Single producer and single consumer: each queue belongs to one worker on either side.
            aToB[q] = ring("isth_r" + id + "_ab" + q);
            bToA[q] = ring("isth_r" + id + "_ba" + q);
        }
        MemorySegment[] all = new MemorySegment[2 * queues];
        System.arraycopy(aToB, 0, all, 0, queues);
        System.arraycopy(bToA, 0, all, queues, queues);
        AtomicInteger users = new AtomicInteger(2);
        EthPort a;
        try {
            a = fromRings(nameA, bToA, aToB, all, users);
        } catch (IOException | RuntimeException e) {
            for (MemorySegment r : all) {
                rte_ring_h.rte_ring_free(r);
            }
            throw e;
        }
        try {
            return new EthPort[] {a, fromRings(nameB, aToB, bToA, all, users)};
        } catch (IOException | RuntimeException e) {
            users.decrementAndGet(); // b never existed; a's close frees the rings
            a.close();
            throw e;
        }
    }

    private static MemorySegment ring(String name) throws IOException {
        MemorySegment r = rte_ring_h.rte_ring_create(name, 1024, rte_eal_h.SOCKET_ID_ANY,
                rte_ring_h.RING_F_SP_ENQ | rte_ring_h.RING_F_SC_DEQ);
        if (r.address() == 0) {
            throw new IOException("rte_ring_create(" + name + "): rte_errno " + Dpdk.rte_errno());
        }
        return r;
    }

    /**
     * Configures {@code queues} rx/tx queue pairs, rx queues filled from {@code pool}, and starts the port
     * with promiscuous mode on (a tap or a ring delivers every frame anyway; the stack filters by MAC).
     */
    public void start(int queues, MbufPool pool) throws IOException {
        start(queues, new MbufPool[] {pool});
    }

    /**
     * As {@link #start(int, MbufPool)}, rx queue {@code q} filled from {@code pools[q % pools.length]}: a
     * pool per worker, so that each worker's mbufs in use can be told apart and its allocations do not
     * contend with the other workers' on one pool's ring.
     */
    public void start(int queues, MbufPool[] pools) throws IOException {
        if (pools.length == 0) {
            throw new IllegalArgumentException("no mbuf pool");
        }
        if (started || closed) {
            throw new IllegalStateException("port " + deviceName + " is " + (closed ? "closed" : "started already"));
        }
        if (queues < 1) {
            throw new IllegalArgumentException("a port needs at least one queue pair, was " + queues);
        }
        try (Arena a = Arena.ofConfined()) {
            // All zero: no offloads, no RSS, the driver's default MTU (rte_eth_conf in rte_ethdev.h).
            MemorySegment conf = rte_eth_conf.allocate(a);
            check("rte_eth_dev_configure", rte_ethdev_h.rte_eth_dev_configure(portId, queues, queues, conf));
            for (int q = 0; q < queues; q++) {
                check("rte_eth_rx_queue_setup(" + q + ")", rte_ethdev_h.rte_eth_rx_queue_setup(portId, q, RING_SIZE,
                        rte_eal_h.SOCKET_ID_ANY, MemorySegment.NULL, pools[q % pools.length].address()));
                check("rte_eth_tx_queue_setup(" + q + ")", rte_ethdev_h.rte_eth_tx_queue_setup(portId, q, RING_SIZE,
                        rte_eal_h.SOCKET_ID_ANY, MemorySegment.NULL));
            }
            check("rte_eth_dev_start", rte_ethdev_h.rte_eth_dev_start(portId));
            started = true;
            startedWith = pools.clone();
            this.queues = queues;
            int rc = rte_ethdev_h.rte_eth_promiscuous_enable(portId);
            if (rc < 0 && rc != -95) { // -ENOTSUP: net_ring has no such thing and needs none
                check("rte_eth_promiscuous_enable", rc);
            }
            MemorySegment m = rte_ether_addr.allocate(a);
            check("rte_eth_macaddr_get", rte_ethdev_h.rte_eth_macaddr_get(portId, m));
            long v = 0;
            for (int i = 0; i < 6; i++) {
                v = (v << 8) | Byte.toUnsignedLong(m.get(ValueLayout.JAVA_BYTE, i));
            }
            mac = v;
        }
    }

    /** Receives up to {@code max} mbufs on queue {@code q} into the pointer array {@code pkts}; returns how many. */
    public int rxBurst(int q, MemorySegment pkts, int max) {
        return rte_ethdev_h.rte_eth_rx_burst(portId, q, pkts, max);
    }

    /** Hands up to {@code n} mbufs to queue {@code q}; returns how many the driver took (and now owns). */
    public int txBurst(int q, MemorySegment pkts, int n) {
        return rte_ethdev_h.rte_eth_tx_burst(portId, q, pkts, n);
    }

    /** The ethdev port id. */
    public int portId() {
        return portId;
    }

    /** The device name (also the ethdev name). */
    public String deviceName() {
        return deviceName;
    }

    /** The port's MAC address in the low 48 bits, as read after start. */
    public long macAddress() {
        return mac;
    }

    /** The number of queue pairs it was started with. */
    public int queues() {
        return queues;
    }

    /**
     * Sets the port's MTU (the L3 payload of a frame); returns false if the driver cannot change it
     * (-ENOTSUP), in which case its default (1500 here) stays.
     */
    public boolean setMtu(int mtu) throws IOException {
        int rc = rte_ethdev_h.rte_eth_dev_set_mtu(portId, mtu);
        if (rc == -95) {
            return false;
        }
        check("rte_eth_dev_set_mtu(" + mtu + ")", rc);
        return true;
    }

    /**
     * Stops and closes the port (its rx queues give their mbufs back to the pool) and unplugs the device.
     * Idempotent. Throws the first failure after trying every step.
     *
     * <p>net_memif, two defects of its close path in DPDK 22.11 (drivers/net/memif, unchanged since):
     * <ol>
     *   <li>the peer's disconnect is handled on EAL's interrupt thread by the same memif_disconnect that
     *       rte_eth_dev_stop runs, without a lock around the regions both free: so a memif port is stopped,
     *       closed and unplugged on that thread ({@link InterruptThread});</li>
     *   <li>closing the last device of a server socket (memif_socket_remove_device) frees the listening
     *       socket's interrupt handle without unregistering its callback or closing its fd: EAL's interrupt
     *       thread keeps polling freed memory, and crashed (SIGSEGV) in the JVM some 100 ms after both
     *       ends had closed. So a memif <em>server</em> port is only stopped (its control channel and
     *       queues torn down, nothing of the stack's pool kept) and the device stays plugged until the JVM
     *       exits; opening its name again in this JVM fails with a message saying so.</li>
     * </ol>
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (deviceName.startsWith("net_memif")) {
            boolean server = devargs.contains("role=server") || devargs.contains("role=master");
            InterruptThread.runAndWait("closing " + deviceName, () -> stopCloseUnplug(!server));
            if (server) {
                KEPT_MEMIF_SERVERS.add(deviceName);
            }
        } else {
            stopCloseUnplug(true);
        }
    }

    private void stopCloseUnplug(boolean unplug) throws IOException {
        IOException failure = null;
        if (started) {
            int rc = rte_ethdev_h.rte_eth_dev_stop(portId);
            if (rc < 0) {
                failure = new IOException("rte_eth_dev_stop(" + deviceName + "): " + errno(-rc));
            }
        }
        if (unplug) {
            int rc = rte_ethdev_h.rte_eth_dev_close(portId);
            if (rc < 0 && failure == null) {
                failure = new IOException("rte_eth_dev_close(" + deviceName + "): " + errno(-rc));
            }
            rc = unplug(deviceName);
            if (rc < 0 && failure == null) {
                failure = new IOException("rte_eal_hotplug_remove(vdev, " + deviceName + "): " + errno(-rc));
            }
        }
        if (ringUsers.decrementAndGet() == 0) {
            if (ringsToFree.length > 0 && startedWith != null) {
                try {
                    drainRings();
                } catch (IOException | RuntimeException e) {
                    failure = failure != null ? failure : new IOException("draining the rings of " + deviceName, e);
                }
            }
            for (MemorySegment r : ringsToFree) {
                rte_ring_h.rte_ring_free(r);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The last port of a cable closes: frames still in its rings go back to their pools before the rings
     * are freed (rte_ring_free frees the ring, not what it holds). The other side may have sent them after
     * this side stopped receiving, or this side after the other stopped (a FIN answered after the peer's
     * stack closed): without this, they stay counted in their pool for ever. A port over all the rings,
     * started just long enough to receive them, as {@link RingCables#release} does for an untaken side.
     */
    private void drainRings() throws IOException {
        EthPort d = fromRings("isth_drain" + RING_IDS.incrementAndGet(), ringsToFree, ringsToFree);
        try {
            d.start(ringsToFree.length, startedWith);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment burst = a.allocate(ValueLayout.ADDRESS, 32);
                for (int q = 0; q < ringsToFree.length; q++) {
                    int n;
                    while ((n = d.rxBurst(q, burst, 32)) > 0) {
                        MbufPool.freeBulk(burst, n);
                    }
                }
            }
        } finally {
            d.close();
        }
    }

    /** A PCI address (domain:bus:device.function) names a real NIC on bus "pci"; anything else is a vdev. */
    private static boolean isPci(String name) {
        return name.matches("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");
    }

    private static int unplug(String name) {
        try (Arena a = Arena.ofConfined()) {
            return rte_eal_h.rte_eal_hotplug_remove(a.allocateFrom(isPci(name) ? "pci" : "vdev"), a.allocateFrom(name));
        }
    }

    private void check(String call, int rc) throws IOException {
        if (rc < 0) {
            throw new IOException(call + " on port " + portId + " (" + deviceName + "): " + errno(-rc));
        }
    }

    static String errno(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 5 -> "EIO";
            case 12 -> "ENOMEM";
            case 16 -> "EBUSY";
            case 17 -> "EEXIST";
            case 19 -> "ENODEV";
            case 22 -> "EINVAL";
            case 95 -> "ENOTSUP";
            default -> "errno " + errno;
        };
    }

    @Override
    public String toString() {
        return "EthPort[" + portId + ", " + deviceName + "]";
    }
}
