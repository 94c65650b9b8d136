package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;

/**
 * Where the protocol layers build outbound frames: an mbuf queued for the next tx burst on a worker, a
 * list in a unit test. One frame at a time: {@link #allocate}, fill, then {@link #commit} or
 * {@link #abort}.
 */
public interface FrameSink {
    /** A writable view of a new frame of exactly {@code length} bytes, or null when no buffer is left. */
    MemorySegment allocate(int length);

    /** Queues the frame {@link #allocate} returned last for transmission. */
    void commit();

    /** Gives back the frame {@link #allocate} returned last, unsent. */
    void abort();
}
