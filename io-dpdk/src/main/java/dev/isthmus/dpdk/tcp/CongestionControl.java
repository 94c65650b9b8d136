package dev.isthmus.dpdk.tcp;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A sender's congestion control as the {@link Tcb} drives it: it tells what happened (a new ACK, a
 * duplicate ACK, a timeout), the algorithm answers with its window and whether to retransmit. Counts
 * bytes. Both algorithms share RFC 5681's slow start and RFC 6582's NewReno loss recovery; they differ
 * in how the window grows in congestion avoidance and how far it falls on a loss.
 */
public interface CongestionControl {
    /** Duplicate ACKs that signal a loss (RFC 5681 3.2). */
    int DUP_ACK_THRESHOLD = 3;

    /** The algorithms a stack can choose, one per stack ({@code dpdk.congestion-control}). */
    enum Algorithm {
        /** RFC 5681 + RFC 6582: one MSS per RTT in congestion avoidance, halve on loss. */
        NEWRENO,
        /** RFC 9438: a cubic function of the time since the last loss, beta 0.7; Linux's default. */
        CUBIC;

        /** Parses {@code newreno} or {@code cubic} (any case); anything else fails, naming what is allowed. */
        public static Algorithm parse(String text) {
            String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
            for (Algorithm a : values()) {
                if (a.name().equals(t)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("congestion control must be newreno or cubic, was '" + text + "'");
        }

        /** A fresh instance for one connection. */
        public CongestionControl create(int mss, int iss, LongSupplier clock, RttEstimator rtt) {
            return switch (this) {
                case NEWRENO -> new NewReno(mss, iss);
                case CUBIC -> new Cubic(mss, iss, clock, rtt);
            };
        }
    }

    /** RFC 6928's initial window: {@code min(10*MSS, max(2*MSS, 14600))}. */
    static long initialWindow(int mss) {
        return Math.min(10L * mss, Math.max(2L * mss, 14600));
    }

    /**
     * RFC 4015 3.2 step (5)'s cwnd after a spurious timeout is undone: {@code FlightSize + min(bytes_acked, IW)}
     * (no burst of more than an initial window), at least two segments.
     */
    static long cwndAfterUndo(long flight, long acked, int mss) {
        return Math.max(flight + Math.min(acked, initialWindow(mss)), 2L * mss);
    }

    /** The send MSS changed (negotiated, or lowered by path MTU discovery). */
    void setMss(int mss);

    /**
     * A new acknowledgement covered {@code acked} bytes up to {@code ack}; {@code flight} was in flight
     * before it. Returns whether the first unacknowledged segment is to be retransmitted now (a partial
     * acknowledgement in recovery, RFC 6582 3.2 step 3).
     */
    boolean onNewAck(int ack, long acked, long flight);

    /**
     * A duplicate acknowledgement (RFC 5681's definition, checked by the caller). {@code ack} is its
     * number, {@code sndMax} the highest sequence number sent. Returns whether to fast-retransmit.
     */
    boolean onDupAck(int ack, int sndMax, long flight);

    /**
     * Enters fast recovery as three duplicate ACKs would: the window reduced by the algorithm's loss
     * response, {@code sndMax} the recovery point. Also called by a SACK sender that finds SND.UNA lost
     * before three duplicate ACKs (RFC 6675 5 step (3), IsLost).
     */
    void enterRecovery(long flight, int sndMax);

    /** RFC 6582's "recover": the highest sequence number sent when the last recovery or timeout began. */
    int recover();

    /** The retransmission timer expired (RFC 5681 3.1 eq. (4), RFC 6582 4, RFC 9438 4.8). */
    void onTimeout(long flight, int sndMax);

    /**
     * The last {@link #onTimeout} was spurious (RFC 3522, RFC 3708): undo its reduction as RFC 4015 3.2
     * step (5) does without ECN: ssthresh back to pipe_prev, {@code max(FlightSize, ssthresh)} when the
     * timeout fired, and cwnd {@code FlightSize + min(bytes_acked, IW)}, {@code flight} what is still out
     * after the ACK that told, {@code acked} what it acknowledged (no burst of more than an initial window).
     */
    void undoTimeout(long flight, long acked);

    /** The handshake fixed the MSS: start from its initial window. */
    void onHandshake(int mss);

    /** After an idle period longer than the RTO, restart from the initial window (RFC 5681 4.1). */
    void onIdleRestart();

    long cwnd();

    long ssthresh();

    boolean inRecovery();

    int dupAcks();
}
