package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Arp;
import dev.isthmus.dpdk.net.DropReason;
import dev.isthmus.dpdk.net.Ethernet;
import dev.isthmus.dpdk.net.FlowSteering;
import dev.isthmus.dpdk.net.FrameSink;
import dev.isthmus.dpdk.net.NetInterface;
import dev.isthmus.dpdk.net.NetStats;
import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.dpdk.port.EthPort;
import dev.isthmus.dpdk.port.FaultInjector;
import dev.isthmus.dpdk.port.FaultPlan;
import dev.isthmus.dpdk.port.MbufPool;
import dev.isthmus.dpdk.port.MbufRing;
import dev.isthmus.dpdk.port.Mbufs;
import dev.isthmus.ffi.dpdk.rte_mbuf_h;
import dev.isthmus.stack.spi.AbstractWorker;
import dev.isthmus.stack.spi.BackoffIdle;
import dev.isthmus.stack.spi.IdleStrategy;
import dev.isthmus.stack.spi.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One worker of the dpdk stack: owns rx/tx queue {@code index} of the port, an mbuf pool and a
 * {@link NetInterface}.
 *
 * <p>Each {@link #poll} turn (DESIGN.md, "the loop"): one rx burst of up to {@value #BURST} mbufs, each
 * frame through the protocol layers (UDP payloads reach the channel's handler as views of the mbuf's data,
 * {@link PayloadViews}), the frames other workers handed over, the received mbufs back to their pool in
 * one {@code rte_pktmbuf_free_bulk} per batch, then one tx burst of what the turn produced. The SPI's loop
 * around it runs tasks and the timer wheel, and idles with a {@link BackoffIdle} (spin, yield, then park
 * for at most {@value #MAX_PARK_NANOS} ns: nothing wakes a thread when a frame lands in an rx ring, so the
 * bound is how late an idle worker may see one; {@code execute} and timers unpark it at once).
 *
 * <p>A TCP connection may keep the mbuf of a segment it received as the chunk of its inbound chain
 * ({@link #keepCurrent}, up to a share of the pool; {@link DpdkTcp}): that mbuf is left out of the batch's
 * bulk free, and freed when the application has consumed the chunk, with the other chunks released in the
 * same turn in one {@code rte_pktmbuf_free_bulk}.
 *
 * <p>A frame to our own address ({@link FrameSink#commitLocal}) goes into a loopback queue instead of the
 * tx burst and is received at the next turn, like a frame from the device (counter {@code loopedBack}).
 *
 * <p>Flows: with several workers, a UDP or TCP frame belongs to the worker its RSS hash names
 * ({@link FlowSteering}); one that the device put on another worker's queue is handed to its owner, and a
 * datagram for a channel of another worker to that worker, as the mbuf itself through a
 * single-producer single-consumer {@link MbufRing} (no copy, no object). An entry with bit 0 set was
 * handed over for its channel: it is delivered where it lands, never handed on again.
 *
 * <p>Timers on the worker's wheel: one re-armable {@link Timeout} for the interface's ARP retries and
 * reassembly timeouts (armed for the earliest deadline the interface reports), one that samples the
 * pool's mbufs in use after activity. Statistics are backend counters ({@code Worker.counters()}): the
 * {@link NetStats} slots ({@link NetStats#NAMES}: frames, bytes, bursts, drops by reason) and the
 * worker's own (mbufs in use, hand-overs).
 */
public final class DpdkWorker extends AbstractWorker {
    /** mbufs per rx burst (DPDK's examples use 32: a burst amortises the call, a larger one adds latency). */
    static final int BURST = 32;
    /** Frames gathered before a tx burst is forced in the middle of a turn. */
    static final int TX_MAX = 64;
    /** Idle turns spent spinning, then yielding, before the worker parks. */
    static final int SPINS = 100;
    static final int YIELDS = 20;
    static final long MIN_PARK_NANOS = 1_000;
    static final long MAX_PARK_NANOS = 1_000_000;
    /** The mbufs-in-use counter is sampled this long after a turn with work (rte_mempool_in_use_count is a call). */
    static final long MBUF_SAMPLE_NANOS = 10_000_000;
    private static final int TX_TRIES = 4;
    /**
     * Frames to our own address waiting to be received ({@link FrameSink#commitLocal}). A full queue drops
     * the frame and counts it, as a full rx ring does (TCP retransmits); 1024 is more than a turn's worth
     * of segments of every connection's window.
     */
    static final int LOOPBACK_QUEUE = 1024;
    /** Bit 0 of a handed-over entry: delivered where it lands (mbufs are cache-line aligned). */
    static final long FOR_CHANNEL = 1;

    private final DpdkNetworkStack stack;
    private final EthPort port;
    private final NetStats stats;
    private final int statsBase;
    private final int cMbufsInUse;
    private final int cHandedOut;
    private final int cHandedIn;
    private final int cHandoffDropped;
    private final int cViewsMade;
    private final int cTcpMoved;
    private final int cMbufChunks;
    private final int cCopiedChunks;
    /** Nanoseconds spent in polls that found work (busy time; capacity = 1 / busy time per packet). */
    private final int cBusyNanos;
    private final int cLooped;
    /** The loopback queue, a ring of mbuf addresses on this worker's thread only: head, count. */
    private final long[] looped = new long[LOOPBACK_QUEUE];
    private int loopedHead;
    private int loopedCount;
    private final int cRxInjectedDrops;
    private final int cRxInjectedReorders;
    private final int cTxInjectedDrops;
    private final int cTxInjectedReorders;
    /** Loss and reordering injected on purpose ({@link DpdkOptions#faults()}); null when none. */
    private FaultInjector rxFaults;
    private FaultInjector txFaults;
    /**
     * Received mbufs a TCP connection may hold at once on this worker (zero-copy chunks, {@link DpdkTcp}):
     * a quarter of a pool shared by the workers, so that even if every worker holds mbufs of one pool
     * (hand-overs, a ring cable's peer) three quarters of it stay for the rx ring and for sending.
     */
    private final int holdLimit;
    private int held;
    /** Released chunks' mbufs, freed in one {@code rte_pktmbuf_free_bulk} per turn (or when full). */
    private MemorySegment released;
    private int releasedCount;
    private final int[] txLengths = new int[TX_MAX + FaultInjector.MAX_HELD];
    private final PayloadViews views;
    private MemorySegment rx;
    private MemorySegment tx;
    private MemorySegment one;
    private int txCount;
    private int pendingLength = -1;
    private NetInterface nif;
    private DpdkTcp tcp;
    private MbufPool pool;
    private MbufRing[] inbound;
    private MbufRing[] outbound;
    private Timeout netTimer;
    private Timeout mbufSample;
    private long mbufsSampled;
    private long viewsCounted;
    /** The mbuf whose frame is going through the interface, 0 between frames. */
    private long current;
    /** Whether {@link #current} was handed over for its channel already (it is not handed on again). */
    private boolean currentForChannel;
    /** Whether {@link #current} has been handed to another worker (not to be freed with the batch). */
    private boolean currentHandedOver;
    /** Whether {@link #current} was kept by a TCP connection ({@link #keepCurrent}; not freed with the batch). */
    private boolean currentKept;

    DpdkWorker(DpdkNetworkStack stack, int index) {
        super(stack, index);
        this.stack = stack;
        this.port = stack.port();
        this.views = new PayloadViews(stack.dpdkOptions().mbufs() * stack.options().workers());
        int base = -1;
        for (String name : NetStats.NAMES) {
            int i = registerCounter(name);
            base = base < 0 ? i : base;
        }
        statsBase = base;
        cMbufsInUse = registerCounter("mbufsInUse");
        cHandedOut = registerCounter("handedOut");
        cHandedIn = registerCounter("handedIn");
        cHandoffDropped = registerCounter("handoffRingFull");
        cViewsMade = registerCounter("payloadViewsMade");
        cTcpMoved = registerCounter("tcpCopiedToOwner");
        cMbufChunks = registerCounter("tcpMbufChunks");
        cCopiedChunks = registerCounter("tcpCopiedChunks");
        cBusyNanos = registerCounter("busyNanos");
        cLooped = registerCounter("loopedBack");
        cRxInjectedDrops = registerCounter("faultRxDropped");
        cRxInjectedReorders = registerCounter("faultRxReordered");
        cTxInjectedDrops = registerCounter("faultTxDropped");
        cTxInjectedReorders = registerCounter("faultTxReordered");
        holdLimit = stack.dpdkOptions().mbufs() / (4 * stack.options().workers());
        stats = new NetStats(new NetStats.Counters() {
            @Override
            public void add(int i, long delta) {
                count(statsBase + i, delta);
            }

            @Override
            public long get(int i) {
                return counterValue(statsBase + i);
            }
        });
    }

    /** This worker's counters: frames, bytes, bursts, drops by reason (also in {@code counters()}). Any thread. */
    public NetStats netStats() {
        return stats;
    }

    /** mbufs of this worker's pool in use now: in its rx ring, in flight, handed over, held. Any thread. */
    public int mbufsInUse() {
        return pool.inUse();
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

    /** A TCP segment or ICMP error that steering could not place went to its flow's owner as a copy ({@link DpdkTcp}). */
    void tcpMovedToOwner() {
        count(cTcpMoved, 1);
    }

    /**
     * Keeps the mbuf of the frame being handled if {@code [at, at + len)} of {@link Mbufs#ALL} lies in its
     * data, it was not kept or handed over already and this worker holds fewer than its limit: the mbuf
     * is then not freed with its batch and belongs to the caller until {@link #releaseKept}. Returns it,
     * or 0 (the caller copies).
     */
    long keepCurrent(long at, int len) {
        long m = current;
        if (m == 0 || currentKept || currentHandedOver || held >= holdLimit) {
            return 0;
        }
        long data = Mbufs.dataAddress(m);
        if (at < data || at + len > data + Mbufs.dataLength(m)) {
            return 0;
        }
        currentKept = true;
        held++;
        count(cMbufChunks, 1);
        return m;
    }

    /** A received segment's bytes were copied out of their mbuf (pressure, a paused reader, not in an mbuf). */
    void countCopiedChunk() {
        count(cCopiedChunks, 1);
    }

    /** An mbuf {@link #keepCurrent} kept is no longer needed: freed with the others at the end of the turn. */
    void releaseKept(long m) {
        held--;
        released.setAtIndex(ValueLayout.JAVA_LONG, releasedCount++, m);
        if (releasedCount == BURST) {
            freeReleased();
        }
    }

    /** Received mbufs held by this worker's connections now (worker thread). */
    int mbufsHeld() {
        return held;
    }

    private void freeReleased() {
        if (releasedCount > 0) {
            MbufPool.freeBulk(released, releasedCount);
            releasedCount = 0;
        }
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
    protected IdleStrategy newIdleStrategy() {
        // StackOptions.spin (serve --spin-us): poll that long after the last work before yielding and parking,
        // for a user who gives the worker its core (a yield on a shared core can cost a scheduler slice).
        return new BackoffIdle(SPINS, options().spin().toNanos(), YIELDS, MIN_PARK_NANOS, MAX_PARK_NANOS);
    }

    @Override
    protected void onStart() {
        // Room beyond a burst for the frames a fault injector held back and now puts back.
        rx = arena().allocate(ValueLayout.ADDRESS, BURST + FaultInjector.MAX_HELD);
        tx = arena().allocate(ValueLayout.ADDRESS, TX_MAX + FaultInjector.MAX_HELD);
        one = arena().allocate(ValueLayout.ADDRESS, 1);
        released = arena().allocate(ValueLayout.ADDRESS, BURST);
        pool = stack.pool(index());
        DpdkOptions o = stack.dpdkOptions();
        FaultPlan faults = o.faults();
        if (faults.rxFaulty()) {
            rxFaults = new FaultInjector(faults.rxLoss(), faults.rxReorder(),
                    FaultInjector.seedFor(faults.seed(), index(), true), BURST, arena());
        }
        if (faults.txFaulty()) {
            txFaults = new FaultInjector(faults.txLoss(), faults.txReorder(),
                    FaultInjector.seedFor(faults.seed(), index(), false), TX_MAX, arena());
        }
        nif = new NetInterface(o.net(), stack.macAddress(), new MbufSink(), stats, this::deliver,
                o.arpTimeoutNanos(), o.reassemblyTimeoutNanos(), o.reassemblyMaxBytes());
        nif.ipIdSequence(index(), stack.options().workers());
        nif.payloadViews(views);
        netTimer = newTimeout(() -> nif.tick(System.nanoTime()));
        nif.timerHook(this::netTimerDue);
        mbufSample = newTimeout(this::sampleMbufs);
        int n = stack.options().workers();
        if (n > 1) {
            inbound = new MbufRing[n];
            outbound = new MbufRing[n];
            for (int i = 0; i < n; i++) {
                inbound[i] = stack.handoff(i, index());
                outbound[i] = stack.handoff(index(), i);
            }
        }
        tcp = new DpdkTcp(this, nif, stack.isnGenerator());
        stack.workerStarted();
        if (index() == 0) {
            nif.announce();
            flush();
        }
    }

    /** Never waits: {@link BackoffIdle} parks the thread between turns; {@code timeoutNanos} is always 0 here. */
    @Override
    protected int poll(long timeoutNanos) {
        long now = System.nanoTime();
        int work = 0;
        int n = port.rxBurst(index(), rx, BURST);
        if (rxFaults != null && (n > 0 || rxFaults.holding())) {
            n = injectRx(n, now);
        }
        if (n > 0) {
            stats.rxBurst();
            receiveBatch(n, now, false);
            work += n;
        }
        if (inbound != null) {
            for (MbufRing r : inbound) {
                int k;
                if (r != null && (k = r.drain(rx, BURST)) > 0) {
                    count(cHandedIn, k);
                    receiveBatch(k, now, true);
                    work += k;
                }
            }
        }
        work += receiveLooped(now);
        work += txCount; // frames a task or a timer queued
        if (txFaults != null && txFaults.holding()) {
            work++; // a held frame is due soon: keep polling rather than park
        }
        flush();
        freeReleased(); // chunks the application consumed during this turn or the tasks before it
        if (work > 0 && !mbufSample.isArmed()) {
            mbufSample.arm(MBUF_SAMPLE_NANOS);
        }
        long made = views.made();
        if (made != viewsCounted) {
            count(cViewsMade, made - viewsCounted);
            viewsCounted = made;
        }
        if (work > 0) {
            // Busy time: a polling worker is always at 100 % CPU, so its cost per packet is the time of the
            // polls that found work, measured here (two clock reads per such poll, none extra when idle).
            count(cBusyNanos, System.nanoTime() - now);
        }
        return work;
    }

    /**
     * Receives the frames sent to our own address before this call, in bursts through {@link #rx} as if
     * the device had brought them (steered to their owner like any frame); the frames this sends to
     * ourselves (an ACK, an echo) wait for the next turn, so one turn's work is bounded.
     */
    private int receiveLooped(long now) {
        int todo = loopedCount;
        int done = 0;
        while (done < todo) {
            int n = Math.min(BURST, todo - done);
            for (int i = 0; i < n; i++) {
                rx.setAtIndex(ValueLayout.JAVA_LONG, i, looped[loopedHead]);
                loopedHead = (loopedHead + 1) % LOOPBACK_QUEUE;
            }
            loopedCount -= n;
            done += n;
            receiveBatch(n, now, false);
        }
        return done;
    }

    /** The received burst through the rx fault injector; the frames dropped are counted here and not by the interface. */
    private int injectRx(int n, long now) {
        long d = rxFaults.dropped();
        long r = rxFaults.reordered();
        int left = rxFaults.filter(rx, null, n, now);
        count(cRxInjectedDrops, rxFaults.dropped() - d);
        count(cRxInjectedReorders, rxFaults.reordered() - r);
        return left;
    }

    /** The {@code n} mbufs in {@link #rx}: each through the interface, then those not handed over back to their pools. */
    private void receiveBatch(int n, long now, boolean handedIn) {
        for (int i = 0; i < n; i++) {
            long e = Mbufs.at(rx, i);
            long m = e & ~FOR_CHANNEL;
            if (handedIn) {
                rx.setAtIndex(ValueLayout.JAVA_LONG, i, m);
            }
            if (receive(m, (e & FOR_CHANNEL) != 0, now)) {
                rx.setAtIndex(ValueLayout.JAVA_LONG, i, 0L); // rte_pktmbuf_free_bulk skips NULL entries
            }
        }
        MbufPool.freeBulk(rx, n);
    }

    /** One frame; returns true if its mbuf went to another worker or was kept by a connection. */
    private boolean receive(long m, boolean forChannel, long now) {
        if (Mbufs.segments(m) != 1) {
            stats.received(Mbufs.packetLength(m));
            stats.drop(DropReason.RX_CHAINED);
            return false;
        }
        long at = Mbufs.dataAddress(m);
        int len = Mbufs.dataLength(m);
        if (outbound != null && !forChannel) {
            int owner = FlowSteering.owner(stack.rss(), Mbufs.ALL, at, len);
            if (owner != FlowSteering.ANY && owner != index()) {
                return handOver(m, owner);
            }
        }
        current = m;
        currentForChannel = forChannel;
        currentHandedOver = false;
        currentKept = false;
        try {
            nif.input(Mbufs.ALL, at, len, now);
        } finally {
            current = 0;
        }
        if (outbound != null && len >= Ethernet.HEADER + Arp.LENGTH
                && Wire.u16(Mbufs.ALL, at + Ethernet.TYPE) == Ethernet.TYPE_ARP) {
            shareArp(Mbufs.ALL.asSlice(at + Ethernet.HEADER, len - Ethernet.HEADER), now);
        }
        return currentHandedOver || currentKept;
    }

    /** Puts entry {@code e} (an mbuf, maybe tagged) in the ring to worker {@code to}; false if that ring is full. */
    private boolean handOver(long e, int to) {
        if (outbound[to].offer(e)) {
            count(cHandedOut, 1);
            return true;
        }
        count(cHandoffDropped, 1); // the frame goes back to the pool with its batch, as a full rx ring drops
        return false;
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
                    // A task (an object): ARP is rare, and the other interface must learn on its own thread.
                    w.execute(() -> w.nif.arpLearned(ip, mac, System.nanoTime()));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // that worker is stopping: nothing to send any more
                }
            }
        }
    }

    /**
     * Steers a UDP datagram to its channel: here, a view of the mbuf; on another worker, the mbuf itself
     * through the ring to that worker, which delivers it there. Only a datagram that is not in one mbuf (a
     * reassembled one: fragments are copied anyway) or that was handed over once already is copied.
     */
    private boolean deliver(int src, int srcPort, int dst, int dstPort, MemorySegment payload) {
        DpdkUdpChannel ch = stack.udpChannel(dstPort);
        if (ch == null) {
            return false;
        }
        if (ch.worker() == this) {
            ch.deliver(src, srcPort, payload);
            return true;
        }
        if (current != 0 && !currentForChannel && !currentHandedOver && payload.isNative()
                && payload.address() >= Mbufs.dataAddress(current)
                && payload.address() + payload.byteSize() <= Mbufs.dataAddress(current) + Mbufs.dataLength(current)) {
            currentHandedOver = handOver(current | FOR_CHANNEL, ch.worker().index());
            return true;
        }
        byte[] copy = payload.toArray(ValueLayout.JAVA_BYTE);
        try {
            ch.worker().execute(() -> ch.deliver(src, srcPort, MemorySegment.ofArray(copy)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return true; // the channel's worker is stopping; the datagram goes, as on a closed socket
        }
        return true;
    }

    /** The interface wants a tick at {@code deadline}: the one timer is armed for the earliest. */
    private void netTimerDue(long deadline) {
        if (!netTimer.isArmed() || deadline - netTimer.deadlineNanos() < 0) {
            netTimer.armAt(deadline);
        }
    }

    private void sampleMbufs() {
        long v = pool.inUse();
        count(cMbufsInUse, v - mbufsSampled);
        mbufsSampled = v;
    }

    /** Nothing to do: this worker never waits in {@link #poll}; {@code execute} unparks it (AbstractWorker.park). */
    @Override
    protected void wakeup() {
    }

    @Override
    protected void onStop() {
        try {
            flush();
            freeReleased(); // every connection is closed by now: their chunks were released
            while (loopedCount > 0) { // frames to ourselves no one will receive any more
                one.setAtIndex(ValueLayout.JAVA_LONG, 0, looped[loopedHead]);
                MbufPool.freeBulk(one, 1);
                loopedHead = (loopedHead + 1) % LOOPBACK_QUEUE;
                loopedCount--;
            }
            if (rxFaults != null) {
                rxFaults.close();
            }
            if (txFaults != null) {
                txFaults.close();
            }
        } finally {
            stack.workerStopped();
        }
    }

    /** One tx burst of the frames gathered; what the driver does not take after a few tries is freed and counted. */
    void flush() {
        if (txFaults != null && (txCount > 0 || txFaults.holding())) {
            long d = txFaults.dropped();
            long r = txFaults.reordered();
            txCount = txFaults.filter(tx, txLengths, txCount, System.nanoTime());
            count(cTxInjectedDrops, txFaults.dropped() - d);
            count(cTxInjectedReorders, txFaults.reordered() - r);
        }
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
            if (!pool.allocBulk(one, 1)) {
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
        public void commitLocal() {
            long m = Mbufs.at(tx, txCount);
            int length = pendingLength;
            pendingLength = -1;
            if (loopedCount == LOOPBACK_QUEUE) {
                one.setAtIndex(ValueLayout.JAVA_LONG, 0, m);
                MbufPool.freeBulk(one, 1);
                stats.drop(DropReason.TX_QUEUE_FULL);
                return;
            }
            looped[(loopedHead + loopedCount) % LOOPBACK_QUEUE] = m;
            loopedCount++;
            stats.sent(length);
            count(cLooped, 1);
        }

        @Override
        public void abort() {
            one.setAtIndex(ValueLayout.JAVA_LONG, 0, Mbufs.at(tx, txCount));
            MbufPool.freeBulk(one, 1);
            pendingLength = -1;
        }
    }
}
