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

    /** Gives back the frame {@link #allocate} returned last, unsent. */
    void abort();
}
