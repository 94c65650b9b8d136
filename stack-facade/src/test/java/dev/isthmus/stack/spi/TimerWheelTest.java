package dev.isthmus.stack.spi;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerWheelTest {
    private static final long TICK = 1_000;
    private static final Runnable NOTHING = () -> { };

    /** The fake clock of the wheels made by {@link #wheel()}. */
    private final long[] clock = {0};

    /** A wheel of 64 ticks of 1 µs whose tick 0 starts at time 0, on {@link #clock}. */
    private TimerWheel wheel() {
        return new TimerWheel(TICK, 64, () -> clock[0]);
    }

    private int expire(TimerWheel w, long now) {
        clock[0] = now;
        return w.expire(now, e -> { throw new AssertionError(e); });
    }

    @Test
    void runsTimersAtTheirTickInDeadlineThenArmingOrder() {
        TimerWheel w = wheel();
        List<String> ran = new ArrayList<>();
        w.newTimeout(() -> ran.add("c")).armAt(3_000);
        w.newTimeout(() -> ran.add("a1")).armAt(1_000);
        w.newTimeout(() -> ran.add("b")).armAt(1_500);
        w.newTimeout(() -> ran.add("a2")).armAt(1_000);
        assertEquals(1_000, w.nanosUntilNext(0));
        assertEquals(0, expire(w, 999), "never before the deadline");
        assertEquals(2, expire(w, 1_000));
        assertEquals(List.of("a1", "a2"), ran);
        assertEquals(500, w.nanosUntilNext(1_500), "b rounds up to tick 2");
        assertEquals(0, expire(w, 1_999));
        assertEquals(2, expire(w, 5_000));
        assertEquals(List.of("a1", "a2", "b", "c"), ran);
        assertEquals(-1, w.nanosUntilNext(5_000));
        assertEquals(0, w.armed());
    }

    @Test
    void reArmingMovesTheDeadlineAndCancelDisarms() {
        TimerWheel w = wheel();
        int[] runs = {0};
        Timeout t = w.newTimeout(() -> runs[0]++);
        t.armAt(2_000);
        t.armAt(10_000);
        assertTrue(t.isArmed());
        assertEquals(1, w.armed(), "re-arming does not add a second entry");
        assertEquals(0, expire(w, 9_000));
        assertEquals(1, expire(w, 10_000));
        assertFalse(t.isArmed());
        t.armAt(12_000);
        assertTrue(t.cancel());
        assertFalse(t.cancel(), "a second cancel does nothing");
        assertEquals(-1, w.nanosUntilNext(12_000));
        assertEquals(0, expire(w, 20_000));
        assertEquals(1, runs[0]);
    }

    @Test
    void deadlinesBeyondOneTurnWaitForTheirOwnTurn() {
        TimerWheel w = wheel();
        List<Long> ranAt = new ArrayList<>();
        long[] now = {0};
        // 64 ticks per turn: 100 and 164 share slot 36 with 36.
        for (long d : new long[]{164_000, 100_000, 36_000}) {
            w.newTimeout(() -> ranAt.add(now[0])).armAt(d);
        }
        for (now[0] = 0; now[0] <= 200_000; now[0] += 500) {
            expire(w, now[0]);
        }
        assertEquals(List.of(36_000L, 100_000L, 164_000L), ranAt);
        // A sleeping worker wakes at the occupied slot even if its entry is a turn away, at most once a turn.
        w.newTimeout(NOTHING).armAt(400_000);
        long wait = w.nanosUntilNext(200_000);
        assertTrue(wait > 0 && wait <= 64 * TICK, "woken within a turn, was " + wait);
    }

    @Test
    void aLongStallRunsEverythingDueInOrder() {
        TimerWheel w = wheel();
        List<Integer> ran = new ArrayList<>();
        for (int i = 9; i >= 0; i--) {
            int k = i;
            w.newTimeout(() -> ran.add(k)).armAt((k + 1) * 50_000L);
        }
        assertEquals(10, expire(w, 10_000_000), "ten turns later, all at once");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ran);
    }

    @Test
    void anActionMayReArmItselfAndCancelItsNeighbour() {
        TimerWheel w = wheel();
        List<String> ran = new ArrayList<>();
        Timeout[] t = new Timeout[3];
        t[1] = w.newTimeout(() -> ran.add("cancelled"));
        t[2] = w.newTimeout(() -> ran.add("third"));
        t[0] = w.newTimeout(() -> {
            ran.add("first");
            t[1].cancel();
            if (ran.size() < 3) {
                t[0].armAt(1_000); // due now: runs on the next expire, not in this one
            }
        });
        t[0].armAt(1_000);
        t[1].armAt(1_000);
        t[2].armAt(1_000);
        assertEquals(2, expire(w, 1_000));
        assertEquals(List.of("first", "third"), ran);
        assertTrue(t[0].isArmed());
        assertEquals(1, expire(w, 2_000));
        assertEquals(List.of("first", "third", "first"), ran);
    }

    @Test
    void aThrowingActionDoesNotStopTheOthers() {
        TimerWheel w = wheel();
        List<Throwable> errors = new ArrayList<>();
        int[] runs = {0};
        w.newTimeout(() -> { throw new IllegalStateException("boom"); }).armAt(1_000);
        w.newTimeout(() -> runs[0]++).armAt(1_000);
        assertEquals(2, w.expire(1_000, errors::add));
        assertEquals(1, runs[0]);
        assertEquals("boom", errors.getFirst().getMessage());
    }

    @Test
    void manyTimersAtOnceAgreeWithASortedModel() {
        TimerWheel w = new TimerWheel(TICK, 256, () -> clock[0]);
        Random r = new Random(42);
        int n = 20_000;
        long[] deadline = new long[n];
        long[] firedAt = new long[n];
        Timeout[] ts = new Timeout[n];
        long[] now = {0};
        for (int i = 0; i < n; i++) {
            int k = i;
            ts[i] = w.newTimeout(() -> firedAt[k] = now[0]);
            deadline[i] = 1 + r.nextInt(2_000_000); // up to 2000 ticks: eight turns of this wheel
            ts[i].armAt(deadline[i]);
        }
        // Re-arm a third, cancel a tenth.
        for (int i = 0; i < n; i += 3) {
            deadline[i] = 1 + r.nextInt(2_000_000);
            ts[i].armAt(deadline[i]);
        }
        for (int i = 0; i < n; i += 10) {
            ts[i].cancel();
            deadline[i] = -1;
        }
        int fired = 0;
        while (w.armed() > 0) {
            long wait = w.nanosUntilNext(now[0]);
            assertTrue(wait >= 0 && wait <= 256 * TICK);
            now[0] += Math.max(wait, 1);
            fired += expire(w, now[0]);
        }
        int expected = 0;
        for (int i = 0; i < n; i++) {
            if (deadline[i] < 0) {
                assertEquals(0, firedAt[i], "cancelled timer " + i + " ran");
                continue;
            }
            expected++;
            assertTrue(firedAt[i] >= deadline[i], "timer " + i + " ran early");
            assertTrue(firedAt[i] < deadline[i] + TICK, "timer " + i + " ran more than a tick late: due "
                    + deadline[i] + ", ran " + firedAt[i]);
        }
        assertEquals(expected, fired);
    }

    @Test
    void reArmingAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        TimerWheel w = new TimerWheel();
        long tid = Thread.currentThread().threadId();
        int[] runs = {0};
        Timeout[] ts = new Timeout[64];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = w.newTimeout(() -> runs[0]++);
        }
        rearm(w, ts, 200_000); // warm-up: let the JIT compile the loop
        int rearms = 1_000_000;
        long before = mx.getThreadAllocatedBytes(tid);
        rearm(w, ts, rearms);
        long after = mx.getThreadAllocatedBytes(tid);
        double perRearm = (double) (after - before) / rearms;
        System.out.printf("timer wheel: %d bytes over %d re-arms = %.5f bytes/re-arm%n", after - before, rearms, perRearm);
        assertTrue(perRearm < 1.0, (after - before) + " bytes allocated for " + rearms + " re-arms");
        assertEquals(ts.length, w.armed());
    }

    /** What a TCP sender does per segment: push the retransmission deadline out, sometimes cancel, expire. */
    private static void rearm(TimerWheel w, Timeout[] ts, int n) {
        for (int i = 0; i < n; i++) {
            Timeout t = ts[i & (ts.length - 1)];
            t.arm(200_000_000L + (i & 1023) * 1_000L);
            if ((i & 255) == 0) {
                t.cancel();
                t.arm(1_000_000L);
            }
            if ((i & 1023) == 0) {
                w.expire(System.nanoTime(), e -> { });
            }
        }
    }

    @Test
    void badArgumentsFailFast() {
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel(0, 64, System::nanoTime));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel(1, 100, System::nanoTime));
        assertThrows(IllegalArgumentException.class, () -> wheel().newTimeout(NOTHING).arm(-1));
        assertThrows(NullPointerException.class, () -> wheel().newTimeout(null));
    }

    @Test
    void onlyTheOwnerThreadMayArm() throws Exception {
        TimerWheel w = wheel();
        Timeout t = w.newTimeout(NOTHING);
        Thread owner = new Thread(() -> { });
        w.owner(owner);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.arm(5));
        assertTrue(e.getMessage().contains("Worker.schedule"), e.getMessage());
    }
}
