package dev.isthmus.dpdk.tcp;

import java.lang.foreign.MemorySegment;

/**
 * Where a {@link Tcb} puts its segments: room for one TCP segment toward the peer (for DPDK, an mbuf
 * past the room for Ethernet and IPv4 headers), written by the TCB from offset 0 with its checksum,
 * then handed back to be sent. Allocation-free by contract: the room is the packet buffer itself.
 */
public interface TcpOutput {
    /**
     * Room for a segment of up to {@code length} bytes, or null when there is none (no mbuf free, the
     * next hop unresolved with its queue full): the segment is not sent, and the TCB's timers send it later.
     */
    MemorySegment allocate(int length);

    /** Sends the {@code length}-byte segment written at the start of the room the last {@link #allocate} gave. */
    void transmit(MemorySegment room, int length);
}
