package dev.isthmus.epoll;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The eventfd is written only when the worker is, or is about to be, asleep in epoll_wait. */
@Timeout(30)
class WakeupTest {

    @Test
    void noEventfdWriteWhileTheWorkerIsBusy() throws Exception {
        try (EpollNetworkStack stack = EpollTesting.open(1)) {
            EpollWorker w = stack.epollWorker(0);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            w.execute(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(running.await(10, TimeUnit.SECONDS));
            long before = w.eventfdWrites();
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 1000; i++) {
                w.execute(ran::incrementAndGet);
            }
            // The worker is inside a task, so its sleeping flag is clear: no task may write the eventfd.
            assertEquals(before, w.eventfdWrites(), "eventfd writes while the worker was running a task");
            release.countDown();
            EpollTesting.on(w, () -> null);
            assertEquals(1000, ran.get());
        }
    }

    @Test
    void tasksFromTheWorkerItselfNeverWriteTheEventfd() throws Exception {
        try (EpollNetworkStack stack = EpollTesting.open(1)) {
            EpollWorker w = stack.epollWorker(0);
            long before = w.eventfdWrites();
            CountDownLatch done = new CountDownLatch(100);
            long during = EpollTesting.on(w, () -> {
                for (int i = 0; i < 100; i++) {
                    w.execute(done::countDown);
                }
                return w.eventfdWrites();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            // The call() above itself may have woken the sleeping worker once; the 100 inner ones did not.
            assertTrue(during - before <= 1, "writes: " + (during - before));
        }
    }

    @Test
    void aSleepingWorkerIsWokenByOneWrite() throws Exception {
        try (EpollNetworkStack stack = EpollTesting.open(1)) {
            EpollWorker w = stack.epollWorker(0);
            // Idle with no timers: the worker blocks in epoll_wait(-1) and only the eventfd can wake it.
            long waitsBefore = EpollTesting.on(w, () -> w.epollWaits);
            Thread.sleep(100);
            long before = w.eventfdWrites();
            CountDownLatch ran = new CountDownLatch(1);
            w.execute(ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS), "the task ran, so the sleeping worker was woken");
            assertEquals(before + 1, w.eventfdWrites(), "one eventfd write for one task to a sleeping worker");
            long waitsAfter = EpollTesting.on(w, () -> w.epollWaits);
            assertTrue(waitsAfter - waitsBefore < 10, "an idle worker does not spin: " + (waitsAfter - waitsBefore) + " epoll_waits");
        }
    }
}
