package dev.isthmus.uring;

import dev.isthmus.ffi.Errno;

import java.io.IOException;
import java.lang.foreign.Arena;
import dev.isthmus.ffi.uring.Barriers;
import dev.isthmus.ffi.uring.io_uring_buf;
import dev.isthmus.ffi.uring.io_uring_buf_reg;
import dev.isthmus.ffi.uring.io_uring_buf_ring;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * A provided-buffer ring (IORING_REGISTER_PBUF_RING, Linux 5.19): the kernel picks a buffer from it
 * for each multishot recv completion and reports its id in the CQE's upper 16 flag bits.
 *
 * <p>The ring ({@code struct io_uring_buf_ring}: {@code entries} × {@code struct io_uring_buf}, the u16
 * tail overlaying the {@code resv} field of entry 0) and the buffers themselves are page-aligned memory
 * from the worker's arena. Buffer {@code bid} is always slice {@code bid} of one slab, so a buffer goes
 * back with {@link #recycle(int)} (once the inbound chain has consumed it) and the tail is published
 * once per loop turn with a store-release ({@link #publish()}), as liburing's io_uring_buf_ring_advance.
 *
 * <p>When every buffer is held by the application the kernel ends the multishot recv with ENOBUFS;
 * the worker re-arms it once {@link #available()} is above zero again.
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
    private final MemorySegment slab;
    private final MemorySegment[] buffers;
    private final int entries;
    private final int mask;
    private final int bufferSize;
    /** Local tail (shadow); published with {@link #publish()}. */
    private short tail;
    private short publishedTail;
    /** Buffers in the ring (published or not) that the kernel has not handed out. */
    private int available;
    private boolean registered;

    private BufferRing(Ring ring, int bgid, MemorySegment bufRing, MemorySegment slab, int entries, int bufferSize) {
        this.ring = ring;
        this.bgid = bgid;
        this.bufRing = bufRing;
        this.slab = slab;
        this.entries = entries;
        this.mask = entries - 1;
        this.bufferSize = bufferSize;
        this.buffers = new MemorySegment[entries];
        for (int i = 0; i < entries; i++) {
            buffers[i] = slab.asSlice((long) i * bufferSize, bufferSize);
        }
    }

    /**
     * Allocates {@code entries} buffers of {@code bufferSize} bytes from {@code arena}, registers the
     * ring as group {@code bgid} and provides every buffer.
     *
     * @throws IOException naming io_uring_register(IORING_REGISTER_PBUF_RING) and the errno
     */
    static BufferRing register(Ring ring, Arena arena, int bgid, int entries, int bufferSize) throws IOException {
        if (entries < 1 || entries > 32768 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("buffer ring entries must be a power of two from 1 to 32768, was " + entries);
        }
        MemorySegment bufRing = arena.allocate(BUF_SIZE * entries, 4096);
        MemorySegment slab = arena.allocate((long) entries * bufferSize, 4096);
        BufferRing br = new BufferRing(ring, bgid, bufRing, slab, entries, bufferSize);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(REG_SIZE, 8);
            reg.set(ValueLayout.JAVA_LONG, REG_RING_ADDR, bufRing.address());
            reg.set(ValueLayout.JAVA_INT, REG_RING_ENTRIES, entries);
            reg.set(ValueLayout.JAVA_SHORT, REG_BGID, (short) bgid);
            if (ring.register(IORING_REGISTER_PBUF_RING, reg, 1) < 0) {
                throw Errno.exception("io_uring_register(IORING_REGISTER_PBUF_RING)", ring.errno());
            }
        }
        br.registered = true;
        for (int i = 0; i < entries; i++) {
            br.recycle(i);
        }
        br.publish();
        return br;
    }

    int bgid() {
        return bgid;
    }

    int entries() {
        return entries;
    }

    int bufferSize() {
        return bufferSize;
    }

    /** The whole buffer {@code bid}. */
    MemorySegment buffer(int bid) {
        return buffers[bid];
    }

    /** Buffers the kernel can still pick. */
    int available() {
        return available;
    }

    /** The kernel picked buffer {@code bid} (a CQE carried IORING_CQE_F_BUFFER). */
    void taken() {
        available--;
    }

    /** Gives buffer {@code bid} back (io_uring_buf_ring_add); visible to the kernel after {@link #publish()}. */
    void recycle(int bid) {
        long o = (tail & mask) * BUF_SIZE;
        bufRing.set(ValueLayout.JAVA_LONG, o + BUF_ADDR, buffers[bid].address());
        bufRing.set(ValueLayout.JAVA_INT, o + BUF_LEN, bufferSize);
        bufRing.set(ValueLayout.JAVA_SHORT, o + BUF_BID, (short) bid);
        tail++;
        available++;
    }

    /**
     * Publishes recycled buffers: one store-release of the tail, after the entries are written
     * (io_uring_buf_ring_advance).
     */
    void publish() {
        if (tail != publishedTail) {
            Barriers.store_release_u16(bufRing, RING_TAIL, tail);
            publishedTail = tail;
        }
    }

    /** IORING_UNREGISTER_PBUF_RING; the memory goes with the worker's arena. */
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
}
