package dev.isthmus.stack.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleStrategyTest {
    private static final IdleStrategy.Parker NO_PARK = n -> { throw new AssertionError("parked for " + n); };

    @Test
    void blockWaitsInThePollerAfterEveryTurn() {
        IdleStrategy s = IdleStrategy.block();
        assertTrue(s.idle(0, NO_PARK));
        assertTrue(s.idle(5, NO_PARK), "with no spin window even a busy turn may block: poll returns at once");
    }

    @Test
    void spinThenBlockPollsForTheSpinWindowAfterTheLastWork() {
        long[] clock = {1_000};
        IdleStrategy s = new SpinThenBlockIdle(50_000, () -> clock[0]);
        assertFalse(s.idle(1, NO_PARK), "work: keep polling");
        clock[0] += 49_999;
        assertFalse(s.idle(0, NO_PARK), "still inside the window");
        clock[0] += 1;
        assertTrue(s.idle(0, NO_PARK), "window over: block");
        assertFalse(s.idle(3, NO_PARK), "new work restarts the window");
        clock[0] += 10_000;
        assertFalse(s.idle(0, NO_PARK));
        assertThrows(IllegalArgumentException.class, () -> new SpinThenBlockIdle(-1, () -> 0));
        assertTrue(IdleStrategy.spinThenBlock(Duration.ofMillis(1)).toString().contains("1000000"));
    }

    @Test
    void backoffSpinsThenYieldsThenParksWithAGrowingBound() {
        BackoffIdle s = new BackoffIdle(3, 2, 1_000, 5_000);
        List<Long> parks = new ArrayList<>();
        IdleStrategy.Parker parker = parks::add;
        assertFalse(s.idle(1, parker));
        assertEquals(BackoffIdle.Phase.WORKING, s.phase());
        for (int i = 0; i < 3; i++) {
            assertFalse(s.idle(0, parker), "never waits in the poller");
            assertEquals(BackoffIdle.Phase.SPINNING, s.phase());
        }
        for (int i = 0; i < 2; i++) {
            s.idle(0, parker);
            assertEquals(BackoffIdle.Phase.YIELDING, s.phase());
        }
        assertEquals(List.of(), parks);
        for (int i = 0; i < 5; i++) {
            s.idle(0, parker);
            assertEquals(BackoffIdle.Phase.PARKING, s.phase());
        }
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 5_000L, 5_000L), parks, "doubling up to the bound");
        s.idle(7, parker);
        assertEquals(BackoffIdle.Phase.WORKING, s.phase(), "work resets the back-off");
        s.idle(0, parker);
        assertEquals(BackoffIdle.Phase.SPINNING, s.phase());
    }

    @Test
    void backoffKeepsSpinningForItsSpinTimeThenYields() throws InterruptedException {
        List<Long> parks = new ArrayList<>();
        BackoffIdle long_ = new BackoffIdle(0, 10_000_000_000L, 2, 1_000, 5_000);
        long_.idle(1, parks::add);
        for (int i = 0; i < 10_000; i++) {
            long_.idle(0, parks::add);
            assertEquals(BackoffIdle.Phase.SPINNING, long_.phase(), "turn " + i + " is inside the 10 s spin time");
        }
        BackoffIdle short_ = new BackoffIdle(0, 1_000_000, 2, 1_000, 5_000);
        short_.idle(1, parks::add);
        short_.idle(0, parks::add);
        assertEquals(BackoffIdle.Phase.SPINNING, short_.phase());
        Thread.sleep(5);
        short_.idle(0, parks::add);
        assertEquals(BackoffIdle.Phase.YIELDING, short_.phase(), "1 ms after the last work it stops spinning");
        assertTrue(parks.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdle(0, -1, 0, 1, 1));
    }

    @Test
    void backoffWithoutSpinsOrYieldsParksAtOnce() {
        BackoffIdle s = new BackoffIdle(0, 0, 10, 10);
        List<Long> parks = new ArrayList<>();
        s.idle(0, parks::add);
        assertEquals(List.of(10L), parks);
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdle(-1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdle(0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdle(0, 0, 10, 5));
    }
}
