package dev.isthmus.uring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BatchedWaitTest {

    @Test
    void startsWithAPlainWaitForOneArrival() {
        BatchedWait b = new BatchedWait(16, 50);
        assertEquals(1, b.target());
        assertEquals(1, b.minComplete(0));
        assertEquals(4, b.minComplete(3), "inline sends' completions come on top of the arrivals");
    }

    @Test
    void followsTheArrivalsOfTheLastTurnUpToMax() {
        BatchedWait b = new BatchedWait(16, 50);
        b.turnEnded(10, 3);
        assertEquals(7, b.target());
        assertEquals(9, b.minComplete(2));
        b.turnEnded(100, 10);
        assertEquals(16, b.target(), "capped at max");
        b.turnEnded(2, 1);
        assertEquals(1, b.target(), "a quiet turn goes back to one");
        b.turnEnded(0, 0);
        assertEquals(1, b.target());
        b.turnEnded(3, 5);
        assertEquals(1, b.target(), "fewer completions than sends (e.g. after a mid-turn submit) is not below one");
    }

    @Test
    void fitsOnlyDeadlinesBeyondTheMinWait() {
        BatchedWait b = new BatchedWait(16, 50);
        assertTrue(b.fits(-1), "no deadline");
        assertTrue(b.fits(50_001));
        assertFalse(b.fits(50_000));
        assertFalse(b.fits(0));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new BatchedWait(0, 50));
        assertThrows(IllegalArgumentException.class, () -> new BatchedWait(16, 0));
    }
}
