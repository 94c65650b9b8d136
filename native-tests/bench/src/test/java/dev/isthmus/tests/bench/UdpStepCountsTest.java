package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UDP load's accounting: sent, echoed, late, wrong, refused, lost, and the payload it rests on. */
class UdpStepCountsTest {

    private static MemorySegment datagram(Arena arena, int size, int step, long sentAt) {
        MemorySegment d = arena.allocate(size);
        UdpPayload.fill(d);
        UdpPayload.stamp(d, step, sentAt);
        return d;
    }

    @Test
    void echoesOfThisStepCountLateOnesAndChangedOnesDoNot() {
        try (Arena arena = Arena.ofConfined()) {
            UdpStepCounts c = new UdpStepCounts(64);
            c.begin(7);
            c.sent(10);
            c.refused(2);
            for (int i = 0; i < 6; i++) {
                c.echo(datagram(arena, 64, 7, 1_000), false, 51_000); // 50 µs round trip
            }
            c.echo(datagram(arena, 64, 6, 0), false, 2_000); // an echo of the step before
            MemorySegment changed = datagram(arena, 64, 7, 0);
            changed.set(ValueLayout.JAVA_BYTE, 40, (byte) 0);
            c.echo(changed, false, 2_000);
            c.echo(datagram(arena, 63, 7, 0), false, 2_000); // cut short
            c.echo(datagram(arena, 64, 7, 0), true, 2_000); // truncated by the stack
            assertEquals(4, c.outstanding());
            c.pump(true);
            c.pump(false);
            c.pump(true);
            c.pump(true);

            UdpStep s = c.result(10, 1, 10);
            assertEquals(10, s.sent());
            assertEquals(2, s.refused());
            assertEquals(6, s.echoed());
            assertEquals(1, s.late());
            assertEquals(3, s.wrong());
            assertEquals(4, s.lost());
            assertEquals(0.4, s.loss(), 1e-9);
            assertEquals(0.75, s.idleShare(), 1e-9);
            assertEquals(6, s.latency().getTotalCount());
            assertEquals(50_000, s.latency().getValueAtPercentile(50), 50);
            assertFalse(s.passes());
            assertTrue(s.describe().contains("lost 4 (40.000 %)"), s.describe());
        }
    }

    @Test
    void beginResetsEverything() {
        try (Arena arena = Arena.ofConfined()) {
            UdpStepCounts c = new UdpStepCounts(16);
            c.begin(1);
            c.sent(3);
            c.echo(datagram(arena, 16, 1, 0), false, 1);
            c.begin(2);
            UdpStep s = c.result(1, 1, 1);
            assertEquals(0, s.sent() + s.echoed() + s.late() + s.wrong() + s.refused());
            assertEquals(0, s.latency().getTotalCount());
            c.echo(datagram(arena, 16, 1, 0), false, 1);
            assertEquals(1, c.result(1, 1, 1).late(), "an echo of step 1 is late in step 2");
        }
    }

    @Test
    void lanesAddUpAndTheBusierLanesHeadroomIsKept() {
        UdpStep a = new UdpStep(500, 1, 500, 500, 0, 499, 1, 0, 0.9, new org.HdrHistogram.Histogram(3));
        UdpStep b = new UdpStep(500, 1, 500, 500, 1, 500, 0, 2, 0.2, new org.HdrHistogram.Histogram(3));
        UdpStep s = a.plus(b);
        assertEquals(1000, s.rate());
        assertEquals(1000, s.sent());
        assertEquals(1000, s.sentOnTime());
        assertEquals(999, s.echoed());
        assertEquals(1, s.refused());
        assertEquals(1, s.late());
        assertEquals(2, s.wrong());
        assertEquals(0.2, s.idleShare(), 1e-9);
    }

    @Test
    void aGeneratorThatSentLessThanAskedDidNotKeepUp() {
        assertTrue(new UdpStep(1000, 2, 1900, 2000, 0, 2000, 0, 0, 0, new org.HdrHistogram.Histogram(3)).generatorKeptUp());
        assertFalse(new UdpStep(1000, 2, 1899, 2000, 0, 2000, 0, 0, 0, new org.HdrHistogram.Histogram(3)).generatorKeptUp(),
                "all sent, but over 5 % of them after the step's time");
    }

    @Test
    void payloadSizesOutsideOneFrameAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UdpStepCounts(UdpPayload.MIN_SIZE - 1));
        assertThrows(IllegalArgumentException.class, () -> new UdpStepCounts(1473));
    }
}
