package dev.isthmus.stack.spi;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerQueueTest {

    @Test
    void runsDueTimersInDeadlineThenInsertionOrder() {
        TimerQueue q = new TimerQueue();
        List<String> ran = new ArrayList<>();
        q.add(300, () -> ran.add("c"));
        q.add(100, () -> ran.add("a1"));
        q.add(200, () -> ran.add("b"));
        q.add(100, () -> ran.add("a2"));
        assertEquals(100, q.nanosUntilNext(0));
        assertEquals(0, q.nanosUntilNext(150));
        assertEquals(3, q.runDue(200, e -> { }));
        assertEquals(List.of("a1", "a2", "b"), ran);
        assertEquals(100, q.nanosUntilNext(200));
        assertEquals(1, q.runDue(1000, e -> { }));
        assertEquals(-1, q.nanosUntilNext(1000));
    }

    @Test
    void cancelledTimersDoNotRun() {
        TimerQueue q = new TimerQueue();
        List<Integer> ran = new ArrayList<>();
        TimerQueue.Timer t1 = q.add(10, () -> ran.add(1));
        q.add(20, () -> ran.add(2));
        assertTrue(t1.cancel());
        assertFalse(t1.cancel(), "second cancel does nothing");
        assertEquals(1, q.size(), "cancel without an owner thread removes at once");
        q.runDue(100, e -> { });
        assertEquals(List.of(2), ran);
    }

    @Test
    void cancelFromAnotherThreadIsDroppedLazily() throws Exception {
        TimerQueue q = new TimerQueue();
        q.owner(Thread.currentThread());
        List<Integer> ran = new ArrayList<>();
        TimerQueue.Timer t = q.add(10, () -> ran.add(1));
        Thread other = new Thread(t::cancel);
        other.start();
        other.join();
        assertEquals(1, q.size());
        assertEquals(-1, q.nanosUntilNext(0));
        assertEquals(0, q.runDue(100, e -> { }));
        assertTrue(ran.isEmpty());
    }

    @Test
    void firedTimerCannotBeCancelledAndAThrowingTaskDoesNotStopOthers() {
        TimerQueue q = new TimerQueue();
        List<Throwable> errors = new ArrayList<>();
        List<Integer> ran = new ArrayList<>();
        TimerQueue.Timer t = q.add(1, () -> {
            throw new IllegalStateException("boom");
        });
        q.add(2, () -> ran.add(2));
        assertEquals(2, q.runDue(5, errors::add));
        assertEquals(1, errors.size());
        assertEquals(List.of(2), ran);
        assertFalse(t.cancel());
    }

    @Test
    void heapStaysOrderedUnderRandomInsertAndCancel() {
        TimerQueue q = new TimerQueue();
        Random r = new Random(42);
        List<Long> fired = new ArrayList<>();
        List<TimerQueue.Timer> timers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long d = r.nextInt(10_000);
            timers.add(q.add(d, () -> fired.add(d)));
        }
        int cancelled = 0;
        for (int i = 0; i < timers.size(); i += 3) {
            assertTrue(timers.get(i).cancel());
            cancelled++;
        }
        q.runDue(20_000, e -> { });
        assertEquals(500 - cancelled, fired.size());
        for (int i = 1; i < fired.size(); i++) {
            assertTrue(fired.get(i - 1) <= fired.get(i), "out of order at " + i);
        }
    }
}
