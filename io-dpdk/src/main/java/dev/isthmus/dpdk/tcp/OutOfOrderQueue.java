package dev.isthmus.dpdk.tcp;

import java.lang.foreign.MemorySegment;

/**
 * Data that arrived beyond a hole, kept until the hole is filled (RFC 9293 3.10.7.4 seventh: segments
 * beyond RCV.NXT "may be held for later processing"), so one loss costs the peer one retransmission and
 * not the whole window after it. The bytes are copied into a ring indexed by sequence number modulo its
 * size, a power of two at least the receive buffer: every byte of the window has one place, so storing
 * never moves anything. Byte ranges are kept as up to {@link #MAX_RANGES} sorted, merged intervals
 * (overlapping segments merge, so their number bounds the work per segment too); beyond that a segment is
 * dropped (the peer sends it again). The ring is borrowed from the worker's {@link ReassemblyRings} at a
 * loss and given back when the holes are filled, so an endless stream of out-of-order segments costs at
 * most one ring per connection and the worker's budget over all of them. No allocation per segment.
 */
final class OutOfOrderQueue {
    static final int MAX_RANGES = 32;
    /** {@link #add} results. */
    static final int KEPT = 0;
    static final int TOO_MANY_RANGES = 1;
    static final int NO_MEMORY = 2;

    private final ReassemblyRings rings;
    private final int size;
    private MemorySegment ring;
    /** Interval starts and ends (exclusive), sequence numbers, sorted, neither overlapping nor touching. */
    private final int[] starts = new int[MAX_RANGES];
    private final int[] ends = new int[MAX_RANGES];
    private int count;

    OutOfOrderQueue(ReassemblyRings rings) {
        this.rings = rings;
        this.size = rings.ringSize();
    }

    boolean isEmpty() {
        return count == 0;
    }

    int ranges() {
        return count;
    }

    /** Range {@code i}'s first sequence number (ranges sorted, {@code i < ranges()}): for SACK blocks. */
    int start(int i) {
        return starts[i];
    }

    /** Range {@code i}'s end, exclusive. */
    int end(int i) {
        return ends[i];
    }

    /**
     * Keeps {@code len} bytes of sequence {@code seq} from {@code src} at {@code off}; the caller keeps
     * them within the window, at most the receive buffer past RCV.NXT. Returns {@link #KEPT}, or why they
     * could not be kept: {@link #TOO_MANY_RANGES}, {@link #NO_MEMORY} (the worker's budget is lent out).
     */
    /** Bytes of the window this queue can place: its ring's size. */
    int capacity() {
        return size;
    }

    int add(int seq, MemorySegment src, long off, int len) {
        if (len <= 0) {
            return KEPT;
        }
        int end = seq + len;
        // Where it goes: the first range that ends at or after seq.
        int i = 0;
        while (i < count && SequenceNumbers.lt(ends[i], seq)) {
            i++;
        }
        if ((i == count || SequenceNumbers.gt(starts[i], end)) && count == MAX_RANGES) {
            return TOO_MANY_RANGES; // a new range, and no room for one
        }
        if (ring == null) {
            ring = rings.take();
            if (ring == null) {
                return NO_MEMORY;
            }
        }
        copyIn(seq, src, off, len);
        if (i == count || SequenceNumbers.gt(starts[i], end)) {
            System.arraycopy(starts, i, starts, i + 1, count - i);
            System.arraycopy(ends, i, ends, i + 1, count - i);
            starts[i] = seq;
            ends[i] = end;
            count++;
            return KEPT;
        }
        // Overlaps or touches range i: widen it, then swallow the ranges it now reaches.
        if (SequenceNumbers.lt(seq, starts[i])) {
            starts[i] = seq;
        }
        if (SequenceNumbers.gt(end, ends[i])) {
            ends[i] = end;
        }
        int j = i + 1;
        while (j < count && SequenceNumbers.le(starts[j], ends[i])) {
            if (SequenceNumbers.gt(ends[j], ends[i])) {
                ends[i] = ends[j];
            }
            j++;
        }
        int removed = j - i - 1;
        if (removed > 0) {
            System.arraycopy(starts, j, starts, i + 1, count - j);
            System.arraycopy(ends, j, ends, i + 1, count - j);
            count -= removed;
        }
        return KEPT;
    }

    private void copyIn(int seq, MemorySegment src, long off, int len) {
        int at = seq & (size - 1);
        int first = Math.min(len, size - at);
        MemorySegment.copy(src, off, ring, at, first);
        if (first < len) {
            MemorySegment.copy(src, off + first, ring, 0, len - first);
        }
    }

    /**
     * Hands the kept bytes that RCV.NXT has now reached to {@code tcb}'s delivery, which moves RCV.NXT
     * past them, and drops the ranges left behind.
     */
    void drain(Tcb tcb) {
        while (count > 0 && SequenceNumbers.le(starts[0], tcb.rcvNxt())) {
            int end = ends[0];
            int rcvNxt = tcb.rcvNxt();
            if (SequenceNumbers.gt(end, rcvNxt)) {
                int len = end - rcvNxt;
                int at = rcvNxt & (size - 1);
                int first = Math.min(len, size - at);
                tcb.deliverReassembled(ring, at, first);
                if (first < len) {
                    tcb.deliverReassembled(ring, 0, len - first);
                }
            }
            System.arraycopy(starts, 1, starts, 0, count - 1);
            System.arraycopy(ends, 1, ends, 0, count - 1);
            count--;
        }
        if (count == 0) {
            giveBack();
        }
    }

    /** Forgets everything (the connection closed). */
    void clear() {
        count = 0;
        giveBack();
    }

    private void giveBack() {
        if (ring != null) {
            rings.giveBack(ring);
            ring = null;
        }
    }

    /** Whether it holds a ring now. */
    boolean holdsRing() {
        return ring != null;
    }
}
