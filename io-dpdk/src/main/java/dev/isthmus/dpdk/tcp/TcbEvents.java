package dev.isthmus.dpdk.tcp;

import java.lang.foreign.MemorySegment;

/** What a {@link Tcb} tells its connection, on the worker thread, while it handles a segment or a timer. */
public interface TcbEvents {
    /** The three-way handshake completed (either side). */
    void onEstablished(Tcb tcb);

    /**
     * In-order data: {@code length} bytes at {@code offset} of {@code packet}, the memory of the segment
     * being handled. The callee takes them now: keeps a reference to the packet it knows it is handling,
     * or copies them; the TCB counts them as queued until {@link Tcb#consumed} says they were read.
     */
    void onData(Tcb tcb, MemorySegment packet, long offset, int length);

    /**
     * The peer acknowledged {@code bytes} more of our data: the callee releases them from the head of the
     * outbound chain ({@code OutboundChain.acknowledged}), which makes room for more.
     */
    void onAcknowledged(Tcb tcb, long bytes);

    /** The peer sent FIN, after all its data: reading reaches end of stream. */
    void onPeerFin(Tcb tcb);

    /** The TCB reached CLOSED; it is to be forgotten. Called once. */
    void onClosed(Tcb tcb, CloseReason reason);
}
