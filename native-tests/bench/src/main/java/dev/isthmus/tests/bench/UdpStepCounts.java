package dev.isthmus.tests.bench;

import org.HdrHistogram.Histogram;

/**
 * What one fixed-rate step of the UDP load counted, kept by the generator's worker thread alone (read by
 * others only after the step has ended, through the hand-over that ends it).
 *
 * <p>Every datagram carries its step number ({@link UdpPayload}); the step stops sending, then waits a
 * drain time for the echoes still on their way, so that {@code lost = sent - echoed} counts only datagrams
 * that did not come back. An echo of an earlier step is {@code late} (not counted as echoed here, and
 * already counted lost there); a datagram of the wrong size or with a changed pattern is {@code wrong}.
 * A datagram the client's own stack refused to send is {@code refused}: never sent, so not lost.
 */
final class UdpStepCounts {

    private final int size;
    private final Histogram latency = new Histogram(60_000_000_000L, 3);
    private int step;
    private long sent;
    private long refused;
    private long echoed;
    private long late;
    private long wrong;
    private long pumps;
    private long idlePumps;

    /** @param size the datagram size every echo must have */
    UdpStepCounts(int size) {
        UdpPayload.checkSize(size);
        this.size = size;
    }

    /** Starts counting step {@code n} from zero. */
    void begin(int n) {
        step = n;
        sent = refused = echoed = late = wrong = pumps = idlePumps = 0;
        latency.reset();
    }

    int step() {
        return step;
    }

    void sent(int n) {
        sent += n;
    }

    void refused(int n) {
        refused += n;
    }

    /** One turn of the pacing loop; {@code idle} when nothing was due: the generator's slack. */
    void pump(boolean idle) {
        pumps++;
        if (idle) {
            idlePumps++;
        }
    }

    /** An echo: counted for this step, as late, or as wrong. */
    void echo(java.lang.foreign.MemorySegment d, boolean truncated, long nowNanos) {
        if (truncated || !UdpPayload.intact(d, size)) {
            wrong++;
            return;
        }
        if (UdpPayload.step(d) != step) {
            late++;
            return;
        }
        echoed++;
        latency.recordValue(Math.max(0, Math.min(nowNanos - UdpPayload.sentNanos(d), latency.getHighestTrackableValue())));
    }

    /** Datagrams of this step sent and not (yet) echoed. */
    long outstanding() {
        return sent - echoed;
    }

    /**
     * The step's figures, for a step that was to send at {@code rate} per second for {@code seconds} and
     * had handed {@code sentOnTime} datagrams to the stack by then.
     */
    UdpStep result(long rate, double seconds, long sentOnTime) {
        return new UdpStep(rate, seconds, sentOnTime, sent, refused, echoed, late, wrong,
                pumps == 0 ? 0 : idlePumps / (double) pumps, latency.copy());
    }
}
