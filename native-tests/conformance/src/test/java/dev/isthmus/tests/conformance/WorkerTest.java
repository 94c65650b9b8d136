package dev.isthmus.tests.conformance;

import dev.isthmus.stack.Cancellable;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.Worker;
import dev.isthmus.stack.WorkerStats;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
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

/** Worker.execute from foreign threads, the timers, and the per-worker statistics. */
@ExtendWith(LeakCheck.class)
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

    /** {@code after - before}, field by field. */
    private static WorkerStats delta(WorkerStats after, WorkerStats before) {
        return new WorkerStats(after.connections() - before.connections(), after.accepted() - before.accepted(),
                after.bytesRead() - before.bytesRead(), after.bytesWritten() - before.bytesWritten(),
                after.reads() - before.reads(), after.writes() - before.writes(),
                after.syscalls() - before.syscalls(), after.wakeups() - before.wakeups(),
                after.loopTurns() - before.loopTurns(), after.buffersLent() - before.buffersLent());
    }

    /**
     * A free local port for a kernel peer at {@link StackUnderTest#peerIpv4()} whose flow to {@code server}
     * the dpdk stack places on {@code worker}: the Toeplitz hash of the 4-tuple as received, over the
     * Microsoft key and a 128-entry table spread round robin, what {@code RssPlacement} computes.
     */
    private static int portHashingTo(int worker, InetSocketAddress server, StackUnderTest sut) throws Exception {
        dev.isthmus.stack.spi.RssPlacement rss = new dev.isthmus.stack.spi.RssPlacement(
                dev.isthmus.stack.spi.ToeplitzHash.microsoft(), 2);
        for (int port = 40000; port < 60000; port++) {
            if (rss.inboundWorker(new InetSocketAddress(sut.peerIpv4(), port), server) == worker) {
                try (java.net.ServerSocket probe = new java.net.ServerSocket(port, 1, sut.peerIpv4())) {
                    return port; // free now; the test binds it at once
                } catch (java.io.IOException inUse) {
                    // next
                }
            }
        }
        throw new AssertionError("no free port hashing to worker " + worker);
    }

    @ParameterizedTest(name = "[{0}] stats: connections, accepted, bytes, reads, writes, syscalls on the right worker")
    @MethodSource("stacks")
    void stats(StackUnderTest sut) throws Exception {
        int sent = 100_000;
        try (NetworkStack stack = sut.open(2)) {
            Worker w0 = stack.workers().get(0);
            Worker w1 = stack.workers().get(1);
            WorkerStats before0 = w0.stats();
            WorkerStats before1 = w1.stats();
            // Server side on worker 1: a plain Socket sends 100,000 bytes and reads the echo back. On dpdk,
            // which has no FIXED strategy (a flow lives on the worker its RSS hash names), the peer binds a
            // local port whose flow hashes to worker 1.
            Recorder server = Recorder.echo();
            ListenOptions lo = sut.isDpdk() ? ListenOptions.defaults() : ListenOptions.defaults().withFixedWorker(1);
            try (Listener l = stack.listen(new InetSocketAddress(sut.ipv4(), 0), lo, () -> server)) {
                try (Socket peer = new Socket()) {
                    if (sut.isDpdk()) {
                        peer.bind(new InetSocketAddress(sut.peerIpv4(), portHashingTo(1, (InetSocketAddress) l.localAddress(), sut)));
                    }
                    peer.connect(l.localAddress(), (int) WAIT.toMillis());
                    peer.setSoTimeout((int) WAIT.toMillis());
                    byte[] data = new byte[sent];
                    Arrays.fill(data, (byte) 7);
                    Thread writer = Thread.ofVirtual().start(() -> {
                        try {
                            peer.getOutputStream().write(data);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    assertEquals(sent, peer.getInputStream().readNBytes(sent).length, "echo");
                    writer.join(WAIT);
                    assertEquals(1, get(server.opened).worker().index(), sut.isDpdk() ? "RSS placement on worker 1" : "FIXED on worker 1");
                    Fixtures.eventually("worker 1 counts the live connection", () -> delta(w1.stats(), before1).connections() == 1);
                }
                assertNull(server.awaitClosed(WAIT));
            }
            Fixtures.eventually("worker 1 counts the echoed bytes",
                    () -> delta(w1.stats(), before1).bytesWritten() == sent && delta(w1.stats(), before1).connections() == 0);
            WorkerStats d1 = delta(w1.stats(), before1);
            assertArrayEquals(new long[]{0, 1, sent, sent}, new long[]{d1.connections(), d1.accepted(), d1.bytesRead(), d1.bytesWritten()},
                    "worker 1 {connections, accepted, bytesRead, bytesWritten}: " + d1);
            assertTrue(d1.reads() >= 1 && d1.writes() >= 1, "reads and writes counted: " + d1);
            if (sut.isDpdk()) {
                assertEquals(0, d1.syscalls(), "the userspace stack's I/O makes no system call: " + d1);
            } else {
                assertTrue(d1.syscalls() >= 1, "syscalls counted: " + d1);
            }
            WorkerStats d0 = delta(w0.stats(), before0);
            assertEquals(0, d0.accepted() + d0.bytesRead() + d0.bytesWritten() + d0.reads() + d0.writes() + d0.connections(),
                    "worker 0 had no connection: " + d0);

            // Client side on worker 0: writes 5,000 bytes to a java ServerSocket, which answers 3,000.
            WorkerStats mid0 = w0.stats();
            WorkerStats mid1 = w1.stats();
            try (ServerSocket ss = new ServerSocket(0, 10, sut.peerIpv4())) {
                Recorder client = Recorder.sink();
                Connection c = get(stack.connect(ss.getLocalSocketAddress(),
                        ConnectOptions.defaults().withTimeout(WAIT).withWorker(0), client));
                try (Socket peer = ss.accept()) {
                    peer.setSoTimeout((int) WAIT.toMillis());
                    assertEquals(0, c.worker().index());
                    Fixtures.onWorker(c, x -> x.writeAndFlush(new byte[5_000]));
                    InputStream in = peer.getInputStream();
                    assertEquals(5_000, in.readNBytes(5_000).length);
                    peer.getOutputStream().write(new byte[3_000]);
                    client.awaitReceived(3_000, WAIT);
                    assertEquals(1, delta(w0.stats(), mid0).connections(), "live client connection on worker 0");
                }
                assertNull(client.awaitClosed(WAIT));
            }
            Fixtures.eventually("worker 0 counts the client's bytes", () -> delta(w0.stats(), mid0).connections() == 0
                    && delta(w0.stats(), mid0).bytesWritten() == 5_000 && delta(w0.stats(), mid0).bytesRead() == 3_000);
            WorkerStats c0 = delta(w0.stats(), mid0);
            assertEquals(0, c0.accepted(), "a connect is not an accept: " + c0);
            assertTrue(c0.reads() >= 1 && c0.writes() >= 1 && (sut.isDpdk() ? c0.syscalls() == 0 : c0.syscalls() >= 1),
                    "client worker counters: " + c0);
            WorkerStats c1 = delta(w1.stats(), mid1);
            assertEquals(0, c1.bytesRead() + c1.bytesWritten() + c1.accepted(), "worker 1 had no part in it: " + c1);
            // The stack-wide sum is the field-wise sum.
            WorkerStats sum = w0.stats().plus(w1.stats());
            assertEquals(w0.stats().bytesRead() + w1.stats().bytesRead(), sum.bytesRead());
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
