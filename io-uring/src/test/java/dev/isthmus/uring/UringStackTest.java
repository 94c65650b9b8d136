package dev.isthmus.uring;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.posix.resource_h;
import dev.isthmus.ffi.posix.rlimit;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * io_uring-specific behaviour, beyond the conformance suite: each optimisation switched off on its own,
 * ENOBUFS recovery with a tiny buffer ring, CQ overflow with a tiny CQ, MSG_RING wakeups, zero-copy
 * send notifications, EMFILE back-off, and no allocation per request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringStackTest {

    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(IoUring.AVAILABLE, () -> "io_uring not available: " + IoUring.UNAVAILABILITY_CAUSE);
    }

    static StackOptions options(int workers, String... props) {
        StackOptions o = StackOptions.defaults().withWorkers(workers);
        for (int i = 0; i < props.length; i += 2) {
            o = o.withProperty(props[i], props[i + 1]);
        }
        return o;
    }

    /** Echoes every byte back, through a preallocated array (no allocation per request). */
    static final class Echo implements ConnectionHandler {
        private final byte[] buf = new byte[64 * 1024];

        @Override
        public void onData(Connection c, Inbound in) {
            while (in.readableBytes() > 0) {
                int n = (int) Math.min(buf.length, in.readableBytes());
                in.copyTo(0, buf, 0, n);
                in.skip(n);
                c.write(buf, 0, n);
            }
            c.flush();
        }
    }

    /** Sends {@code total} random bytes through an echo listener and checks they all come back intact. */
    static void echoRoundTrip(NetworkStack stack, int total, int connections) throws Exception {
        try (Listener l = stack.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ListenOptions.defaults(), Echo::new)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = new ArrayList<>();
            for (int k = 0; k < connections; k++) {
                int seed = k;
                Thread t = new Thread(() -> {
                    try (SocketChannel ch = SocketChannel.open(l.localAddress())) {
                        byte[] data = new byte[total];
                        new Random(seed).nextBytes(data);
                        Thread writer = Thread.ofVirtual().start(() -> {
                            try {
                                ch.write(ByteBuffer.wrap(data));
                            } catch (IOException e) {
                                throw new RuntimeException(e);
                            }
                        });
                        ByteBuffer back = ByteBuffer.allocate(total);
                        while (back.hasRemaining()) {
                            if (ch.read(back) < 0) {
                                throw new IOException("EOF after " + back.position() + " bytes");
                            }
                        }
                        writer.join();
                        assertArrayEquals(data, back.array(), "echoed bytes differ");
                    } catch (Throwable e) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            if (!errors.isEmpty()) {
                AssertionError e = new AssertionError("echo failed on " + stack.options().properties());
                errors.forEach(e::addSuppressed);
                throw e;
            }
        }
    }

    static UringWorker worker(NetworkStack s, int i) {
        return (UringWorker) s.workers().get(i);
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring.deferTaskrun", "io_uring.coopTaskrun", "io_uring.submitAll", "io_uring.noSqArray",
            "io_uring.cqSize", "io_uring.registeredRing", "io_uring.multishotAccept", "io_uring.bufferRing",
            "io_uring.multishotRecv", "io_uring.sendZc", "io_uring.msgRing", "io_uring.fixedFiles", "io_uring.batchWait"})
    void eachSwitchOffStillWorks(String key) throws Exception {
        try (NetworkStack s = NetworkStacks.open("io_uring", options(2, key, "false"))) {
            String on = ((UringNetworkStack) s).optimisations();
            String name = key.substring("io_uring.".length());
            // A word of its own: "sendZc>=16384" and "batchWait<=50us/16" carry their settings.
            assertFalse(java.util.regex.Pattern.compile("\\b" + name + "\\b").matcher(on).find(), name + " still on: " + on);
            echoRoundTrip(s, 200_000, 3);
            if (key.equals("io_uring.batchWait")) {
                assertEquals(0, worker(s, 0).batchedEnters + worker(s, 1).batchedEnters);
            }
        }
    }

    @Test
    void everythingOffAndDefaultsDiffer() throws Exception {
        try (NetworkStack off = NetworkStacks.open("io_uring", options(1, "io_uring.optimisations", "off"));
             NetworkStack on = NetworkStacks.open("io_uring", options(1))) {
            assertEquals("none", ((UringNetworkStack) off).optimisations());
            if (IoUring.DEFER_TASKRUN_SUPPORTED) {
                assertTrue(((UringNetworkStack) on).optimisations().contains("deferTaskrun"));
            }
            echoRoundTrip(off, 100_000, 2);
        }
    }

    @Test
    void aFullFileTableFallsBackToPlainFds() throws Exception {
        // A 2-entry table: the listener and the first connections fill it, later connections use plain
        // fds; rounds of connections reuse the entries their predecessors emptied at close.
        try (NetworkStack s = NetworkStacks.open("io_uring", options(1, "io_uring.fixedFileEntries", "2"))) {
            for (int round = 0; round < 3; round++) {
                echoRoundTrip(s, 100_000, 4);
            }
            UringWorker w = worker(s, 0);
            assertTrue(w.fixedFileConnections > 0, "no connection was put into the registered file table");
            assertTrue(w.plainFdConnections > 0, "every connection fitted; the fallback was not exercised");
        }
    }

    static void assumeBatchedWait(NetworkStack s) {
        Assumptions.assumeTrue(((UringNetworkStack) s).optimisations().contains("batchWait"),
                () -> "batched waits are off here: " + ((UringNetworkStack) s).optimisations());
    }

    @Test
    void aLoneRequestIsNotHeldBackByTheBatchedWait() throws Exception {
        // A 1 s min wait: if a request-response turn were held back by it, 50 round trips would take
        // 50 s; a turn with one arrival waits plainly, so each arrival ends the wait.
        try (NetworkStack s = NetworkStacks.open("io_uring", options(1, "io_uring.batchWaitMicros", "1000000"))) {
            assumeBatchedWait(s);
            try (Listener l = s.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ListenOptions.defaults(), Echo::new);
                 SocketChannel ch = SocketChannel.open(l.localAddress())) {
                ByteBuffer out = ByteBuffer.allocate(64);
                ByteBuffer in = ByteBuffer.allocate(64);
                assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
                    for (int i = 0; i < 50; i++) {
                        out.clear();
                        out.putInt(0, i);
                        ch.write(out);
                        in.clear();
                        while (in.hasRemaining()) {
                            assertTrue(ch.read(in) >= 0, "EOF");
                        }
                        assertEquals(i, in.getInt(0));
                    }
                }, "round trips were held back by the batched wait's min_wait");
            }
            // One arrival per turn: the plain wait, no min-wait timer at all.
            assertEquals(0, worker(s, 0).batchedEnters, "a lone request-response took the batched path");
        }
    }

    @Test
    void batchedWaitsLoseNothingUnderLoad() throws Exception {
        // Eight streams at once: turns see several arrivals and wait for as many (at most 20 ms more).
        try (NetworkStack s = NetworkStacks.open("io_uring", options(1, "io_uring.batchWaitMicros", "20000"))) {
            assumeBatchedWait(s);
            echoRoundTrip(s, 500_000, 8);
            assertTrue(worker(s, 0).batchedEnters > 0, "no enter took the batched path; the test proves nothing");
        }
    }

    @Test
    void enobufsWithATinyBufferRingLosesNothing() throws Exception {
        Assumptions.assumeTrue(IoUring.MULTISHOT_RECV_SUPPORTED);
        try (NetworkStack s = NetworkStacks.open("io_uring", options(1, "io_uring.bufferRingEntries", "2")
                .withBufferSize(512))) {
            echoRoundTrip(s, 2_000_000, 4);
            assertTrue(worker(s, 0).enobufsCount > 0, "the buffer ring never ran dry; the test proves nothing");
        }
    }

    @Test
    void cqOverflowWithATinyCqLosesNothing() throws Exception {
        try (NetworkStack s = NetworkStacks.open("io_uring", options(1, "io_uring.entries", "4",
                "io_uring.cqEntries", "4", "io_uring.bufferRingEntries", "64").withBufferSize(512))) {
            echoRoundTrip(s, 300_000, 8);
            assertTrue(worker(s, 0).overflowFlushes > 0, "the CQ never overflowed; the test proves nothing");
        }
    }

    @Test
    void msgRingWakesAnotherWorker() throws Exception {
        Assumptions.assumeTrue(IoUring.MSG_RING_SUPPORTED);
        try (NetworkStack s = NetworkStacks.open("io_uring", options(2))) {
            for (int i = 0; i < 20; i++) {
                CountDownLatch done = new CountDownLatch(1);
                // From worker 0's thread to worker 1, which is asleep in io_uring_enter.
                s.workers().get(0).execute(() -> s.workers().get(1).execute(done::countDown));
                assertTrue(done.await(5, TimeUnit.SECONDS), "worker 1 was not woken");
                Thread.sleep(20); // let worker 1 fall asleep again, so the next task needs a wakeup
            }
            // On a loaded machine worker 1 may still be awake for some tasks (no wakeup needed), so not
            // every task counts; but if MSG_RING were not used, none would.
            assertTrue(worker(s, 0).msgRingSent > 0, "wakeups did not use MSG_RING: " + worker(s, 0).msgRingSent);
        }
    }

    @Test
    void eventfdWakesWhenMsgRingIsOff() throws Exception {
        try (NetworkStack s = NetworkStacks.open("io_uring", options(2, "io_uring.msgRing", "false"))) {
            CountDownLatch done = new CountDownLatch(1);
            s.workers().get(0).execute(() -> s.workers().get(1).execute(done::countDown));
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(0, worker(s, 0).msgRingSent);
        }
    }

    @Test
    void sendZcReleasesBuffersOnNotification() throws Exception {
        Assumptions.assumeTrue(IoUring.SEND_ZC_SUPPORTED);
        try (NetworkStack s = NetworkStacks.open("io_uring", options(1, "io_uring.sendZcThreshold", "4096"))) {
            echoRoundTrip(s, 1_000_000, 2);
            assertTrue(worker(s, 0).zcNotifications > 0, "no zero-copy notification arrived");
            // Every buffer went back to the pool (released once, after its notification).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (s.workers().get(0).stats().connections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            AtomicInteger inUse = new AtomicInteger(-1);
            CountDownLatch d = new CountDownLatch(1);
            s.workers().get(0).execute(() -> {
                inUse.set(worker(s, 0).bufferPool().inUse() - worker(s, 0).bufferRing().available());
                d.countDown();
            });
            assertTrue(d.await(5, TimeUnit.SECONDS));
            assertEquals(0, inUse.get(), "buffers still held after every connection closed");
        }
    }

    @Test
    void emfileBacksOffAndRecovers() throws Exception {
        try (NetworkStack s = NetworkStacks.open("io_uring", options(1));
             Arena a = Arena.ofConfined()) {
            CountDownLatch opened = new CountDownLatch(1);
            ConnectionHandler h = new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    opened.countDown();
                }

                @Override
                public void onData(Connection c, Inbound in) {
                    in.skip(in.readableBytes());
                }
            };
            // Classes are loaded before the fd table is full (loading one opens the jar or class file).
            CountDownLatch warm = new CountDownLatch(1);
            s.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ListenOptions.defaults(), () -> h).close();
            s.workers().get(0).schedule(warm::countDown, 1, TimeUnit.MILLISECONDS);
            assertTrue(warm.await(5, TimeUnit.SECONDS));
            org.slf4j.LoggerFactory.getLogger(UringListener.class).warn("warming up the logger: {} {}", "accept", dev.isthmus.ffi.Errno.name(24));
            // The kernel reads RLIMIT_NOFILE when it prepares an accept SQE (io_accept_prep), so the limit
            // is lowered before the listener arms its accept: fill the fd table, free one slot for the
            // listening socket, then connect.
            try (SocketChannel client = SocketChannel.open()) {
                CallState st = CallState.allocate(a);
                MemorySegment lim = rlimit.allocate(a);
                assertEquals(0, resource_h.getrlimit(st.segment(), resource_h.RLIMIT_NOFILE, lim));
                long saved = rlimit.rlim_cur(lim);
                List<java.io.FileInputStream> fillers = new ArrayList<>();
                long maxFd;
                try (var list = Files.list(Path.of("/proc/self/fd"))) {
                    maxFd = list.mapToLong(p -> Long.parseLong(p.getFileName().toString())).max().orElse(100);
                }
                Listener l = null;
                try {
                    rlimit.rlim_cur(lim, maxFd + 2);
                    assertEquals(0, resource_h.setrlimit(st.segment(), resource_h.RLIMIT_NOFILE, lim));
                    try {
                        while (true) {
                            fillers.add(new java.io.FileInputStream("/dev/null"));
                        }
                    } catch (IOException expected) {
                        assertTrue(String.valueOf(expected.getMessage()).contains("Too many open files"), expected.toString());
                    }
                    fillers.remove(fillers.size() - 1).close();
                    l = s.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ListenOptions.defaults(), () -> h);
                    client.connect(l.localAddress());
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                    while (worker(s, 0).acceptBackoffs == 0 && opened.getCount() > 0 && System.nanoTime() < until) {
                        Thread.sleep(5);
                    }
                    assertEquals(1, opened.getCount(), "accepted although no fd was free");
                } finally {
                    for (var f : fillers) {
                        f.close();
                    }
                    rlimit.rlim_cur(lim, saved);
                    resource_h.setrlimit(st.segment(), resource_h.RLIMIT_NOFILE, lim);
                }
                try {
                    assertTrue(opened.await(5, TimeUnit.SECONDS), "the listener did not recover after EMFILE");
                    assertTrue(worker(s, 0).acceptBackoffs > 0, "accept never failed with EMFILE; the test proves nothing");
                } finally {
                    l.close();
                }
            }
        }
    }
}
