package dev.isthmus.stack.spi;

import dev.isthmus.stack.Cancellable;
import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class AbstractWorkerTest {

    private static StackOptions opts(int workers) {
        return StackOptions.defaults().withWorkers(workers);
    }

    @Test
    void executeRunsOnTheWorkerThreadAndWakesIt() throws Exception {
        try (ParkingStack s = new ParkingStack(opts(2))) {
            for (int i = 0; i < 2; i++) {
                AbstractWorker w = s.worker(i);
                CompletableFuture<String> name = new CompletableFuture<>();
                w.execute(() -> name.complete(Thread.currentThread().getName() + " " + w.inWorkerThread()));
                assertEquals("isthmus-parking-worker-" + i + " true", name.get());
                assertFalse(w.inWorkerThread());
            }
            // Many tasks from many threads all run.
            CountDownLatch done = new CountDownLatch(4000);
            Thread[] ts = new Thread[4];
            for (int t = 0; t < ts.length; t++) {
                ts[t] = new Thread(() -> {
                    for (int i = 0; i < 1000; i++) {
                        s.worker(0).execute(done::countDown);
                    }
                });
                ts[t].start();
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertTrue(s.worker(0).stats().wakeups() > 0);
        }
    }

    @Test
    void parksThatFindNothingAreNotWakeups() throws Exception {
        // Parks of at most 200 µs: idle for 300 ms, that is over a thousand parks that run out their bound.
        try (ParkingStack s = new ParkingStack(opts(1), () -> new BackoffIdle(10, 2, 1_000, 200_000))) {
            AbstractWorker w = s.worker(0);
            Thread.sleep(300);
            long idle = w.stats().wakeups();
            assertTrue(idle <= 2, "an idle worker counted " + idle + " wakeups");
            for (int i = 0; i < 3; i++) {
                CompletableFuture<Boolean> ran = new CompletableFuture<>();
                Thread.sleep(20); // parked again
                w.execute(() -> ran.complete(true));
                assertTrue(ran.get(5, TimeUnit.SECONDS));
            }
            Thread.sleep(20); // the loop counts the wakeup after the task that completed the future
            long woken = w.stats().wakeups() - idle;
            assertTrue(woken >= 3 && woken <= 6, "three tasks woke it " + woken + " times");
            // A timer ends a park too.
            CountDownLatch fired = new CountDownLatch(1);
            long before = w.stats().wakeups();
            w.schedule(fired::countDown, 50, TimeUnit.MILLISECONDS);
            assertTrue(fired.await(5, TimeUnit.SECONDS));
            Thread.sleep(20);
            assertTrue(w.stats().wakeups() > before, "the timer's wakeup counted");
        }
    }

    @Test
    void timersRunInOrderAndCancelWorks() throws Exception {
        try (ParkingStack s = new ParkingStack(opts(1))) {
            AbstractWorker w = s.worker(0);
            List<Integer> ran = new CopyOnWriteArrayList<>();
            CountDownLatch last = new CountDownLatch(1);
            // Scheduled in one task, so that a stall of this thread between the calls (a loaded machine)
            // cannot reorder the deadlines, 150 ms apart so that neither can a stall of the worker thread
            // between two calls (seen: 20 ms gaps were overtaken); the cancel still comes from this thread.
            CompletableFuture<Cancellable> toCancel = new CompletableFuture<>();
            w.execute(() -> {
                w.schedule(() -> ran.add(3), 320, TimeUnit.MILLISECONDS);
                w.schedule(() -> ran.add(1), 20, TimeUnit.MILLISECONDS);
                toCancel.complete(w.schedule(() -> ran.add(99), 170, TimeUnit.MILLISECONDS));
                w.schedule(() -> ran.add(2), 170, TimeUnit.MILLISECONDS);
                w.schedule(last::countDown, 470, TimeUnit.MILLISECONDS);
            });
            Cancellable c = toCancel.get();
            assertTrue(c.cancel());
            assertTrue(last.await(5, TimeUnit.SECONDS));
            assertEquals(List.of(1, 2, 3), ran);
            assertThrows(IllegalArgumentException.class, () -> w.schedule(() -> { }, -1, TimeUnit.SECONDS));
        }
    }

    @Test
    void aTaskThatRequeuesItselfLetsTheWorkerPollEveryFewRuns() throws Exception {
        try (ParkingStack s = new ParkingStack(opts(1))) {
            ParkingStack.ParkingWorker w = (ParkingStack.ParkingWorker) s.worker(0);
            int runs = 20_000;
            CompletableFuture<int[]> done = new CompletableFuture<>();
            Runnable pacer = new Runnable() {
                int left = runs;
                int firstPolls = -1;

                @Override
                public void run() {
                    if (firstPolls < 0) {
                        firstPolls = w.polls;
                    }
                    if (--left > 0) {
                        w.execute(this); // a pacing loop, like the UDP load generator's
                    } else {
                        done.complete(new int[] {firstPolls, w.polls});
                    }
                }
            };
            w.execute(pacer);
            int[] polls = done.get(10, TimeUnit.SECONDS);
            // Before: up to 4096 runs of a self-requeuing task between two polls, so the device was polled
            // once per 4096 runs. Now at most MAX_REQUEUED_PER_TURN + 1 runs go between two polls.
            int per = AbstractWorker.MAX_REQUEUED_PER_TURN + 1;
            assertTrue(polls[1] - polls[0] >= runs / per - 1, "polls between the first and last run: " + (polls[1] - polls[0]));
        }
    }

    @Test
    void aTaskTheWorkerQueuedRunsBeforeOneAnotherThreadQueuedBecauseOfIt() throws Exception {
        try (ParkingStack s = new ParkingStack(opts(1))) {
            AbstractWorker w = s.worker(0);
            for (int round = 0; round < 300; round++) {
                List<String> order = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> queued = new CompletableFuture<>();
                CountDownLatch both = new CountDownLatch(2);
                w.execute(() -> {
                    w.execute(() -> {
                        order.add("worker's");
                        both.countDown();
                    });
                    queued.complete(null); // the other thread reacts to this at once
                });
                queued.get(5, TimeUnit.SECONDS);
                w.execute(() -> {
                    order.add("other's");
                    both.countDown();
                });
                assertTrue(both.await(5, TimeUnit.SECONDS));
                assertEquals(List.of("worker's", "other's"), order, "round " + round);
            }
        }
    }

    @Test
    void spinningWorkerStillRunsTasks() throws Exception {
        try (ParkingStack s = new ParkingStack(opts(1).withSpin(Duration.ofMillis(5)))) {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            s.worker(0).execute(() -> f.complete(true));
            assertTrue(f.get());
        }
    }

    @Test
    void closeIsIdempotentRejectsWorkerThreadsAndStopsWorkers() throws Exception {
        ParkingStack s = new ParkingStack(opts(2));
        CompletableFuture<Throwable> fromWorker = new CompletableFuture<>();
        s.worker(1).execute(() -> {
            try {
                s.close();
                fromWorker.complete(null);
            } catch (Throwable t) {
                fromWorker.complete(t);
            }
        });
        assertTrue(fromWorker.get() instanceof IllegalStateException, String.valueOf(fromWorker.get()));
        s.close();
        assertTrue(s.isClosed());
        s.close(Duration.ZERO);
        assertTrue(s.worker(0).hasStopped());
        assertThrows(RejectedExecutionException.class, () -> s.worker(0).execute(() -> { }));
    }

    @Test
    void closeStopsWaitingForAStuckWorkerWhenInterrupted() throws Exception {
        ParkingStack s = new ParkingStack(opts(1));
        ParkingStack.ParkingWorker w = (ParkingStack.ParkingWorker) s.worker(0);
        w.stuck = true;
        CompletableFuture<Boolean> interruptedAfterClose = new CompletableFuture<>();
        Thread closer = Thread.ofPlatform().start(() -> {
            s.close(Duration.ZERO);
            interruptedAfterClose.complete(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(200);
        assertFalse(interruptedAfterClose.isDone(), "close waits for the stuck worker");
        closer.interrupt(); // what JUnit's @Timeout does to a test thread
        assertTrue(interruptedAfterClose.get(5, TimeUnit.SECONDS), "close returned, the interrupt status kept");
        assertFalse(w.hasStopped());
        w.stuck = false;
        s.close(Duration.ZERO); // waits for the rest now
        assertTrue(w.hasStopped());
    }

    @Test
    void workerIndexIsChecked() throws Exception {
        try (ParkingStack s = new ParkingStack(opts(2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.chooseWorker(2));
            assertTrue(e.getMessage().contains("2 worker"), e.getMessage());
            assertEquals(1, s.chooseWorker(1).index());
        }
    }
}
