package dev.isthmus.dpdk.tcp;

/**
 * One connection's TCP timestamps (RFC 7323 sections 3 to 5): whether both ends agreed to them in the
 * handshake, the TSval we send (a millisecond clock, RFC 7323 5.4's 1 ms..1 s tick, offset by a per-connection
 * value so that it tells nothing about the host's uptime), TS.Recent and Last.ACK.sent for choosing what to
 * echo (4.3), the round-trip time measured from an echoed TSval (4.1, so retransmitted segments time too,
 * without Karn's ambiguity), and PAWS (5.3): a segment whose TSval is older than TS.Recent is a duplicate
 * of an old one, dropped with an ACK. Worker thread only; nothing allocated.
 */
final class Timestamps {
    /** RFC 7323 5.5: TS.Recent is invalid after 24 days idle (the clock may have wrapped since). */
    private static final long PAWS_IDLE_LIMIT_NANOS = 24L * 24 * 3600 * 1_000_000_000L;
    private static final long NANOS_PER_TICK = 1_000_000L;
    /**
     * How many ticks older than TS.Recent a TSval may be and still pass PAWS: Linux's TCP_PAWS_WINDOW, so
     * that segments reordered across a tick boundary (two workers handing frames over, a reordering
     * link) are not dropped as old duplicates; a wrapped sequence space is seconds of ticks away.
     */
    private static final int PAWS_WINDOW = 1;

    private final int offset;
    private boolean on;
    private int tsRecent;
    private long tsRecentAt;
    private int lastAckSent;

    /** {@code offset}: added to the clock's milliseconds in every TSval (a random per-connection value). */
    Timestamps(int offset) {
        this.offset = offset;
    }

    /** The TSval to send at {@code nowNanos}. */
    int value(long nowNanos) {
        return (int) (nowNanos / NANOS_PER_TICK) + offset;
    }

    /** Whether both ends use timestamps (after the SYN exchange). */
    boolean on() {
        return on;
    }

    /** TS.Recent: the TSecr of what we send. */
    int echo() {
        return tsRecent;
    }

    /**
     * The peer's SYN (or SYN-ACK) arrived: timestamps are used if we {@code offered} them (or would accept
     * them) and it carries them (RFC 7323 3.2); its TSval is the first TS.Recent.
     */
    void negotiate(boolean offered, TcpSegment syn, long nowNanos) {
        on = offered && syn.timestamps();
        if (on) {
            tsRecent = syn.tsVal();
            tsRecentAt = nowNanos;
            lastAckSent = syn.seq() + 1;
        }
    }

    /**
     * PAWS (RFC 7323 5.3 R1): whether {@code seg} is to be dropped because its TSval is older than
     * TS.Recent. A RST is never dropped by it (R1), nor is a segment without timestamps (Linux takes those).
     */
    boolean rejects(TcpSegment seg, long nowNanos) {
        return on && seg.timestamps() && !seg.has(TcpFlags.RST)
                && tsRecent - seg.tsVal() > PAWS_WINDOW && nowNanos - tsRecentAt < PAWS_IDLE_LIMIT_NANOS;
    }

    /**
     * An acceptable segment arrived: TS.Recent takes its TSval if it is not older and the segment starts at
     * or before Last.ACK.sent (RFC 7323 4.3 (2)), so that a delayed ACK echoes the earliest unacknowledged
     * segment's time.
     */
    void accepted(TcpSegment seg, long nowNanos) {
        if (on && seg.timestamps() && SequenceNumbers.ge(seg.tsVal(), tsRecent)
                && SequenceNumbers.le(seg.seq(), lastAckSent)) {
            tsRecent = seg.tsVal();
            tsRecentAt = nowNanos;
        }
    }

    /** The acknowledgement number of the last segment sent (whether or not timestamps are on). */
    int lastAckSent() {
        return lastAckSent;
    }

    /** A segment carrying acknowledgement number {@code ack} is being sent (Last.ACK.sent, 4.3). */
    void ackSent(int ack) {
        lastAckSent = ack;
    }

    /**
     * The round trip an ACK of new data shows through its echoed TSval (RFC 7323 4.1), in nanoseconds at the
     * tick's resolution, or -1 when it has none (no option, TSecr 0 as Linux treats it, or from the future).
     */
    long roundTrip(TcpSegment seg, long nowNanos) {
        if (!on || !seg.timestamps() || seg.tsEcr() == 0) {
            return -1;
        }
        int ticks = value(nowNanos) - seg.tsEcr();
        return ticks < 0 ? -1 : ticks * NANOS_PER_TICK;
    }
}
