package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Ipv4;
import dev.isthmus.dpdk.net.NetInterface;
import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.dpdk.port.Mbufs;
import dev.isthmus.dpdk.tcp.IsnGenerator;
import dev.isthmus.dpdk.tcp.TcpConfig;
import dev.isthmus.dpdk.tcp.TcpLayer;
import dev.isthmus.dpdk.tcp.TcpOutput;
import dev.isthmus.dpdk.tcp.Tcb;
import dev.isthmus.dpdk.tcp.TcpState;
import dev.isthmus.stack.buffer.BufferPool;
import dev.isthmus.stack.buffer.InboundChunk;
import dev.isthmus.stack.buffer.PooledBuffer;
import dev.isthmus.stack.spi.RssPlacement;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One dpdk worker's TCP: its {@link TcpLayer}, fed by the worker's {@link NetInterface} (protocol 6 and
 * ICMP errors about our segments), sending through it: each segment is built in place in an mbuf after
 * the Ethernet and IPv4 headers the interface writes ({@link NetInterface#beginDatagram}). Worker thread.
 *
 * <p>With several workers a flow lives on the worker its RSS hash names ({@link RssPlacement}): the worker
 * hands a TCP frame that arrived on another queue to its owner before it gets here, connect picks local
 * ports that hash to the connecting worker, and a listener exists on every worker, so a SYN is accepted
 * by the owner. What still reaches a worker that is not the owner is what steering cannot place by a
 * peek at the frame: a segment reassembled from IP fragments, and an ICMP error (whose flow is in the
 * quoted header). Both are rare, and go to their owner as a copy in a task. So a layer that finds no flow
 * for a segment knows that no worker has it, and answers RST as RFC 9293 3.10.7.1 says.
 */
final class DpdkTcp implements TcpOutput, NetInterface.TcpInput {
    private final DpdkWorker worker;
    private final NetInterface nif;
    private final TcpLayer layer;
    private final BufferPool pool;
    private final MbufChunks mbufChunks;
    /** The stack's placement when it has several workers, else null (every flow is this worker's). */
    private final RssPlacement rss;
    /** One chunk object per pool buffer, made the first time that buffer carries received bytes. */
    private ReceivedChunk[] chunks = new ReceivedChunk[64];
    private long heapChunks;

    DpdkTcp(DpdkWorker worker, NetInterface nif, IsnGenerator isn) {
        this.nif = nif;
        DpdkOptions o = worker.dpdkStack().dpdkOptions();
        this.layer = new TcpLayer(nif.config().address(), TcpConfig.defaults(nif.config().mtu())
                .withCongestionControl(o.congestionControl()).withLimits(o.tcpLimits())
                .withOptions(o.tcpSack(), o.tcpTimestamps()).withTailLossProbe(o.tcpTailLossProbe()), this,
                worker.timers(), System::nanoTime, isn);
        this.pool = worker.bufferPool();
        this.worker = worker;
        this.mbufChunks = new MbufChunks(worker.dpdkStack().dpdkOptions().mbufs() * worker.dpdkStack().workerCount());
        this.rss = worker.dpdkStack().workerCount() > 1 ? worker.dpdkStack().rss() : null;
        nif.tcp(this);
    }

    /**
     * A chunk for the inbound chain over up to {@code length} received bytes at {@code offset} of
     * {@code packet}, whose release ({@code consumed}, or the connection closed) opens {@code tcb}'s window.
     *
     * <p>Without a copy when it can (DESIGN.md, "Buffers"): bytes in the mbuf of the frame being handled
     * become a chunk over that mbuf, which the worker then does not free with its batch; the chunk's
     * release frees it, in bulk with the others of the turn. Copied into a pool buffer instead when the
     * reader is paused ({@code paused}: it may hold the mbufs for long), when the worker holds its limit of
     * mbufs already (a reader that does not consume must not starve the mbuf pool, which the rx ring and
     * sending need), or when the bytes are not in an mbuf (the out-of-order queue, a reassembled segment).
     * Allocates nothing once every mbuf and pool buffer has carried data once; when the buffer pool is
     * exhausted, a heap chunk (counted) rather than losing bytes the TCB already acknowledged.
     */
    InboundChunk receivedChunk(Tcb tcb, MemorySegment packet, long offset, int length, boolean paused) {
        if (packet == Mbufs.ALL && !paused) {
            long m = worker.keepCurrent(offset, length);
            if (m != 0) {
                MbufChunk c = mbufChunks.chunk(m);
                c.lend(tcb, m, offset, length);
                return c;
            }
        }
        worker.countCopiedChunk();
        PooledBuffer b;
        try {
            b = pool.allocate();
        } catch (IllegalStateException full) {
            heapChunks++;
            return new HeapChunk(tcb, packet.asSlice(offset, length));
        }
        int id = b.id();
        if (id >= chunks.length) {
            chunks = java.util.Arrays.copyOf(chunks, Math.max(id + 1, chunks.length * 2));
        }
        ReceivedChunk c = chunks[id];
        if (c == null) {
            c = chunks[id] = new ReceivedChunk(b);
        }
        int n = Math.min(length, b.capacity());
        MemorySegment.copy(packet, offset, b.segment(), 0, n);
        c.tcb = tcb;
        c.setIndex(0, n);
        return c;
    }

    /** Chunks made on the heap because the buffer pool was exhausted. */
    long heapChunks() {
        return heapChunks;
    }

    private static void consumed(Tcb tcb, int length) {
        if (tcb.state() != TcpState.CLOSED) {
            tcb.consumed(Math.min(length, tcb.rcvQueued()));
        }
    }

    /**
     * Received bytes left in their mbuf: a chunk over the mbuf's whole data buffer (a segment made once per
     * mbuf, {@link MbufChunks}), its indices around the payload. Released, the mbuf goes back to its pool
     * with the worker's next bulk free and the bytes open the window.
     */
    private final class MbufChunk extends InboundChunk {
        private final long buffer;
        private long mbuf;
        private int length;
        private Tcb tcb;

        MbufChunk(long m) {
            super(Mbufs.ALL.asSlice(Mbufs.bufferAddress(m), Mbufs.bufferLength(m)));
            this.buffer = Mbufs.bufferAddress(m);
            this.mbuf = m;
        }

        void lend(Tcb t, long m, long at, int n) {
            if (Mbufs.bufferAddress(m) != buffer) {
                throw new IllegalStateException("chunk of buffer " + Long.toHexString(buffer) + " lent for mbuf "
                        + Long.toHexString(m));
            }
            tcb = t;
            mbuf = m;
            length = n;
            int from = (int) (at - buffer);
            setIndex(from, from + n);
        }

        boolean lent() {
            return tcb != null;
        }

        long mbuf() {
            return mbuf;
        }

        @Override
        public void release() {
            Tcb t = tcb;
            tcb = null;
            worker.releaseKept(mbuf);
            consumed(t, length);
        }
    }

    /**
     * One {@link MbufChunk} per mbuf, kept for life as {@link PayloadViews} keeps views: an open-addressed
     * table by mbuf address (Fibonacci hashing; mbufs sit at a fixed stride), probed over {@value #PROBE}
     * slots. A miss takes an empty slot or one whose chunk is not lent; a window of lent chunks (never
     * in practice: four slots per mbuf of the stack) makes a chunk outside the table.
     */
    private final class MbufChunks {
        static final int PROBE = 8;
        private final MbufChunk[] slots;
        private final int mask;
        private final int shift;

        MbufChunks(int mbufs) {
            int n = Integer.highestOneBit(Math.max(1024, mbufs) * 4 - 1) << 1;
            slots = new MbufChunk[n];
            mask = n - 1;
            shift = 64 - Integer.numberOfTrailingZeros(n);
        }

        MbufChunk chunk(long m) {
            int h = (int) ((m * 0x9E3779B97F4A7C15L) >>> shift);
            int reusable = -1;
            for (int k = 0; k < PROBE; k++) {
                int i = (h + k) & mask;
                MbufChunk c = slots[i];
                if (c == null) {
                    // Entries are never removed, so m's would sit here or before: take the empty slot. (Taking
                    // the first idle slot instead, as this once did, evicted other mbufs' chunks, which then
                    // missed and evicted others: a chunk object per segment for ever.)
                    return slots[i] = new MbufChunk(m);
                }
                if (!c.lent()) {
                    if (c.mbuf() == m && Mbufs.bufferAddress(m) == c.buffer) {
                        return c;
                    }
                    reusable = reusable < 0 ? i : reusable;
                }
            }
            MbufChunk c = new MbufChunk(m);
            if (reusable >= 0) {
                slots[reusable] = c; // a full window: replace an idle chunk
            }
            return c;
        }
    }

    /** Received bytes in a pool buffer; released (consumed, or the connection closed), it opens the window. */
    private static final class ReceivedChunk extends InboundChunk {
        private final PooledBuffer buffer;
        Tcb tcb;

        ReceivedChunk(PooledBuffer buffer) {
            super(buffer.segment());
            this.buffer = buffer;
        }

        @Override
        public void release() {
            Tcb t = tcb;
            int n = writeIndex();
            tcb = null;
            buffer.release();
            consumed(t, n);
        }
    }

    private static final class HeapChunk extends InboundChunk {
        private final Tcb tcb;

        HeapChunk(Tcb tcb, MemorySegment bytes) {
            super(MemorySegment.ofArray(bytes.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
            this.tcb = tcb;
            setIndex(0, (int) bytes.byteSize());
        }

        @Override
        public void release() {
            consumed(tcb, writeIndex());
        }
    }

    TcpLayer layer() {
        return layer;
    }

    @Override
    public long allocate(int dstIp, int length) {
        return nif.beginDatagram(dstIp, Ipv4.PROTO_TCP, length, System.nanoTime());
    }

    @Override
    public MemorySegment segment() {
        return Mbufs.ALL; // the worker's frame sink hands out mbufs as offsets into all memory
    }

    @Override
    public void transmit() {
        nif.commitDatagram(System.nanoTime());
    }

    @Override
    public void segment(MemorySegment p, long at, int len, int src, int dst) {
        if (rss != null && len >= 4) {
            int owner = rss.workerV4(src, dst, Wire.u16(p, at), Wire.u16(p, at + 2));
            if (owner != worker.index()) {
                // A reassembled segment (see the class comment): a copy, as the fragments were copied anyway.
                MemorySegment copy = MemorySegment.ofArray(p.asSlice(at, len).toArray(ValueLayout.JAVA_BYTE));
                toOwner(owner, t -> t.layer.input(copy, 0, len, src, dst));
                return;
            }
        }
        layer.input(p, at, len, src, dst);
    }

    @Override
    public void icmpError(int remoteIp, int remotePort, int localPort, int seq, boolean fragmentationNeeded, int mtu) {
        if (rss != null) {
            // The flow's owner is the worker its inbound tuple (from the remote to us) hashes to.
            int owner = rss.workerV4(remoteIp, layer.localIp(), remotePort, localPort);
            if (owner != worker.index()) {
                toOwner(owner, t -> t.layer.icmpError(remoteIp, remotePort, localPort, seq, fragmentationNeeded, mtu));
                return;
            }
        }
        layer.icmpError(remoteIp, remotePort, localPort, seq, fragmentationNeeded, mtu);
    }

    /** Runs {@code input} on worker {@code owner}'s TCP, on its thread; its answers leave with its next tx burst. */
    private void toOwner(int owner, java.util.function.Consumer<DpdkTcp> input) {
        DpdkWorker w = worker.dpdkStack().dpdkWorker(owner);
        worker.tcpMovedToOwner();
        try {
            w.execute(() -> input.accept(w.tcp()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // that worker is stopping: its connections are being aborted, the segment has nowhere to go
        }
    }
}
