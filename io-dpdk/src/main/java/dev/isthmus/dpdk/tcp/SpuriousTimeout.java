package dev.isthmus.dpdk.tcp;

import static dev.isthmus.dpdk.tcp.SequenceNumbers.ge;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.gt;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.le;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.lt;

/**
 * Decides whether a retransmission timeout was spurious: the segments it resent had not been lost, only
 * their ACK was late (a receiver whose reader is slow holds its ACK back until it reads or until its
 * delayed-ACK timer fires, up to 200 ms on Linux, the RTO's floor). Two detectors, as Linux's
 * {@code tcp_try_undo_loss} combines them:
 * <ul>
 * <li>Eifel (RFC 3522, timestamps): the first ACK of new data after the timeout echoes a TSval older than
 * the first retransmission's, so it was sent for the original segment.</li>
 * <li>D-SACK (RFC 3708): every byte resent since the timeout came back in a D-SACK block (RFC 2883: the
 * receiver got it twice). This catches the case Eifel cannot: the receiver that sends no ACK until the
 * retransmission arrives echoes the retransmission's TSval (RFC 7323 4.3 takes TS.Recent from a segment at
 * or below Last.ACK.sent), and reports it as a duplicate.</li>
 * </ul>
 * One episode at a time, from the first timeout until the first ACK of new data decides it. The
 * {@link Tcb} then undoes the timeout's response (RFC 4015). Nothing allocated; worker thread only.
 */
final class SpuriousTimeout {
    private boolean armed;
    private boolean timestamps;
    /** RFC 3522's RetransmitTS: the TSval the first retransmission carried. */
    private int retransmitTsVal;
    /** SND.UNA and SND.MAX when the timeout fired: what the episode may resend. */
    private int start;
    private int end;
    /** Bytes resent in the episode that no D-SACK block has reported yet (Linux's undo_retrans, in bytes). */
    private long undoBytes;
    private boolean resent;

    /**
     * A retransmission timeout fired with {@code [sndUna, sndMax)} outstanding; its retransmission will carry
     * {@code tsVal} if {@code timestamps} are on. A second timeout of the same episode keeps the first's
     * state (RFC 3522 3.2: RetransmitTS is the first retransmission's).
     */
    void timeout(int sndUna, int sndMax, boolean timestamps, int tsVal) {
        if (armed) {
            return;
        }
        armed = true;
        this.timestamps = timestamps;
        retransmitTsVal = tsVal;
        start = sndUna;
        end = sndMax;
        undoBytes = 0;
        resent = false;
    }

    /** Whether an episode waits for its verdict. */
    boolean armed() {
        return armed;
    }

    /** {@code len} sequence numbers from {@code seq} were resent. */
    void retransmitted(int seq, int len) {
        if (!armed || len <= 0) {
            return;
        }
        int s = lt(seq, start) ? start : seq;
        int e = gt(seq + len, end) ? end : seq + len;
        if (lt(s, e)) {
            undoBytes += Integer.toUnsignedLong(e - s);
            resent = true;
        }
    }

    /**
     * The first SACK block of an ACK is a D-SACK (RFC 2883 4): it lies below the ACK's cumulative
     * acknowledgement, or within its second block. Returns whether it is one.
     */
    static boolean isDsack(TcpSegment seg) {
        if (seg.sackBlocks() == 0) {
            return false;
        }
        int s = seg.sackStart(0);
        int e = seg.sackEnd(0);
        if (!lt(s, e)) {
            return false;
        }
        if (le(e, seg.ack())) {
            return true;
        }
        return seg.sackBlocks() > 1 && ge(s, seg.sackStart(1)) && le(e, seg.sackEnd(1));
    }

    /** A D-SACK block {@code [s, e)} arrived: what it covers of the episode's resent bytes was a duplicate. */
    void duplicated(int s, int e) {
        if (!armed || !resent) {
            return;
        }
        int from = lt(s, start) ? start : s;
        int to = gt(e, end) ? end : e;
        if (lt(from, to)) {
            undoBytes = Math.max(0, undoBytes - Integer.toUnsignedLong(to - from));
        }
    }

    /**
     * The first ACK of new data since the timeout, echoing {@code tsEcr} ({@code hasEcr} false when it has
     * none): the verdict, and the episode ends. Spurious when the echo predates the retransmission (Eifel),
     * or when every resent byte was reported a duplicate (D-SACK).
     */
    Verdict decide(boolean hasEcr, int tsEcr) {
        if (!armed) {
            return Verdict.NONE;
        }
        armed = false;
        if (timestamps && hasEcr && tsEcr != 0 && lt(tsEcr, retransmitTsVal)) {
            return Verdict.SPURIOUS_BY_TIMESTAMP;
        }
        if (resent && undoBytes == 0) {
            return Verdict.SPURIOUS_BY_DSACK;
        }
        return Verdict.GENUINE;
    }

    /** The connection gave up the episode (closed, or a new one replaces it). */
    void clear() {
        armed = false;
    }

    enum Verdict {
        /** No timeout waited for a verdict. */
        NONE,
        /** The timeout was right: a segment was lost. */
        GENUINE,
        /** The ACK echoed a TSval older than the retransmission (RFC 3522). */
        SPURIOUS_BY_TIMESTAMP,
        /** Every retransmitted byte came back D-SACKed (RFC 3708). */
        SPURIOUS_BY_DSACK
    }
}
