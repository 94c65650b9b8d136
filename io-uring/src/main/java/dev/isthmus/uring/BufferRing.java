package dev.isthmus.uring;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.uring.Barriers;
import dev.isthmus.ffi.uring.io_uring_buf;
import dev.isthmus.ffi.uring.io_uring_buf_reg;
import dev.isthmus.ffi.uring.io_uring_buf_ring;
import dev.isthmus.stack.buffer.PooledBuffer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * A provided-buffer ring (IORING_REGISTER_PBUF_RING, Linux 5.19): the kernel picks a buffer from it
 * for each recv completion and reports its id in the CQE's upper 16 flag bits.
 *
 * <p>The ring memory ({@code struct io_uring_buf_ring}: {@code entries} × {@code struct io_uring_buf},
 * the u16 tail overlaying the {@code resv} field of entry 0) is page-aligned memory from the worker's
 * arena. The buffers are the worker's {@link PooledBuffer}s, their pool id used as the buffer id: the
 * worker tops the ring up from the pool each loop turn ({@link #recycle}), publishes the tail once with
 * a store-release ({@link #publish()}, io_uring_buf_ring_advance), and a buffer the kernel filled goes
 * into a connection's inbound chain, which releases it to the pool once it is consumed.
 *
 * <p>The kernel consumes entries in ring order, so the buffers still provided are those at positions
 * {@code [tail - available, tail)}; {@link #releaseAll()} gives them back to the pool at stop.
 *
 * <p>When every buffer is held by the application the kernel ends a multishot recv with ENOBUFS; the
 * worker re-arms it once {@link #available()} is above zero again.
 */
final class BufferRing {
    // struct io_uring_buf / io_uring_buf_reg / io_uring_buf_ring, offsets from the checked bindings
    static final long BUF_SIZE = io_uring_buf.sizeof();
    static final long BUF_ADDR = io_uring_buf.addr$offset();
    static final long BUF_LEN = io_uring_buf.len$offset();
    static final long BUF_BID = io_uring_buf.bid$offset();
    static final long RING_TAIL = io_uring_buf_ring.tail$offset();
    static final long REG_SIZE = io_uring_buf_reg.sizeof();
    static final long REG_RING_ADDR = io_uring_buf_reg.ring_addr$offset();
    static final long REG_RING_ENTRIES = io_uring_buf_reg.ring_entries$offset();
    static final long REG_BGID = io_uring_buf_reg.bgid$offset();

    private final Ring ring;
    private final int bgid;
    private final MemorySegment bufRing;
    private final PooledBuffer[] provided;
    private final int entries;
    private final int mask;
    /** Local tail (shadow); published with {@link #publish()}. */
    private int tail;
    private int publishedTail;
    /** Buffers in the ring (published or not) that the kernel has not handed out. */
    private int available;
    private boolean registered;

    private BufferRing(Ring ring, int bgid, MemorySegment bufRing, int entries) {
        this.ring = ring;
        this.bgid = bgid;
        this.bufRing = bufRing;
        this.entries = entries;
        this.mask = entries - 1;
        this.provided = new PooledBuffer[entries];
    }

    /**
     * Allocates the ring for {@code entries} buffers from {@code arena} and registers it as group
     * {@code bgid}; it starts empty.
     *
     * @throws IOException naming io_uring_register(IORING_REGISTER_PBUF_RING) and the errno
     */
    static BufferRing register(Ring ring, Arena arena, int bgid, int entries) throws IOException {
        if (entries < 1 || entries > 32768 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("buffer ring entries must be a power of two from 1 to 32768, was " + entries);
        }
        MemorySegment bufRing = arena.allocate(BUF_SIZE * entries, 4096);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(REG_SIZE, 8);
            reg.set(ValueLayout.JAVA_LONG, REG_RING_ADDR, bufRing.address());
            reg.set(ValueLayout.JAVA_INT, REG_RING_ENTRIES, entries);
            reg.set(ValueLayout.JAVA_SHORT, REG_BGID, (short) bgid);
            if (ring.register(IORING_REGISTER_PBUF_RING, reg, 1) < 0) {
                throw Errno.exception("io_uring_register(IORING_REGISTER_PBUF_RING)", ring.errno());
            }
        }
        BufferRing br = new BufferRing(ring, bgid, bufRing, entries);
        br.registered = true;
        return br;
    }

    int bgid() {
        return bgid;
    }

    int entries() {
        return entries;
    }

    /** Buffers the kernel can still pick. */
    int available() {
        return available;
    }

    /**
     * The kernel handed out a buffer (a CQE carried IORING_CQE_F_BUFFER). It always takes the entry at
     * its head, so the entries still provided stay the last {@link #available()} positions.
     */
    void taken() {
        available--;
    }

    /** Provides {@code b} (io_uring_buf_ring_add); visible to the kernel after {@link #publish()}. */
    void recycle(PooledBuffer b) {
        int pos = tail & mask;
        long o = pos * BUF_SIZE;
        bufRing.set(ValueLayout.JAVA_LONG, o + BUF_ADDR, b.segment().address());
        bufRing.set(ValueLayout.JAVA_INT, o + BUF_LEN, b.capacity());
        bufRing.set(ValueLayout.JAVA_SHORT, o + BUF_BID, (short) b.id());
        provided[pos] = b;
        tail++;
        available++;
    }

    /**
     * Publishes provided buffers: one store-release of the u16 tail, after the entries are written
     * (io_uring_buf_ring_advance).
     */
    void publish() {
        if (tail != publishedTail) {
            Barriers.store_release_u16(bufRing, RING_TAIL, (short) tail);
            publishedTail = tail;
        }
    }

    /** IORING_UNREGISTER_PBUF_RING; the ring memory goes with the worker's arena. */
    void unregister() {
        if (!registered) {
            return;
        }
        registered = false;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(REG_SIZE, 8);
            reg.set(ValueLayout.JAVA_SHORT, REG_BGID, (short) bgid);
            ring.register(IORING_UNREGISTER_PBUF_RING, reg, 1);
        }
    }

    /** After {@link #unregister()}: gives the buffers still provided back to their pool. */
    void releaseAll() {
        while (available > 0) {
            int pos = (tail - available) & mask;
            PooledBuffer b = provided[pos];
            provided[pos] = null;
            available--;
            if (b != null) {
                b.release();
            }
        }
    }
}
