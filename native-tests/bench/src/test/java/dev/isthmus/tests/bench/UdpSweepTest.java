package dev.isthmus.tests.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep's choice of rates and of the figure, on made-up steps (no network). */
class UdpSweepTest {

    /** A 1-second step at {@code rate} that sent all of it and lost {@code lost}. */
    static UdpStep step(long rate, long lost) {
        return new UdpStep(rate, 1, rate, rate, 0, rate - lost, 0, 0, 0.5, new Histogram(3));
    }

    /** Runs the sweep against a server that loses what it gets above {@code capacity} per second. */
    static List<Long> run(UdpSweep sweep, LongFunction<UdpStep> server) {
        List<Long> rates = new ArrayList<>();
        for (long r = sweep.nextRate(); r > 0; r = sweep.nextRate()) {
            rates.add(r);
            sweep.record(server.apply(r));
        }
        return rates;
    }

    @Test
    void rampsUntilLossThenBisectsBetweenTheLastPassAndTheFirstFailure() {
        UdpSweep sweep = new UdpSweep(1000, 2, 2, 1_000_000);
        List<Long> rates = run(sweep, r -> step(r, r > 5000 ? r - 5000 : 0));
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 6000L, 5000L), rates);
        assertEquals(5000, sweep.best().rate());
        assertFalse(sweep.generatorLimited());
    }

    @Test
    void lossAtTheThresholdFailsAndJustUnderPasses() {
        assertFalse(step(100_000, 100).passes(), "0.1 % is not under 0.1 %");
        assertTrue(step(100_000, 99).passes());
        UdpStep wrong = new UdpStep(1000, 1, 1000, 1000, 0, 1000, 0, 1, 1, new Histogram(3));
        assertFalse(wrong.passes(), "a changed echo fails the step");
        UdpStep refused = new UdpStep(1000, 1, 1000, 999, 1, 999, 0, 0, 1, new Histogram(3));
        assertFalse(refused.passes(), "a datagram the client could not send fails the step");
    }

    @Test
    void aGeneratorThatFallsBehindEndsTheSweepAndIsSaid() {
        UdpSweep sweep = new UdpSweep(1000, 2, 2, 1_000_000);
        List<Long> rates = run(sweep, r -> r <= 2000 ? step(r, 0)
                : new UdpStep(r, 1, 3000, r, 0, r, 0, 0, 0, new Histogram(3))); // 3000/s at most
        assertEquals(List.of(1000L, 2000L, 4000L), rates);
        assertTrue(sweep.generatorLimited());
        assertEquals(2000, sweep.best().rate());
    }

    @Test
    void aFixedRateIsOneStep() {
        UdpSweep sweep = new UdpSweep(7000, 1, 0, 7000);
        assertEquals(List.of(7000L), run(sweep, r -> step(r, 0)));
        assertEquals(7000, sweep.best().rate());
    }

    @Test
    void aFailingFirstStepHalvesTheRateUntilOnePassesThenBisects() {
        UdpSweep sweep = new UdpSweep(16000, 2, 2, 1_000_000);
        List<Long> rates = run(sweep, r -> step(r, r > 5000 ? r - 5000 : 0));
        assertEquals(List.of(16000L, 8000L, 4000L, 6000L, 5000L), rates);
        assertEquals(5000, sweep.best().rate());
    }

    @Test
    void noPassingStepGivesNoFigureAfterTheHalvings() {
        UdpSweep sweep = new UdpSweep(16000, 2, 2, 1_000_000);
        assertEquals(List.of(16000L, 8000L, 4000L, 2000L, 1000L), run(sweep, r -> step(r, r)));
        assertNull(sweep.best());
    }

    @Test
    void boundedByItsMaximumRateAndStepCount() {
        UdpSweep capped = new UdpSweep(1000, 2, 2, 10_000);
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L), run(capped, r -> step(r, 0)));
        UdpSweep slow = new UdpSweep(1, 1.01, 2, Long.MAX_VALUE / 4);
        assertEquals(UdpSweep.MAX_STEPS, run(slow, r -> step(r, 0)).size());
    }

    @Test
    void theBestIsTheStepThatEchoedTheMostAmongThosePassing() {
        UdpSweep sweep = new UdpSweep(1000, 2, 1, 1_000_000);
        UdpStep a = step(1000, 0);
        UdpStep b = step(2000, 1);
        sweep.record(a);
        sweep.record(b);
        sweep.record(step(4000, 2000));
        assertSame(b, sweep.best());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UdpSweep(0, 2, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new UdpSweep(10, 0.5, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new UdpSweep(10, 2, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> new UdpSweep(10, 2, 0, 5));
    }
}
