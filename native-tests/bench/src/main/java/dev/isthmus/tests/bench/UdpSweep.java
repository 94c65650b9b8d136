package dev.isthmus.tests.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed rates a UDP run steps through, and the figure they give: the highest rate echoed with under
 * 0.1 % loss ({@link UdpStep#passes()}). The rate grows by {@code factor} from {@code start} until a step
 * fails, then is bisected {@code refinements} times between the last rate that passed and the first that
 * failed. When the first step fails already, the rate is halved, up to {@value #HALVINGS} times, until
 * one passes (a busy machine may not keep even the start rate); the bisection then works between it and
 * the lowest rate that failed. A step in which the generator could not send the rate asked for ends the sweep: rates above it
 * would measure the generator, not the server, so the figure is then a lower bound
 * ({@link #generatorLimited()}). Bounded: at most {@value #MAX_STEPS} steps, rates up to {@code maxRate}.
 */
final class UdpSweep {

    static final int MAX_STEPS = 40;
    static final int HALVINGS = 4;

    private final double factor;
    private final long maxRate;
    private final List<UdpStep> steps = new ArrayList<>();
    private int refinementsLeft;
    private int halvingsLeft = HALVINGS;
    private long next;
    private long passed; // highest rate that passed, 0 if none
    private long failed; // lowest rate that failed, 0 if none
    private boolean generatorLimited;

    /**
     * @param start       the first rate, datagrams per second
     * @param factor      how much each step of the ramp raises the rate; 1: one step at {@code start} only
     * @param refinements bisections after the first failure
     * @param maxRate     the ramp stops here
     */
    UdpSweep(long start, double factor, int refinements, long maxRate) {
        if (start < 1 || !(factor >= 1) || refinements < 0 || maxRate < start) {
            throw new IllegalArgumentException("sweep from " + start + " by " + factor + " up to " + maxRate
                    + " with " + refinements + " refinements");
        }
        this.factor = factor;
        this.maxRate = maxRate;
        this.refinementsLeft = refinements;
        this.next = start;
    }

    /** The rate of the next step, or -1 when the sweep is over. */
    long nextRate() {
        return steps.size() >= MAX_STEPS ? -1 : next;
    }

    /** Records the step just run at {@link #nextRate()} and chooses the next rate. */
    void record(UdpStep s) {
        steps.add(s);
        long rate = s.rate();
        if (s.passes()) {
            passed = Math.max(passed, rate);
        } else {
            failed = failed == 0 ? rate : Math.min(failed, rate);
            if (!s.generatorKeptUp()) {
                generatorLimited = true;
                next = -1;
                return;
            }
        }
        if (factor == 1) {
            next = -1;
        } else if (passed == 0) {
            long down = rate / 2;
            next = halvingsLeft-- > 0 && down >= 1 ? down : -1;
        } else if (failed == 0) {
            long up = (long) Math.ceil(rate * factor);
            next = up > maxRate ? -1 : up;
        } else if (passed > 0 && refinementsLeft > 0 && failed - passed > 1) {
            refinementsLeft--;
            next = passed + (failed - passed) / 2;
        } else {
            next = -1;
        }
    }

    /** Every step run, in order. */
    List<UdpStep> steps() {
        return List.copyOf(steps);
    }

    /** The step that gives the figure: the passing one that echoed the most; null if none passed. */
    UdpStep best() {
        UdpStep b = null;
        for (UdpStep s : steps) {
            if (s.passes() && (b == null || s.echoedPerSecond() > b.echoedPerSecond())) {
                b = s;
            }
        }
        return b;
    }

    /** Whether the sweep ended because the generator could not send the rate asked for. */
    boolean generatorLimited() {
        return generatorLimited;
    }
}
