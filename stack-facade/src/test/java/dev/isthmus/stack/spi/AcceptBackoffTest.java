package dev.isthmus.stack.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AcceptBackoffTest {

    @Test
    void doublesFromOneMillisecondToTheCap() {
        AcceptBackoff b = new AcceptBackoff();
        long[] expected = {1_000_000L, 2_000_000L, 4_000_000L, 8_000_000L, 16_000_000L, 32_000_000L, 64_000_000L,
                100_000_000L, 100_000_000L, 100_000_000L};
        for (long e : expected) {
            assertEquals(e, b.nextDelayNanos());
        }
        assertEquals(expected.length, b.failures());
    }

    @Test
    void aSuccessfulAcceptStartsOverButKeepsTheCount() {
        AcceptBackoff b = new AcceptBackoff();
        b.nextDelayNanos();
        b.nextDelayNanos();
        assertEquals(4_000_000L, b.nextDelayNanos());
        b.reset();
        assertEquals(AcceptBackoff.MIN_DELAY_NANOS, b.nextDelayNanos());
        assertEquals(2 * AcceptBackoff.MIN_DELAY_NANOS, b.nextDelayNanos());
        assertEquals(5, b.failures(), "reset does not forget how often accept failed");
    }

    @Test
    void capIsReachedAndNeverPassedOverALongShortage() {
        AcceptBackoff b = new AcceptBackoff();
        long total = 0;
        for (int i = 0; i < 1000; i++) {
            long d = b.nextDelayNanos();
            assertTrue(d >= AcceptBackoff.MIN_DELAY_NANOS && d <= AcceptBackoff.MAX_DELAY_NANOS, "delay " + d);
            total += d;
        }
        // After the ramp every pause is the cap: a thousand failures take about a thousand caps, no spinning.
        assertTrue(total > 990 * AcceptBackoff.MAX_DELAY_NANOS, "total " + total);
    }
}
