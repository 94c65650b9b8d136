package dev.isthmus.tests.conformance;

import dev.isthmus.stack.Cancellable;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.Worker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static dev.isthmus.tests.conformance.Fixtures.get;
import static org.junit.jupiter.api.Assertions.*;

/** Worker.execute from foreign threads and the timers. */
@Timeout(60)
class WorkerTest {

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    @ParameterizedTest(name = "[{0}] execute from a foreign thread: on the worker, in order")
    @MethodSource("stacks")
    void executeFromForeignThreads(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(2)) {
            assertEquals(2, stack.workers().size());
            for (Worker w : stack.workers()) {
                assertEquals(w, stack.workers().get(w.index()));
                assertSame(stack, w.stack());
                assertFalse(w.inWorkerThread(), "the test thread is no worker");
                ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
                AtomicBoolean wrongThread = new AtomicBoolean();
                int n = 1000;
                CountDownLatch done = new CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    int k = i;
                    w.execute(() -> {
                        if (!w.inWorkerThread()) {
                            wrongThread.set(true);
                        }
                        order.add(k);
                        done.countDown();
                    });
                }
                assertTrue(done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                assertFalse(wrongThread.get(), "a task ran off its worker");
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    expected.add(i);
                }
                assertEquals(expected, new ArrayList<>(order), "tasks from one thread run in submission order");
                // From the worker itself, execute runs after the current task returns.
                List<String> seq = java.util.Collections.synchronizedList(new ArrayList<>());
                CompletableFuture<Void> f = new CompletableFuture<>();
                w.execute(() -> {
                    w.execute(() -> {
                        seq.add("inner");
                        f.complete(null);
                    });
                    seq.add("outer");
                });
                get(f);
                assertEquals(List.of("outer", "inner"), seq);
            }
            // Many threads at once, some of them virtual.
            Worker w0 = stack.workers().get(0);
            CountDownLatch all = new CountDownLatch(8 * 500);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread.Builder b = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
                ts.add(b.start(() -> {
                    for (int i = 0; i < 500; i++) {
                        w0.execute(all::countDown);
                    }
                }));
            }
            assertTrue(all.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "tasks lost: " + all.getCount());
            for (Thread t : ts) {
                t.join(WAIT);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] timers: in deadline order, not early, cancellable")
    @MethodSource("stacks")
    void timers(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1)) {
            Worker w = stack.workers().get(0);
            ConcurrentLinkedQueue<Integer> fired = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(3);
            long t0 = System.nanoTime();
            int[] delays = {150, 50, 100, 120};
            List<Cancellable> handles = new ArrayList<>();
            for (int d : delays) {
                handles.add(w.schedule(() -> {
                    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    if (elapsed < d - 1) {
                        problems.add("timer of " + d + " ms fired after " + elapsed + " ms");
                    }
                    if (!w.inWorkerThread()) {
                        problems.add("timer ran off the worker");
                    }
                    fired.add(d);
                    done.countDown();
                }, d, TimeUnit.MILLISECONDS));
            }
            assertTrue(handles.get(3).cancel(), "cancel before it ran");
            assertFalse(handles.get(3).cancel(), "a second cancel returns false");
            assertTrue(done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            Thread.sleep(100); // give the cancelled one (120 ms) a chance to fire wrongly
            assertEquals(List.of(50, 100, 150), new ArrayList<>(fired));
            assertTrue(problems.isEmpty(), problems.toString());
            assertFalse(handles.get(1).cancel(), "cancel after it ran returns false");

            // A zero delay runs soon; a timer scheduled from the worker itself works too.
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            w.execute(() -> w.schedule(() -> f.complete(w.inWorkerThread()), 0, TimeUnit.MILLISECONDS));
            assertTrue(get(f));
            // Equal deadlines keep their scheduling order.
            ConcurrentLinkedQueue<Integer> same = new ConcurrentLinkedQueue<>();
            CountDownLatch sameDone = new CountDownLatch(20);
            CompletableFuture<Void> scheduled = new CompletableFuture<>();
            w.execute(() -> {
                for (int i = 0; i < 20; i++) {
                    int k = i;
                    w.schedule(() -> {
                        same.add(k);
                        sameDone.countDown();
                    }, 20, TimeUnit.MILLISECONDS);
                }
                scheduled.complete(null);
            });
            get(scheduled);
            assertTrue(sameDone.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            List<Integer> exp = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                exp.add(i);
            }
            assertEquals(exp, new ArrayList<>(same), "timers with the same deadline in scheduling order");
        }
    }

    @ParameterizedTest(name = "[{0}] execute and schedule after close are rejected")
    @MethodSource("stacks")
    void rejectedAfterClose(StackUnderTest sut) throws Exception {
        NetworkStack stack = sut.open(1);
        Worker w = stack.workers().get(0);
        AtomicBoolean ran = new AtomicBoolean();
        Cancellable pending = w.schedule(() -> ran.set(true), 1, TimeUnit.HOURS);
        stack.close();
        assertThrows(RejectedExecutionException.class, () -> w.execute(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> w.schedule(() -> { }, 1, TimeUnit.MILLISECONDS));
        assertFalse(ran.get(), "a timer far in the future must not run at close");
        pending.cancel(); // harmless after close
        stack.close(); // idempotent
    }
}
