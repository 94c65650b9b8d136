package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an interleaved round reports for one server: sums over its slices, and which latencies. */
class SliceTotalsTest {

    private static WrkDriver.Report report(long requests, long p50, long p99, long p999, long max) {
        return new WrkDriver.Report(requests, 1_000_000, 0, 0, p50, p99, p999, max);
    }

    @Test
    void cpuPerRequestIsTheSumsRatioNotTheMeanOfTheSlices() {
        SliceTotals t = new SliceTotals();
        Instant a = Instant.parse("2026-11-30T00:00:00Z");
        // 1,000 requests at 10 µs user+system each, then 3,000 at 6 µs (2 µs of it user)
        t.add(report(1_000, 100, 900, 1_500, 2_000), 4_000_000, 6_000_000, a, a.plusSeconds(1));
        t.add(report(3_000, 300, 700, 1_000, 9_000), 6_000_000, 12_000_000, a.plusSeconds(3), a.plusSeconds(4));
        assertEquals(2, t.slices());
        assertEquals(4_000, t.requests());
        assertEquals(2.0, t.seconds(), 1e-9);
        assertEquals((10_000_000 + 18_000_000) / 4_000.0, t.cpuNanosPerRequest(), 1e-9); // 7,000, not the slices' mean 8,000
        assertEquals(10_000_000 / 4_000.0, t.userNanosPerRequest(), 1e-9);
        assertEquals(a, t.first());
        assertEquals(a.plusSeconds(4), t.last());
    }

    @Test
    void latenciesAreTheMedianSlicesAndTheHighestMaximum() {
        SliceTotals t = new SliceTotals();
        Instant a = Instant.now();
        t.add(report(10, 400, 5_000, 9_000, 12_000), 0, 0, a, a); // the slice right after a resume, slow
        t.add(report(10, 200, 900, 1_200, 1_300), 0, 0, a, a);
        t.add(report(10, 300, 1_000, 1_100, 1_400), 0, 0, a, a);
        assertEquals(300, t.p50());
        assertEquals(1_000, t.p99());
        assertEquals(1_200, t.p999());
        assertEquals(12_000, t.max());
    }

    @Test
    void medianOfAnEvenCountIsTheLowerMiddleAndOfNoneZero() {
        assertEquals(2, SliceTotals.median(List.of(4L, 1L, 3L, 2L)));
        assertEquals(0, SliceTotals.median(List.of()));
        SliceTotals empty = new SliceTotals();
        assertTrue(Double.isNaN(empty.cpuNanosPerRequest()) && Double.isNaN(empty.userNanosPerRequest()));
    }
}
