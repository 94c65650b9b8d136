package dev.isthmus.dpdk.tcp;

/**
 * Ends a connection whose peer keeps its receive window shut on us: zero, or too small for a segment,
 * while we have data to send, and no full segment's worth acknowledged for {@link TcpLimits#windowStallNanos()}.
 * RFC 9293 3.8.6.1 lets a receiver keep its window closed for ever, and persist probes that it answers
 * never time out; a peer doing so on purpose (or a 1-byte window, "tiny-window" abuse) holds the
 * connection's send buffer, its TCB and our timers as long as it likes. A slow but live reader moves
 * SND.UNA by at least a segment now and then and is left alone. One per TCB, no allocation.
 */
final class WindowStallGuard {
    private final long limitNanos;
    /** When the current stall began, or -1. */
    private long since = -1;
    /** SND.UNA when it began: progress is measured from there. */
    private int unaAtStart;

    WindowStallGuard(long limitNanos) {
        this.limitNanos = limitNanos;
    }

    /**
     * Looks at the connection now; returns true when it has been stalled for the limit and is to be aborted.
     *
     * @param waiting whether data (or FIN) waits to be sent or acknowledged
     */
    boolean check(long now, boolean waiting, long sndWnd, int sndUna, int mss) {
        if (!waiting || sndWnd >= mss) {
            since = -1;
            return false;
        }
        if (since < 0 || Integer.toUnsignedLong(sndUna - unaAtStart) >= mss) {
            since = now; // a stall starts, or the peer took a segment's worth since the last one began
            unaAtStart = sndUna;
            return false;
        }
        return now - since >= limitNanos;
    }

    /** The window is open (or nothing waits): no stall. */
    void clear() {
        since = -1;
    }

    /** Nanoseconds stalled so far, 0 when not stalled. */
    long stalledFor(long now) {
        return since < 0 ? 0 : now - since;
    }
}
