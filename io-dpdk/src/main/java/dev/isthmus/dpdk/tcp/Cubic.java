package dev.isthmus.dpdk.tcp;

import java.util.function.LongSupplier;

/**
 * CUBIC (RFC 9438): in congestion avoidance the window follows {@code W_cubic(t) = C*(t-K)^3 + W_max}
 * (section 4.2, eq. 1), a cubic of the time {@code t} since the current avoidance stage began, with
 * {@code K = cbrt((W_max - cwnd_epoch)/C)} (eq. 2) the time it takes to climb back to {@code W_max}, the
 * window at the last congestion event. Below {@code W_max} the curve is concave (fast at first, flat near
 * the old maximum), above it convex (probing). Where standard TCP would be faster (short RTTs, small
 * windows), the Reno-friendly estimate {@code W_est} (section 4.3) sets the window instead. On a loss the
 * window falls to {@code beta_cubic = 0.7} of the flight (section 4.6), and a flow that lost below its
 * previous maximum lowers {@code W_max} further, to make room for newcomers (fast convergence, 4.7).
 *
 * <p>Slow start, fast retransmit and NewReno's partial-ACK recovery (RFC 5681, RFC 6582) are as in
 * {@link NewReno}; only the avoidance growth and the decrease differ. Windows are computed in segments as
 * doubles (the RFC's unit) and kept in bytes for the {@link Tcb}. Times come from the clock the TCB uses,
 * the RTT from its estimator.
 */
public final class Cubic implements CongestionControl {
    /** RFC 9438 4.1: C, in segments per second cubed. */
    public static final double C = 0.4;
    /** RFC 9438 4.1: the multiplicative decrease factor. */
    public static final double BETA = 0.7;
    /** RFC 9438 4.3: {@code 3 * (1 - beta) / (1 + beta)}, Reno-friendly additive increase per RTT. */
    public static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);

    private final LongSupplier clock;
    private final RttEstimator rtt;
    private int mss;
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    private int dupAcks;
    private boolean inRecovery;
    private int recover;
    /** Fractional growth (bytes) not yet added to the window. */
    private double pending;

    /** W_max in segments; 0 before the first congestion event. */
    private double wMax;
    /** cwnd_prior (RFC 9438 4.6): the window just before the last reduction, segments. */
    private double cwndPrior;
    /** When the current avoidance stage began (t_epoch), or -1 when it has not yet. */
    private long epochStart = -1;
    /** RFC 4015's pipe_prev and W_max before the last timeout, for {@link #undoTimeout}. */
    private long pipePrev;
    /** A timeout fired and no ACK of new data followed yet. */
    private boolean timedOut;
    private double wMaxPrev;
    /** When the last ACK in congestion avoidance came (0: none yet). */
    private long lastAckNanos;
    private double k;
    private double wEst;

    public Cubic(int mss, int iss, LongSupplier clock, RttEstimator rtt) {
        this.clock = clock;
        this.rtt = rtt;
        this.mss = mss;
        this.cwnd = CongestionControl.initialWindow(mss);
        this.recover = iss;
    }

    /** RFC 9438 eq. 1: the window, in segments, {@code t} seconds into the stage. */
    public static double wCubic(double t, double k, double wMax) {
        double d = t - k;
        return C * d * d * d + wMax;
    }

    /** RFC 9438 eq. 2: the time, in seconds, the curve takes from {@code cwndEpoch} back to {@code wMax}. */
    public static double k(double wMax, double cwndEpoch) {
        return Math.cbrt(Math.max(0, wMax - cwndEpoch) / C);
    }

    @Override
    public void setMss(int mss) {
        this.mss = mss;
    }

    @Override
    public boolean onNewAck(int ack, long acked, long flight) {
        dupAcks = 0;
        timedOut = false;
        if (inRecovery) {
            if (SequenceNumbers.ge(ack, recover)) {
                inRecovery = false; // RFC 6582 3.2 step 3, full acknowledgement
                cwnd = Math.min(ssthresh, Math.max(flight - acked, 0) + mss);
                cwnd = Math.max(cwnd, 2L * mss);
                return false;
            }
            cwnd = Math.max(cwnd - acked, mss); // partial acknowledgement
            if (acked >= mss) {
                cwnd += mss;
            }
            return true;
        }
        if (cwnd < ssthresh) {
            cwnd += Math.min(acked, mss); // slow start (RFC 5681 3.1, RFC 9438 4.10)
            return false;
        }
        avoid(acked, flight);
        return false;
    }

    /** RFC 9438 4.2 to 4.5: one new ACK of {@code acked} bytes in congestion avoidance. */
    private void avoid(long acked, long flight) {
        long now = clock.getAsLong();
        long sinceLastAck = lastAckNanos == 0 ? 0 : now - lastAckNanos;
        lastAckNanos = now;
        if (flight + mss < cwnd) {
            // Not limited by cwnd but by the application or the peer's window (RFC 9438 5.8): the window
            // does not grow, and the stage's clock stops, so that W_cubic(t) does not run ahead while
            // nothing tests the path (a burst of 1.5 cwnd per round trip would follow).
            if (epochStart >= 0) {
                epochStart += sinceLastAck;
            }
            return;
        }
        double cwndSeg = (double) cwnd / mss;
        if (epochStart < 0) {
            epochStart = now;
            if (wMax < cwndSeg) {
                // No congestion event yet, or the window already passed the old maximum (4.2): the
                // curve starts at its plateau, K = 0.
                wMax = cwndSeg;
                k = 0;
            } else {
                k = k(wMax, cwndSeg);
            }
            wEst = cwndSeg;
        }
        double segmentsAcked = (double) acked / mss;
        double t = (now - epochStart) / 1e9;
        // 4.3: W_est grows as Reno would, alpha_cubic until it reaches cwnd_prior, then 1.
        wEst += (wEst >= cwndPrior ? 1.0 : ALPHA) * segmentsAcked / cwndSeg;
        double target;
        if (wCubic(t, k, wMax) < wEst) {
            target = wEst; // the Reno-friendly region: cwnd = W_est
            setSegments(Math.max(cwndSeg, target));
            return;
        }
        // 4.4 / 4.5: aim at where the curve will be one RTT from now, within [cwnd, 1.5 cwnd].
        double rttSeconds = rtt.srtt() / 1e9;
        target = Math.min(Math.max(wCubic(t + rttSeconds, k, wMax), cwndSeg), 1.5 * cwndSeg);
        pending += (target - cwndSeg) / cwndSeg * segmentsAcked * mss;
        if (pending >= 1) {
            long add = (long) pending;
            cwnd += add;
            pending -= add;
        }
    }

    private void setSegments(double segments) {
        long bytes = (long) (segments * mss);
        if (bytes > cwnd) {
            cwnd = bytes;
        }
        pending = 0;
    }

    @Override
    public boolean onDupAck(int ack, int sndMax, long flight) {
        dupAcks++;
        if (inRecovery) {
            cwnd += mss; // RFC 6582 3.2 step 4
            return false;
        }
        if (dupAcks == DUP_ACK_THRESHOLD && (SequenceNumbers.gt(ack - 1, recover) || ack - 1 == recover)) {
            enterRecovery(flight, sndMax);
            return true;
        }
        return false;
    }

    @Override
    public void enterRecovery(long flight, int sndMax) {
        congestionEvent(flight);
        cwnd = ssthresh + 3L * mss;
        recover = sndMax;
        inRecovery = true;
    }

    @Override
    public int recover() {
        return recover;
    }

    /** RFC 9438 4.6 and 4.7: record W_max (with fast convergence), ssthresh = flight * beta. */
    private void congestionEvent(long flight) {
        double cwndSeg = (double) cwnd / mss;
        cwndPrior = cwndSeg;
        wMax = cwndSeg < wMax ? cwndSeg * (1 + BETA) / 2 : cwndSeg;
        ssthresh = Math.max((long) (flight * BETA), 2L * mss);
        epochStart = -1;
        pending = 0;
    }

    @Override
    public void onTimeout(long flight, int sndMax) {
        // 4.8: as Reno (one segment, slow start) but ssthresh from beta_cubic; a new stage follows.
        if (!timedOut) {
            // The first timeout of a series: what to restore if it was spurious (a backed-off one
            // would record its predecessor's reduced state).
            pipePrev = Math.max(flight, ssthresh);
            wMaxPrev = wMax;
            timedOut = true;
        }
        congestionEvent(flight);
        cwnd = mss;
        inRecovery = false;
        dupAcks = 0;
        recover = sndMax;
    }

    /**
     * RFC 9438 4.9: a spurious timeout's congestion event is undone, W_max as it was before it; RFC 4015's
     * ssthresh and cwnd (see {@link CongestionControl#undoTimeout}); a new stage begins when slow start
     * reaches ssthresh.
     */
    @Override
    public void undoTimeout(long flight, long acked) {
        wMax = wMaxPrev;
        ssthresh = pipePrev;
        cwnd = CongestionControl.cwndAfterUndo(flight, acked, mss);
        epochStart = -1;
        pending = 0;
    }

    @Override
    public void onHandshake(int mss) {
        this.mss = mss;
        cwnd = CongestionControl.initialWindow(mss);
    }

    @Override
    public void onIdleRestart() {
        cwnd = Math.min(cwnd, CongestionControl.initialWindow(mss));
        epochStart = -1;
    }

    @Override public long cwnd() { return cwnd; }
    @Override public long ssthresh() { return ssthresh; }
    @Override public boolean inRecovery() { return inRecovery; }
    @Override public int dupAcks() { return dupAcks; }
    /** W_max in segments (0 before a congestion event). */
    public double wMax() { return wMax; }
    /** K of the current stage, seconds. */
    public double k() { return k; }
    /** W_est of the current stage, segments. */
    public double wEst() { return wEst; }
}
