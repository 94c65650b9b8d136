package dev.isthmus.dpdk.tcp;

/**
 * Congestion control: slow start and congestion avoidance (RFC 5681 section 3.1), fast retransmit and
 * fast recovery with NewReno's partial acknowledgements (RFC 6582 section 3.2). Counts bytes; the
 * {@link Tcb} tells it what happened and does what it answers. Initial window RFC 6928's
 * {@code min(10*MSS, max(2*MSS, 14600))}.
 */
public final class NewReno implements CongestionControl {

    private int mss;
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    private int dupAcks;
    private boolean inRecovery;
    /** RFC 6582's "recover": the highest sequence number sent when recovery began. */
    private int recover;
    private long bytesAckedInCa;
    /** RFC 4015's pipe_prev: max(FlightSize, ssthresh) when the last timeout fired. */
    private long pipePrev;
    /** A timeout fired and no ACK of new data followed yet. */
    private boolean timedOut;

    public NewReno(int mss, int iss) {
        setMss(mss);
        cwnd = initialWindow(mss);
        recover = iss;
    }

    static long initialWindow(int mss) {
        return CongestionControl.initialWindow(mss);
    }

    /** The send MSS changed (negotiated, or lowered by path MTU discovery). */
    @Override
    public void setMss(int mss) {
        this.mss = mss;
    }

    /**
     * A new acknowledgement covered {@code acked} bytes up to {@code ack}; {@code flight} was in flight
     * before it. Returns whether the first unacknowledged segment is to be retransmitted now (a partial
     * acknowledgement in recovery, RFC 6582 3.2 step 3).
     */
    @Override
    public boolean onNewAck(int ack, long acked, long flight) {
        dupAcks = 0;
        timedOut = false;
        if (inRecovery) {
            if (SequenceNumbers.ge(ack, recover)) {
                // Full acknowledgement (step 3, "full", option 1): deflate to min(ssthresh, max(FlightSize,
                // SMSS) + SMSS), FlightSize what is still out after this ACK. Never less than two segments:
                // one lone segment waits for the receiver's delayed ACK (Linux: 40 ms and more), and if
                // it is lost no duplicate ACK can follow, only the RTO.
                inRecovery = false;
                cwnd = Math.min(ssthresh, Math.max(flight - acked, mss) + mss);
                return false;
            }
            // Partial: deflate by the bytes acknowledged, add back one MSS if that was at least one MSS.
            cwnd = Math.max(cwnd - acked, mss);
            if (acked >= mss) {
                cwnd += mss;
            }
            return true;
        }
        if (cwnd < ssthresh) {
            // Slow start, with RFC 3465's limit of L = 2*SMSS per ACK... RFC 5681 3.1 eq. (2): min(N, SMSS).
            cwnd += Math.min(acked, mss);
        } else {
            // Congestion avoidance by bytes counted (RFC 5681 3.1, "byte counting" variant).
            bytesAckedInCa += acked;
            if (bytesAckedInCa >= cwnd) {
                bytesAckedInCa -= cwnd;
                cwnd += mss;
            }
        }
        return false;
    }

    /**
     * A duplicate acknowledgement (RFC 5681's definition, checked by the caller). {@code ack} is its
     * number, {@code sndMax} the highest sequence number sent. Returns whether to fast-retransmit.
     */
    @Override
    public boolean onDupAck(int ack, int sndMax, long flight) {
        dupAcks++;
        if (inRecovery) {
            cwnd += mss; // inflate for each segment that left the network (RFC 6582 3.2 step 4)
            return false;
        }
        if (dupAcks == DUP_ACK_THRESHOLD) {
            // RFC 6582 3.2 step 2: only when the ACK covers more than "recover" (not a late duplicate of
            // an earlier recovery's retransmissions).
            if (SequenceNumbers.gt(ack - 1, recover) || ack - 1 == recover) {
                enterRecovery(flight, sndMax);
                return true;
            }
        }
        return false;
    }

    /**
     * Enters fast recovery (RFC 5681 3.2 step 2, RFC 6582 3.2 step 2): ssthresh half the flight, the window
     * inflated by the three segments that left, {@code sndMax} the recovery point. Also called by a SACK
     * sender that finds SND.UNA lost before three duplicate ACKs (RFC 6675 5 step (3), IsLost).
     */
    @Override
    public void enterRecovery(long flight, int sndMax) {
        ssthresh = Math.max(flight / 2, 2L * mss);
        cwnd = ssthresh + 3L * mss;
        recover = sndMax;
        inRecovery = true;
    }

    /** RFC 6582's "recover": the highest sequence number sent when the last recovery or timeout began. */
    @Override
    public int recover() {
        return recover;
    }

    /** The retransmission timer expired (RFC 5681 3.1 eq. (4), RFC 6582 4). */
    @Override
    public void onTimeout(long flight, int sndMax) {
        if (!timedOut) {
            // The first timeout of a series: what to restore if it was spurious (a backed-off one
            // would record its predecessor's reduced state).
            pipePrev = Math.max(flight, ssthresh);
            timedOut = true;
        }
        ssthresh = Math.max(flight / 2, 2L * mss);
        cwnd = mss;
        bytesAckedInCa = 0;
        inRecovery = false;
        dupAcks = 0;
        recover = sndMax;
    }

    @Override
    public void undoTimeout(long flight, long acked) {
        ssthresh = pipePrev;
        cwnd = CongestionControl.cwndAfterUndo(flight, acked, mss);
        bytesAckedInCa = 0;
    }

    /** The handshake fixed the MSS: start from its initial window. */
    @Override
    public void onHandshake(int mss) {
        this.mss = mss;
        cwnd = initialWindow(mss);
    }

    /** After an idle period longer than the RTO, restart from the initial window (RFC 5681 4.1). */
    @Override
    public void onIdleRestart() {
        cwnd = Math.min(cwnd, initialWindow(mss));
    }

    @Override public long cwnd() { return cwnd; }
    @Override public long ssthresh() { return ssthresh; }
    @Override public boolean inRecovery() { return inRecovery; }
    @Override public int dupAcks() { return dupAcks; }
}
