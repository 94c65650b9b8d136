package dev.isthmus.dpdk.tcp;

/** A worker's TCP counters (as {@code nstat}'s Tcp* and TcpExt*), one array, no allocation to count. */
public final class TcpStats {
    /** What is counted. */
    public enum Counter {
        SEGMENTS_IN, SEGMENTS_OUT, BAD_SEGMENTS, RETRANSMITTED_SEGMENTS, TIMEOUTS, FAST_RETRANSMITS,
        RESETS_SENT, RESETS_RECEIVED, ACTIVE_OPENS, PASSIVE_OPENS, ATTEMPT_FAILS, ESTABLISHED_RESETS,
        OUT_OF_ORDER_QUEUED, OUT_OF_ORDER_DROPPED, OUT_OF_WINDOW, DUPLICATE_ACKS, ZERO_WINDOW_PROBES, KEEPALIVE_PROBES,
        DELAYED_ACKS, CHALLENGE_ACKS, NO_BUFFER, LISTEN_OVERFLOWS, LISTEN_DROPS,
        // Hostile or broken input, each dropped and counted by reason (BAD_SEGMENTS: truncated or bad offset).
        BAD_CHECKSUMS, CHALLENGE_ACKS_SUPPRESSED, ACKS_TOO_OLD, ACKS_OF_UNSENT, SYN_COOKIES_SENT,
        SYN_COOKIES_VALID, SYN_COOKIES_FAILED, WINDOW_STALL_ABORTS, OUT_OF_ORDER_NO_MEMORY,
        /** Segments PAWS dropped as old duplicates (RFC 7323 5.3; Linux's PAWSEstab). */
        PAWS_REJECTED,
        /** Retransmissions chosen from the SACK scoreboard (RFC 6675 NextSeg; Linux's TCPSackRecovery counts episodes). */
        SACK_RETRANSMITS,
        /** D-SACK blocks received (RFC 2883: the peer got a segment twice; Linux's TCPDSACKRecv). */
        DSACKS_RECEIVED,
        /** Retransmission timeouts found spurious and undone (RFC 3522 by timestamps, RFC 4015 response; Linux's TCPSpuriousRTOs). */
        SPURIOUS_TIMEOUTS_BY_TIMESTAMP,
        /** The same, found by D-SACK (RFC 3708). */
        SPURIOUS_TIMEOUTS_BY_DSACK,
        /** Tail loss probes sent (RFC 8985 7.3; Linux's TCPLossProbes). */
        TAIL_LOSS_PROBES,
        /** Probes that repaired a loss, each followed by a window reduction (RFC 8985 7.4; Linux's TCPLossProbeRecovery). */
        TAIL_LOSS_PROBE_REPAIRS,
        /** Retransmissions of SND.UNA found lost in SACK recovery and sent again before the RTO (Linux's TCPLostRetransmit). */
        LOST_RETRANSMISSIONS
    }

    private final long[] counts = new long[Counter.values().length];

    public void count(Counter c) {
        counts[c.ordinal()]++;
    }

    public long get(Counter c) {
        return counts[c.ordinal()];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TcpStats[");
        for (Counter c : Counter.values()) {
            if (counts[c.ordinal()] != 0) {
                sb.append(c.name().toLowerCase()).append('=').append(counts[c.ordinal()]).append(' ');
            }
        }
        return sb.append(']').toString();
    }
}
