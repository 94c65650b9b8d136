package dev.isthmus.dpdk.tcp;

import static dev.isthmus.dpdk.tcp.SequenceNumbers.ge;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.gt;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.le;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.lt;

/**
 * The sender's view of what the peer holds beyond SND.UNA, from the SACK blocks of its ACKs (RFC 2018),
 * and RFC 6675's loss recovery over it: which bytes are lost ({@code IsLost}, section 4), how many are in
 * the network ({@code SetPipe}), and what to retransmit next ({@code NextSeg}, rules 1 and 3; rule 2, new
 * data, is the {@link Tcb}'s ordinary output). Bytes rather than segments: a range is SACKed or not, and a
 * byte is lost when more than {@code (DupThresh - 1) * SMSS} bytes or {@code DupThresh} ranges above it are
 * SACKed. Kept as up to {@value #MAX_RANGES} sorted, merged ranges; a block that would need more is
 * dropped (the peer reports it again). No allocation after construction. Worker thread only.
 */
final class SackScoreboard {
    static final int MAX_RANGES = 32;

    private final int[] starts = new int[MAX_RANGES];
    private final int[] ends = new int[MAX_RANGES];
    private int count;
    /** RFC 6675 HighRxt: the end of the highest byte retransmitted in this recovery. */
    private int highRxt;

    /**
     * Takes {@code seg}'s SACK blocks; those not within {@code (floor, sndMax]} are ignored (D-SACK, bogus).
     * Returns whether they SACKed bytes not SACKed before.
     */
    boolean update(TcpSegment seg, int floor, int sndMax) {
        long before = sackedIn(floor, sndMax);
        for (int i = 0; i < seg.sackBlocks(); i++) {
            int s = seg.sackStart(i);
            int e = seg.sackEnd(i);
            if (!lt(s, e) || gt(e, sndMax) || le(e, floor)) {
                continue;
            }
            add(lt(s, floor) ? floor : s, e);
        }
        return sackedIn(floor, sndMax) > before;
    }

    private void add(int s, int e) {
        int i = 0;
        while (i < count && lt(ends[i], s)) {
            i++;
        }
        if (i == count || gt(starts[i], e)) {
            if (count == MAX_RANGES) {
                return;
            }
            System.arraycopy(starts, i, starts, i + 1, count - i);
            System.arraycopy(ends, i, ends, i + 1, count - i);
            starts[i] = s;
            ends[i] = e;
            count++;
            return;
        }
        if (lt(s, starts[i])) {
            starts[i] = s;
        }
        if (gt(e, ends[i])) {
            ends[i] = e;
        }
        int j = i + 1;
        while (j < count && le(starts[j], ends[i])) {
            if (gt(ends[j], ends[i])) {
                ends[i] = ends[j];
            }
            j++;
        }
        int removed = j - i - 1;
        if (removed > 0) {
            System.arraycopy(starts, j, starts, i + 1, count - j);
            System.arraycopy(ends, j, ends, i + 1, count - j);
            count -= removed;
        }
    }

    /** SND.UNA moved to {@code sndUna}: what lies below it is forgotten. */
    void acknowledged(int sndUna) {
        int drop = 0;
        while (drop < count && le(ends[drop], sndUna)) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(starts, drop, starts, 0, count - drop);
            System.arraycopy(ends, drop, ends, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && lt(starts[0], sndUna)) {
            starts[0] = sndUna;
        }
        if (lt(highRxt, sndUna)) {
            highRxt = sndUna;
        }
    }

    /** Loss recovery starts (RFC 6675 5 step 4): nothing retransmitted yet above SND.UNA. */
    void startRecovery(int sndUna) {
        highRxt = sndUna;
    }

    /** Bytes up to {@code end} were retransmitted. */
    void retransmitted(int end) {
        if (gt(end, highRxt)) {
            highRxt = end;
        }
    }

    /** Whether {@code seq} has not been retransmitted in this recovery (it lies at or above HighRxt). */
    boolean notRetransmitted(int seq) {
        return ge(seq, highRxt);
    }

    /** RFC 6675 IsLost({@code seq}): not SACKed, with enough SACKed above it. */
    boolean isLost(int seq, int sndUna, int mss) {
        return lt(seq, lostEdge(sndUna, mss)) && skipSacked(seq) == seq;
    }

    int ranges() {
        return count;
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    /** The end of the SACKed range holding {@code seq}, or {@code seq} itself when it is not SACKed. */
    int skipSacked(int seq) {
        for (int i = 0; i < count; i++) {
            if (le(starts[i], seq) && lt(seq, ends[i])) {
                return ends[i];
            }
        }
        return seq;
    }

    /** The start of the first SACKed range above {@code seq}, or {@code limit} when none lies below it. */
    int nextSacked(int seq, int limit) {
        for (int i = 0; i < count; i++) {
            if (gt(starts[i], seq)) {
                return lt(starts[i], limit) ? starts[i] : limit;
            }
        }
        return limit;
    }

    /**
     * IsLost's edge: every byte below it that is not SACKed counts as lost, having {@code DupThresh}
     * ranges or more than {@code (DupThresh - 1) * mss} bytes SACKed above it; {@code sndUna} when none.
     */
    int lostEdge(int sndUna, int mss) {
        long above = 0;
        int ranges = 0;
        for (int i = count - 1; i >= 0; i--) {
            above += Integer.toUnsignedLong(ends[i] - starts[i]);
            ranges++;
            if (ranges >= NewReno.DUP_ACK_THRESHOLD || above > (long) (NewReno.DUP_ACK_THRESHOLD - 1) * mss) {
                return starts[i];
            }
        }
        return sndUna;
    }

    /** Bytes SACKed within {@code [a, b)}. */
    private long sackedIn(int a, int b) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            int s = lt(starts[i], a) ? a : starts[i];
            int e = gt(ends[i], b) ? b : ends[i];
            if (lt(s, e)) {
                n += Integer.toUnsignedLong(e - s);
            }
        }
        return n;
    }

    /**
     * RFC 6675 SetPipe: of the bytes in {@code [sndUna, sndMax)} not SACKed, those not lost count once as
     * in the network, and those retransmitted (below HighRxt) count once more.
     */
    long pipe(int sndUna, int sndMax, int mss) {
        int lost = lostEdge(sndUna, mss);
        long notLost = Integer.toUnsignedLong(sndMax - lost) - sackedIn(lost, sndMax);
        int rxtEnd = gt(highRxt, sndMax) ? sndMax : highRxt;
        long resent = lt(sndUna, rxtEnd) ? Integer.toUnsignedLong(rxtEnd - sndUna) - sackedIn(sndUna, rxtEnd) : 0;
        return notLost + resent;
    }

    /**
     * RFC 6675 NextSeg for retransmissions: the first byte above HighRxt that is neither SACKed nor
     * retransmitted and is lost (rule 1), or, when {@code rule3} (no new data can be sent, rule 2), one that
     * is not lost but lies below the highest SACKed byte (rule 3). Returns it, or -1 as a long when none.
     */
    long nextSeg(int sndUna, int mss, boolean rule3) {
        if (count == 0) {
            return -1;
        }
        int from = gt(highRxt, sndUna) ? highRxt : sndUna;
        int s = skipSacked(from);
        if (lt(s, lostEdge(sndUna, mss))) {
            return Integer.toUnsignedLong(s);
        }
        if (rule3 && lt(s, ends[count - 1])) {
            return Integer.toUnsignedLong(s);
        }
        return -1;
    }

    /** How much to retransmit from {@code seq}: up to a segment, the next SACKed range or {@code sndMax}. */
    int segmentLength(int seq, int sndMax, int mss) {
        int limit = nextSacked(seq, sndMax);
        return (int) Math.min(mss, Integer.toUnsignedLong(limit - seq));
    }

    void clear() {
        count = 0;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("sacked");
        for (int i = 0; i < count; i++) {
            b.append(' ').append(Integer.toUnsignedString(starts[i])).append('-').append(Integer.toUnsignedString(ends[i]));
        }
        return b.append(" highRxt ").append(Integer.toUnsignedString(highRxt)).toString();
    }
}
