package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Arp;
import dev.isthmus.dpdk.net.DropReason;
import dev.isthmus.dpdk.net.Ethernet;
import dev.isthmus.dpdk.net.FrameSink;
import dev.isthmus.dpdk.net.NetInterface;
import dev.isthmus.dpdk.net.NetStats;
import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.dpdk.port.EthPort;
import dev.isthmus.dpdk.port.MbufPool;
import dev.isthmus.dpdk.port.Mbufs;
import dev.isthmus.ffi.dpdk.rte_mbuf_h;
import dev.isthmus.stack.spi.AbstractWorker;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker of the dpdk stack: owns rx/tx queue {@code index} of the port and a {@link NetInterface}.
 *
 * <p>Each {@link #poll} turn (DESIGN.md, "the loop"): one rx burst of up to {@value #BURST} mbufs, each
 * frame through the protocol layers (UDP payloads reach the channel's handler as views of the mbuf's data),
 * the received mbufs back to the pool in one {@code rte_pktmbuf_free_bulk}, the interface's timers, then
 * one tx burst of what the turn produced. There is no event to wait for, so an idle worker backs off as
 * Agrona's BackoffIdleStrategy does: spins, then yields, then parks for a growing time of at most
 * {@value #MAX_PARK_NANOS} ns (so it wakes a thousand times a second when idle, instead of burning a core),
 * and {@link #wakeup()} unparks it at once for a task from another thread.
 *
 * <p>Kept in this class so it can move onto the coming idle-strategy / timer-wheel SPI: {@link #poll},
 * {@link #idle}, {@link #wakeup}.
 */
public final class DpdkWorker extends AbstractWorker {
    /** mbufs per rx burst (DPDK's examples use 32: a burst amortises the call, a larger one adds latency). */
    static final int BURST = 32;
    /** Frames gathered before a tx burst is forced in the middle of a turn. */
    static final int TX_MAX = 64;
    static final long MAX_PARK_NANOS = 1_000_000;
    private static final int SPINS = 100;
    private static final int YIELDS = 20;
    private static final int TX_TRIES = 4;

    private final DpdkNetworkStack stack;
    private final EthPort port;
    private final NetStats stats = new NetStats();
    private final int[] txLengths = new int[TX_MAX];
    private volatile Thread thread;
    private MemorySegment rx;
    private MemorySegment tx;
    private MemorySegment one;
    private int txCount;
    private int pendingLength = -1;
    private NetInterface nif;
    private DpdkTcp tcp;
    private int idleTurns;
    private long parkNanos;

    DpdkWorker(DpdkNetworkStack stack, int index) {
        super(stack, index);
        this.stack = stack;
        this.port = stack.port();
    }

    /** This worker's counters: frames, bytes, bursts, drops by reason. Any thread. */
    public NetStats netStats() {
        return stats;
    }

    NetInterface netInterface() {
        return nif;
    }

    DpdkNetworkStack dpdkStack() {
        return stack;
    }

    /** This worker's TCP (after start). */
    DpdkTcp tcp() {
        return tcp;
    }

    /** The FIN exchanges still running once every connection is closed; TIME_WAIT is not waited for. */
    @Override
    protected boolean drained() {
        return tcp == null || tcp.layer().connectionsNotInTimeWait() == 0;
    }

    @Override
    protected void drainAbandoned() {
        if (tcp != null) {
            tcp.layer().abortAll();
            flush();
        }
    }

    @Override
    protected void onStart() {
        thread = Thread.currentThread();
        rx = arena().allocate(ValueLayout.ADDRESS, BURST);
        tx = arena().allocate(ValueLayout.ADDRESS, TX_MAX);
        one = arena().allocate(ValueLayout.ADDRESS, 1);
        DpdkOptions o = stack.dpdkOptions();
        nif = new NetInterface(o.net(), stack.macAddress(), new MbufSink(), stats, this::deliver,
                o.arpTimeoutNanos(), o.reassemblyTimeoutNanos(), o.reassemblyMaxBytes());
        nif.ipIdSequence(index(), stack.options().workers());
        tcp = new DpdkTcp(this, nif, stack.isnGenerator());
        stack.workerStarted();
        if (index() == 0) {
            nif.announce();
            flush();
        }
    }

    @Override
    protected int poll(long timeoutNanos) {
        long now = System.nanoTime();
        int n = port.rxBurst(index(), rx, BURST);
        if (n > 0) {
            stats.rxBurst();
            for (int i = 0; i < n; i++) {
                receive(Mbufs.at(rx, i), now);
            }
            MbufPool.freeBulk(rx, n);
        }
        nif.tick(now);
        flush();
        if (n > 0) {
            idleTurns = 0;
            parkNanos = 0;
            return n;
        }
        if (timeoutNanos != 0) {
            idle(timeoutNanos);
        }
        return 0;
    }

    private void receive(long m, long now) {
        if (Mbufs.segments(m) != 1) {
            stats.received(Mbufs.packetLength(m));
            stats.drop(DropReason.RX_CHAINED);
            return;
        }
        long at = Mbufs.dataAddress(m);
        int len = Mbufs.dataLength(m);
        nif.input(Mbufs.ALL, at, len, now);
        if (stack.workerCount() > 1 && len >= Ethernet.HEADER + Arp.LENGTH
                && Wire.u16(Mbufs.ALL, at + Ethernet.TYPE) == Ethernet.TYPE_ARP) {
            shareArp(Mbufs.ALL.asSlice(at + Ethernet.HEADER, len - Ethernet.HEADER), now);
        }
    }

    /** An ARP packet to us taught this worker a mapping; the other workers' interfaces learn it too. */
    private void shareArp(MemorySegment p, long now) {
        if (!Arp.valid(p) || Wire.u32(p, Arp.TPA) != nif.config().address()) {
            return;
        }
        int ip = Wire.u32(p, Arp.SPA);
        long mac = Wire.mac(p, Arp.SHA);
        if (nif.arp().lookup(ip, now) != mac) {
            return;
        }
        for (int i = 0; i < stack.workerCount(); i++) {
            if (i != index()) {
                DpdkWorker w = stack.dpdkWorker(i);
                try {
                    w.execute(() -> w.nif.arpLearned(ip, mac, System.nanoTime()));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // that worker is stopping: nothing to send any more
                }
            }
        }
    }

    /** Steers a UDP datagram to its channel, on this worker without a copy, else copied to its worker. */
    private boolean deliver(int src, int srcPort, int dst, int dstPort, MemorySegment payload) {
        DpdkUdpChannel ch = stack.udpChannel(dstPort);
        if (ch == null) {
            return false;
        }
        if (ch.worker() == this) {
            ch.deliver(src, srcPort, payload);
        } else {
            byte[] copy = payload.toArray(ValueLayout.JAVA_BYTE);
            try {
                ch.worker().execute(() -> ch.deliver(src, srcPort, MemorySegment.ofArray(copy)));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return true; // the channel's worker is stopping; the datagram goes, as on a closed socket
            }
        }
        return true;
    }

    /** BackoffIdleStrategy-like: spin, yield, then park with a doubling bound; timeoutNanos &lt; 0 means none. */
    private void idle(long timeoutNanos) {
        idleTurns++;
        if (idleTurns <= SPINS) {
            Thread.onSpinWait();
        } else if (idleTurns <= SPINS + YIELDS) {
            Thread.yield();
        } else {
            parkNanos = parkNanos == 0 ? 1_000 : Math.min(MAX_PARK_NANOS, parkNanos * 2);
            LockSupport.parkNanos(timeoutNanos < 0 ? parkNanos : Math.min(parkNanos, timeoutNanos));
        }
    }

    @Override
    protected void wakeup() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    protected void onStop() {
        try {
            flush();
        } finally {
            stack.workerStopped();
        }
    }

    /** One tx burst of the frames gathered; what the driver does not take after a few tries is freed and counted. */
    void flush() {
        if (txCount == 0) {
            return;
        }
        int sent = 0;
        for (int i = 0; i < TX_TRIES && sent < txCount; i++) {
            // The whole array on the first try (no slice object: the usual case sends everything at once).
            sent += port.txBurst(index(), sent == 0 ? tx : tx.asSlice((long) sent * ValueLayout.ADDRESS.byteSize()),
                    txCount - sent);
        }
        stats.txBurst();
        for (int i = 0; i < sent; i++) {
            stats.sent(txLengths[i]);
        }
        if (sent < txCount) {
            MbufPool.freeBulk(tx.asSlice((long) sent * ValueLayout.ADDRESS.byteSize()), txCount - sent);
            for (int i = sent; i < txCount; i++) {
                stats.drop(DropReason.TX_QUEUE_FULL);
            }
        }
        txCount = 0;
    }

    /** Builds outbound frames straight in mbufs at the end of the tx array. */
    private final class MbufSink implements FrameSink {
        @Override
        public long allocate(int length) {
            if (length > rte_mbuf_h.RTE_MBUF_DEFAULT_DATAROOM) {
                throw new IllegalArgumentException("a frame of " + length + " bytes does not fit one mbuf");
            }
            if (txCount == TX_MAX) {
                flush();
            }
            // Into a one-entry array of its own, then copied as a word: no slice of tx per frame.
            if (!stack.pool().allocBulk(one, 1)) {
                return -1;
            }
            long m = Mbufs.at(one, 0);
            tx.setAtIndex(ValueLayout.JAVA_LONG, txCount, m);
            Mbufs.setLength(m, length);
            pendingLength = length;
            return Mbufs.dataAddress(m);
        }

        @Override
        public MemorySegment segment() {
            return Mbufs.ALL;
        }

        @Override
        public void commit() {
            txLengths[txCount++] = pendingLength;
            pendingLength = -1;
        }

        @Override
        public void abort() {
            one.setAtIndex(ValueLayout.JAVA_LONG, 0, Mbufs.at(tx, txCount));
            MbufPool.freeBulk(one, 1);
            pendingLength = -1;
        }
    }
}
