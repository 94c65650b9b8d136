package dev.isthmus.tests.bench;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * One fixed-rate step of the UDP load.
 *
 * @param rate       datagrams per second asked for
 * @param seconds    how long it was to send
 * @param sentOnTime datagrams handed to the client stack (sent or refused) by the end of {@code seconds}: fewer
 *                   than the rate asked for when the generator could not keep it (the rest go out late)
 * @param sent       datagrams sent
 * @param refused    datagrams the client's own stack refused to send (not sent, not lost)
 * @param echoed     echoes of this step's datagrams received by the end of the drain time
 * @param late       echoes of earlier steps' datagrams that came during this one
 * @param wrong      echoes of the wrong size or with changed bytes
 * @param idleShare  share of the generator's pacing turns with nothing due: its headroom (0 = saturated)
 * @param latency    round trips of the echoed datagrams, in nanoseconds
 */
record UdpStep(long rate, double seconds, long sentOnTime, long sent, long refused, long echoed, long late, long wrong,
               double idleShare, Histogram latency) {

    /** The loss the figure must stay under: 0.1 %. */
    static final double MAX_LOSS = 0.001;
    /**
     * The generator kept up when it sent at least this share of the rate in the step's time. Not 99 %: on a
     * shared machine the generator's thread is now and then scheduled out for tens of milliseconds, which
     * is not a generator at its limit (that one falls far behind, step after step).
     */
    static final double KEPT_UP = 0.95;

    /** Two lanes' counts of the same step as one (rates add; the time is the longer one). */
    UdpStep plus(UdpStep o) {
        Histogram h = latency.copy();
        h.add(o.latency);
        return new UdpStep(rate + o.rate, Math.max(seconds, o.seconds), sentOnTime + o.sentOnTime, sent + o.sent, refused + o.refused,
                echoed + o.echoed, late + o.late, wrong + o.wrong, Math.min(idleShare, o.idleShare), h); // the busier lane's headroom
    }

    long lost() {
        return Math.max(0, sent - echoed);
    }

    double loss() {
        return sent == 0 ? 1 : lost() / (double) sent;
    }

    /** Echoed datagrams per second. */
    double echoedPerSecond() {
        return echoed / seconds;
    }

    /**
     * Whether the generator sent (nearly) what the rate asked for within the step's time: else the step
     * measured the generator, not the server.
     */
    boolean generatorKeptUp() {
        return sentOnTime >= KEPT_UP * rate * seconds;
    }

    /** Whether this step counts for the figure: the generator kept up, loss under 0.1 %, nothing wrong. */
    boolean passes() {
        return generatorKeptUp() && refused == 0 && wrong == 0 && loss() < MAX_LOSS;
    }

    /** One line for the notes and the progress output. */
    String describe() {
        return String.format(Locale.ROOT, "%s/s: sent %,d, echoed %,d, lost %,d (%.3f %%)%s%s%s, generator idle %.1f %%",
                ResultTable.rate(rate), sent, echoed, lost(), loss() * 100,
                (refused > 0 ? String.format(Locale.ROOT, ", refused by the client stack %,d", refused) : "")
                        + (late > 0 ? String.format(Locale.ROOT, ", late echoes of earlier steps %,d", late) : ""),
                wrong > 0 ? String.format(Locale.ROOT, ", WRONG %,d", wrong) : "",
                generatorKeptUp() ? "" : String.format(Locale.ROOT, " (the generator fell behind: %,d sent in time)",
                        sentOnTime), idleShare * 100);
    }
}
