package dev.isthmus.dpdk.tcp;

import java.lang.foreign.MemorySegment;

/**
 * The rings {@link OutOfOrderQueue}s copy early data into, lent from one budget per worker: a connection
 * takes a ring at a loss and gives it back when its holes are filled (or it closes), so the memory for
 * reassembly is bounded per worker (the budget) as well as per connection (one ring, the receive
 * buffer or more), whatever number of connections a peer opens and sprays with out-of-order segments. A ring
 * given back is kept for the next loss: no allocation per loss once the worker has seen its losses.
 * Worker thread only.
 */
final class ReassemblyRings {
    private final int ringSize;
    private final int maxRings;
    private final MemorySegment[] free;
    private int freeCount;
    private int lent;

    /** Rings of {@code ringSize} bytes within {@code maxBytes}. */
    ReassemblyRings(int ringSize, long maxBytes) {
        this.ringSize = ringSize;
        this.maxRings = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes / ringSize);
        this.free = new MemorySegment[Math.min(maxRings, 1024)];
    }

    /** The ring size for a receive buffer: the least power of two not below it (every window byte has a place). */
    static int ringSizeFor(int receiveBuffer) {
        return Integer.highestOneBit(Math.max(receiveBuffer, 1024) * 2 - 1);
    }

    int ringSize() {
        return ringSize;
    }

    /** A ring, or null when the budget is spent (the caller drops the segment; the peer sends it again). */
    MemorySegment take() {
        if (freeCount > 0) {
            lent++;
            MemorySegment r = free[--freeCount];
            free[freeCount] = null;
            return r;
        }
        if (lent >= maxRings) {
            return null;
        }
        lent++;
        return MemorySegment.ofArray(new byte[ringSize]);
    }

    void giveBack(MemorySegment ring) {
        lent--;
        if (freeCount < free.length) {
            free[freeCount++] = ring;
        }
    }

    /** Rings lent now. */
    int lent() {
        return lent;
    }

    /** Bytes held: rings lent and kept for reuse. */
    long bytes() {
        return (long) (lent + freeCount) * ringSize;
    }
}
