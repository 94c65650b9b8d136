package dev.isthmus.dpdk.tcp;

import java.lang.foreign.MemorySegment;

/**
 * Where TCP segments go: one per worker, shared by its TCBs and its listeners' resets. One segment at a
 * time: {@link #allocate} room for it (for DPDK, an mbuf past the Ethernet and IPv4 headers, which the
 * output writes), write it in {@link #segment()} at the offset returned, then {@link #transmit}. An
 * offset rather than a view, as {@link dev.isthmus.dpdk.net.FrameSink}, so sending allocates nothing.
 */
public interface TcpOutput {
    /**
     * Room for a segment of exactly {@code length} bytes to {@code dstIp}: its offset in {@link #segment()},
     * or -1 when there is none (no mbuf free): the segment is then not sent, and the TCB's timers send
     * it later.
     */
    long allocate(int dstIp, int length);

    /** The memory the offset {@link #allocate} returned last lies in. */
    MemorySegment segment();

    /** Sends the segment {@link #allocate} made room for, written and checksummed. */
    void transmit();
}
