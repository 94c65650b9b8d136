package dev.isthmus.dpdk.tcp;

import static dev.isthmus.dpdk.tcp.SequenceNumbers.ge;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.le;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.lt;

/**
 * One tail loss probe's episode (RFC 8985 7.4): which bytes the probe resent, the TSval it carried, and
 * whether a D-SACK block reported it, until an ACK at or past its end tells whether it repaired a loss.
 * When the probe goes and what follows it are the {@link Tcb}'s. Nothing allocated; worker thread only.
 */
final class TailLossProbe {
    private boolean outstanding;
    /** The probe resent {@code [seq, end)}, carrying {@code tsVal}. */
    private int seq;
    private int end;
    private int tsVal;
    /** A D-SACK block reported the probe: the tail had not been lost. */
    private boolean dsacked;

    /** A probe resent {@code [seq, end)} with {@code tsVal}: its episode begins. */
    void sent(int seq, int end, int tsVal) {
        outstanding = true;
        this.seq = seq;
        this.end = end;
        this.tsVal = tsVal;
        dsacked = false;
    }

    /** Whether a probe is out and its episode not over. */
    boolean outstanding() {
        return outstanding;
    }

    /** Where the outstanding probe's bytes start. */
    int seq() {
        return seq;
    }

    /** A D-SACK block {@code [s, e)} arrived. */
    void duplicated(int s, int e) {
        if (outstanding && le(s, seq) && ge(e, end)) {
            dsacked = true;
        }
    }

    /**
     * An ACK of new data up to {@code ack}, echoing {@code tsEcr} if {@code echoes} (timestamps on and in
     * the ACK). If it covers the probe, the episode ends (RFC 8985 7.4.2), and this returns whether the
     * probe carried the only copy of a lost segment: not D-SACKed, and answered by the probe itself (its
     * TSval echoed, or no timestamps to tell).
     */
    boolean repairedLoss(int ack, boolean echoes, int tsEcr) {
        if (!outstanding || lt(ack, end)) {
            return false;
        }
        outstanding = false;
        boolean byProbe = !echoes || ge(tsEcr, tsVal);
        return !dsacked && byProbe;
    }

    /** The episode ends without a verdict (a retransmission timeout took over). */
    void clear() {
        outstanding = false;
    }
}
