package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;

/**
 * Where the protocol layers build outbound frames: an mbuf queued for the next tx burst on a worker, a
 * list in a unit test. One frame at a time: {@link #allocate}, fill it in {@link #segment()} at the
 * offset returned, then {@link #commit} or {@link #abort}. An offset rather than a view of the frame, so
 * that a worker hands out mbufs without an object each: its segment spans all memory and the offset is
 * the mbuf's data address.
 */
public interface FrameSink {
    /** Room for a new frame of exactly {@code length} bytes: its offset in {@link #segment()}, or -1 when no buffer is left. */
    long allocate(int length);

    /** The segment the frame {@link #allocate} returned last lies in. */
    MemorySegment segment();

    /** Queues the frame {@link #allocate} returned last for transmission. */
    void commit();

    /**
     * Queues the frame {@link #allocate} returned last for this interface's own input instead of the wire:
     * a datagram to our own address, which no device would bring back (RFC 1122 section 3.2.1.3: such a
     * datagram is passed back internally, as Linux's loopback does). The frame is received later, never
     * during this call, so the protocol layers are not re-entered.
     */
    void commitLocal();

    /** Gives back the frame {@link #allocate} returned last, unsent. */
    void abort();
}
