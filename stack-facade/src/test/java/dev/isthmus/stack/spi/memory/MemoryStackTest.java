package dev.isthmus.stack.spi.memory;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.Worker;
import dev.isthmus.stack.examples.EchoServer;
import dev.isthmus.stack.spi.BackoffIdle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SPI's userspace-stack shape, proved on the in-memory test stack. */
@Timeout(60)
class MemoryStackTest {
    private static final int SIZE = 1 << 20;

    private static StackOptions options(int workers, String... props) {
        StackOptions o = StackOptions.defaults().withWorkers(workers).withCloseDrainTimeout(Duration.ofSeconds(10));
        for (int i = 0; i < props.length; i += 2) {
            o = o.withProperty(props[i], props[i + 1]);
        }
        return o;
    }

    private static long sum(MemoryNetworkStack s, String counter) {
        long n = 0;
        for (Worker w : s.workers()) {
            n += w.counters().get(counter);
        }
        return n;
    }

    /** Writes {@code data} as fast as the connection takes it, and collects what comes back. */
    private static final class Client implements ConnectionHandler {
        final byte[] data;
        final byte[] got;
        int written;
        int received;
        final CompletableFuture<byte[]> done = new CompletableFuture<>();

        Client(byte[] data) {
            this.data = data;
            this.got = new byte[data.length];
        }

        @Override
        public void onOpen(Connection c) {
            push(c);
        }

        @Override
        public void onWritable(Connection c) {
            push(c);
        }

        private void push(Connection c) {
            while (written < data.length && c.isWritable()) {
                int n = Math.min(8192, data.length - written);
                c.write(data, written, n);
                written += n;
            }
            c.flush();
        }

        @Override
        public void onData(Connection c, Inbound in) {
            int n = (int) in.readableBytes();
            in.copyTo(0, got, received, n);
            in.skip(n);
            received += n;
            if (received == data.length) {
                done.complete(got);
            }
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            done.completeExceptionally(new IllegalStateException("closed after " + received + " bytes", cause));
        }
    }

    @Test
    void anEchoOverALossyLinkArrivesIntactAndCloseWaitsForTimeWait() throws Exception {
        byte[] data = new byte[SIZE];
        new java.util.Random(7).nextBytes(data);
        MemoryNetworkStack s = new MemoryNetworkStack(options(2, "memory.dropOneIn", "9", "memory.timeWaitMillis", "300"));
        try {
            Listener l = s.listen(new InetSocketAddress(MemoryNetworkStack.ADDRESS, 7), ListenOptions.defaults(), EchoServer::new);
            Client client = new Client(data);
            Connection c = s.connect(l.localAddress(), ConnectOptions.defaults().withWorker(1), client).get(10, TimeUnit.SECONDS);
            assertEquals(1, c.worker().index(), "the connection stays on the worker that connected");
            InetSocketAddress local = (InetSocketAddress) c.localAddress();
            int serverWorker = s.flowPlacement().inboundWorker(local, (InetSocketAddress) l.localAddress());
            assertEquals(1, s.flowPlacement().inboundWorker((InetSocketAddress) l.localAddress(), local),
                    "connect chose a port whose replies hash to the calling worker");

            assertArrayEquals(data, client.done.get(30, TimeUnit.SECONDS), "1 MiB echoed intact");
            System.out.printf("memory stack echo of %d bytes: worker counters %s and %s%n", SIZE,
                    s.worker(0).counters(), s.worker(1).counters());
            assertTrue(sum(s, "segmentsDropped") > 0, "the link dropped segments");
            assertTrue(sum(s, "retransmits") > 0, "and they were sent again from the outbound chain");
            assertEquals(1, s.worker(serverWorker).stats().accepted(), "the server side lives where RSS put the SYN");

            long start = System.nanoTime();
            s.close(); // whoever sends its FIN first holds the flow in TIME_WAIT for 300 ms
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs >= 250 && tookMs < 5_000, "close waited for TIME_WAIT, took " + tookMs + " ms");
            // One side, or both when their FINs crossed (a simultaneous close, RFC 9293 3.6).
            assertTrue(sum(s, "timeWaitEntered") >= 1);
            assertEquals(0, sum(s, "timeWait"));
            assertEquals(0, sum(s, "drainsAbandoned"));
            assertTrue(sum(s, "chunksDelivered") > SIZE / MemoryWorker.MSS, "every payload reached onData as a chunk");
            assertEquals(sum(s, "chunksDelivered"), sum(s, "chunksReleased"), "and went back through its release action");
        } finally {
            s.close();
        }
        for (Worker w : s.workers()) {
            assertInstanceOf(BackoffIdle.class, ((MemoryWorker) w).idleStrategy());
        }
    }

    @Test
    void everyFlowLivesWhereItsHashPutsIt() throws Exception {
        try (MemoryNetworkStack s = new MemoryNetworkStack(options(2, "memory.dropOneIn", "5"))) {
            InetSocketAddress server = (InetSocketAddress) s.listen(new InetSocketAddress(MemoryNetworkStack.ADDRESS, 80),
                    ListenOptions.defaults(), EchoServer::new).localAddress();
            long[] expectedAccepts = new long[2];
            for (int i = 0; i < 16; i++) {
                byte[] data = new byte[10_000];
                Arrays.fill(data, (byte) i);
                Client client = new Client(data);
                Connection c = s.connect(server, ConnectOptions.defaults().withWorker(i % 2), client).get(10, TimeUnit.SECONDS);
                assertEquals(i % 2, c.worker().index());
                expectedAccepts[s.flowPlacement().inboundWorker((InetSocketAddress) c.localAddress(), server)]++;
                assertArrayEquals(data, client.done.get(10, TimeUnit.SECONDS));
            }
            assertEquals(expectedAccepts[0], s.worker(0).stats().accepted());
            assertEquals(expectedAccepts[1], s.worker(1).stats().accepted());
        }
    }

    @Test
    void closeGivesUpOnTheDrainAtItsDeadline() throws Exception {
        MemoryNetworkStack s = new MemoryNetworkStack(options(1, "memory.timeWaitMillis", "60000"));
        try {
            Listener l = s.listen(new InetSocketAddress(MemoryNetworkStack.ADDRESS, 0), ListenOptions.defaults(), EchoServer::new);
            Client client = new Client(new byte[1000]);
            s.connect(l.localAddress(), ConnectOptions.defaults(), client).get(10, TimeUnit.SECONDS);
            client.done.get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            s.close(Duration.ofMillis(200));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs >= 150 && tookMs < 3_000, "close ended at its deadline, took " + tookMs + " ms");
            assertEquals(1, sum(s, "drainsAbandoned"));
            assertEquals(0, sum(s, "timeWait"));
        } finally {
            s.close();
        }
    }

    @Test
    void connectIsRefusedWithoutAListenerAndTimesOutOnTheWorkersTimer() throws Exception {
        try (MemoryNetworkStack s = new MemoryNetworkStack(options(2, "memory.blackholePort", "9"))) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> s.connect(
                    new InetSocketAddress(MemoryNetworkStack.ADDRESS, 8), ConnectOptions.defaults(), new Client(new byte[1]))
                    .get(10, TimeUnit.SECONDS));
            assertInstanceOf(ConnectException.class, refused.getCause());
            long start = System.nanoTime();
            ExecutionException timedOut = assertThrows(ExecutionException.class, () -> s.connect(
                    new InetSocketAddress(MemoryNetworkStack.ADDRESS, 9),
                    ConnectOptions.defaults().withTimeout(Duration.ofMillis(100)), new Client(new byte[1]))
                    .get(10, TimeUnit.SECONDS));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(timedOut.getCause().getMessage().contains("timed out"), timedOut.getCause().getMessage());
            assertTrue(tookMs >= 100 && tookMs < 5_000, "timed out after " + tookMs + " ms");
        }
    }

    @Test
    void aParkedWorkerWakesForTasksAndForItsTimers() throws Exception {
        // Parks of up to 5 s: only execute's unpark or the timer bound can wake it sooner.
        try (MemoryNetworkStack s = new MemoryNetworkStack(options(1, "memory.maxParkMicros", "5000000"))) {
            MemoryWorker w = s.memoryWorker(0);
            Thread.sleep(300); // idle long enough to reach the long parks
            long start = System.nanoTime();
            CompletableFuture<BackoffIdle.Phase> phase = new CompletableFuture<>();
            w.execute(() -> phase.complete(((BackoffIdle) w.idleStrategy()).phase()));
            assertEquals(BackoffIdle.Phase.PARKING, phase.get(2, TimeUnit.SECONDS), "it was parked");
            assertTrue((System.nanoTime() - start) / 1_000_000 < 1_000, "execute unparked it");

            CompletableFuture<Long> fired = new CompletableFuture<>();
            long[] scheduledAt = new long[1];
            w.execute(() -> {
                scheduledAt[0] = System.nanoTime();
                w.schedule(() -> fired.complete(System.nanoTime()), 50, TimeUnit.MILLISECONDS);
            });
            long firedAt = fired.get(3, TimeUnit.SECONDS);
            long afterMs = (firedAt - scheduledAt[0]) / 1_000_000;
            assertTrue(afterMs >= 50 && afterMs < 1_000, "the park was cut short for the timer: " + afterMs + " ms");
            assertTrue(w.stats().wakeups() > 0);
            Map<String, Long> counters = w.counters();
            assertEquals(Arrays.asList("retransmits", "segmentsDropped", "chunksDelivered", "chunksReleased",
                    "timeWaitEntered", "timeWait", "drainsAbandoned"), counters.keySet().stream().toList());
        }
    }
}
