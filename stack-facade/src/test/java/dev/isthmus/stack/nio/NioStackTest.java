package dev.isthmus.stack.nio;

import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.Capability;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.IsthmusSocketOptions;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class NioStackTest {

    private static StackOptions options(int workers) {
        return StackOptions.defaults().withWorkers(workers).withBufferSize(4096);
    }

    /** Echoes everything back; half-closes when the peer does. */
    static final class Echo implements ConnectionHandler {
        @Override
        public void onData(Connection c, Inbound in) {
            while (in.readableBytes() > 0) {
                MemorySegment chunk = in.firstChunk();
                c.write(chunk);
                in.skip(chunk.byteSize());
            }
            c.flush();
        }

        @Override
        public void onInputShutdown(Connection c) {
            c.shutdownOutput();
        }
    }

    /** Collects what arrives until EOF, then closes; completes with the bytes at onClose. */
    static final class Collector implements ConnectionHandler {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        volatile Throwable cause;

        @Override
        public void onData(Connection c, Inbound in) {
            byte[] b = new byte[(int) in.readableBytes()];
            in.copyTo(0, b, 0, b.length);
            in.skip(b.length);
            got.writeBytes(b);
        }

        @Override
        public void onClose(Connection c, Throwable t) {
            cause = t;
            done.complete(got.toByteArray());
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + i / 251);
        }
        return b;
    }

    private static void onWorker(Connection c, Runnable r) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        c.worker().execute(() -> {
            try {
                r.run();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        f.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ipv4", "ipv6", "unix"})
    void echoRoundTripLargerThanBuffersWithHalfClose(String kind, @TempDir Path dir) throws Exception {
        try (NetworkStack stack = NetworkStacks.open("nio", options(2))) {
            SocketAddress addr = switch (kind) {
                case "ipv4" -> new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
                case "ipv6" -> new InetSocketAddress(InetAddress.getByName("::1"), 0);
                default -> UnixDomainSocketAddress.of(dir.resolve("echo.sock"));
            };
            if (kind.equals("ipv6") && !stack.capabilities().contains(Capability.IPV6)) {
                return;
            }
            try (Listener l = stack.listen(addr, ListenOptions.defaults(), Echo::new)) {
                Collector client = new Collector();
                Connection c = stack.connect(l.localAddress(), ConnectOptions.defaults(), client).get(10, TimeUnit.SECONDS);
                byte[] data = pattern(300_000); // many buffers: gathered writes, OP_WRITE, partial writes
                onWorker(c, () -> {
                    c.write(data);
                    c.flush();
                    c.shutdownOutput();
                });
                assertArrayEquals(data, client.done.get(20, TimeUnit.SECONDS));
                assertNull(client.cause);
                assertFalse(c.isOpen());
            }
        }
    }

    @Test
    void closingTheStackReleasesEveryFd() throws Exception {
        long before = openFds();
        NetworkStack stack = NetworkStacks.open("nio", options(2));
        Listener l = stack.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ListenOptions.defaults(), Echo::new);
        UdpChannel udp = stack.openUdp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                UdpOptions.defaults(), (ch, from, data, t) -> { });
        Connection[] cs = new Connection[4];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = stack.connect(l.localAddress(), ConnectOptions.defaults(), new Collector()).get(10, TimeUnit.SECONDS);
        }
        assertTrue(openFds() > before + 8, "listener, 4+4 sockets, UDP and selectors are open");
        udp.close();
        stack.close(Duration.ofSeconds(2));
        for (Connection c : cs) {
            assertFalse(c.isOpen());
        }
        assertEquals(before, openFds(), "fds after close: " + Arrays.toString(new java.io.File("/proc/self/fd").list()));
    }

    private static long settledFds() throws Exception {
        long last = -1;
        for (int i = 0; i < 100; i++) {
            long n = openFds();
            if (n == last) {
                return n;
            }
            last = n;
            Thread.sleep(50);
        }
        return last;
    }

    private static boolean waitForFds(long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (openFds() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return openFds() == expected;
    }

    private static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void portStrategyKeepsPortPerWorkerConnectionsOnTheSameWorkerNumber() throws Exception {
        try (NetworkStack stack = NetworkStacks.open("nio", options(2))) {
            CompletableFuture<Integer>[] serverWorker = new CompletableFuture[4];
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < serverWorker.length; i++) {
                serverWorker[i] = new CompletableFuture<>();
            }
            ListenOptions lo = ListenOptions.defaults().withAcceptStrategy(AcceptStrategy.PORT);
            try (Listener l = stack.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), lo, () -> new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    int port = ((InetSocketAddress) c.remoteAddress()).getPort();
                    serverWorker[n.getAndIncrement()].complete(port % 2 == c.worker().index() ? c.worker().index() : -1);
                }

                @Override
                public void onData(Connection c, Inbound in) {
                    in.skip(in.readableBytes());
                }
            })) {
                for (int i = 0; i < serverWorker.length; i++) {
                    ConnectOptions co = ConnectOptions.defaults().withPortPerWorker(true).withWorker(i % 2);
                    Connection c = stack.connect(l.localAddress(), co, new Collector()).get(10, TimeUnit.SECONDS);
                    int port = ((InetSocketAddress) c.localAddress()).getPort();
                    assertEquals(i % 2, port % 2, "local port " + port + " for worker " + (i % 2));
                    assertEquals(i % 2, serverWorker[i].get(10, TimeUnit.SECONDS));
                    c.close();
                }
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the listener is closed early on purpose
    void abortResetsThePeerAndConnectRefusedFails() throws Exception {
        try (NetworkStack stack = NetworkStacks.open("nio", options(1))) {
            Collector server = new Collector();
            CompletableFuture<Connection> accepted = new CompletableFuture<>();
            try (Listener l = stack.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ListenOptions.defaults(),
                    () -> new ConnectionHandler() {
                        @Override
                        public void onOpen(Connection c) {
                            accepted.complete(c);
                        }

                        @Override
                        public void onData(Connection c, Inbound in) {
                            server.onData(c, in);
                        }

                        @Override
                        public void onClose(Connection c, Throwable t) {
                            server.onClose(c, t);
                        }
                    })) {
                Connection c = stack.connect(l.localAddress(), ConnectOptions.defaults(), new Collector()).get(10, TimeUnit.SECONDS);
                accepted.get(10, TimeUnit.SECONDS);
                c.abort();
                server.done.get(10, TimeUnit.SECONDS);
                assertInstanceOf(IOException.class, server.cause, "the peer sees a reset, not an orderly EOF");
                // The listener's port, once closed, refuses.
                SocketAddress gone = l.localAddress();
                l.close();
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> stack.connect(gone, ConnectOptions.defaults(), new Collector()).get(10, TimeUnit.SECONDS));
                assertInstanceOf(ConnectException.class, e.getCause());
            }
        }
    }

    @Test
    void optionsTheJdkCannotSetAreUnsupported() throws Exception {
        try (NetworkStack stack = NetworkStacks.open("nio", options(1))) {
            assertFalse(stack.capabilities().contains(Capability.RAW_SOCKET_OPTIONS));
            try (Listener l = stack.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ListenOptions.defaults(), Echo::new)) {
                Connection c = stack.connect(l.localAddress(), ConnectOptions.defaults(), new Collector()).get(10, TimeUnit.SECONDS);
                onWorker(c, () -> {
                    try {
                        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY));
                        c.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 30);
                        assertEquals(30, c.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                    UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                            () -> c.setOption(IsthmusSocketOptions.TCP_USER_TIMEOUT, 1000));
                    assertTrue(u.getMessage().contains("TCP_USER_TIMEOUT"), u.getMessage());
                    assertThrows(UnsupportedOperationException.class,
                            () -> c.setRawOption(6, 18, MemorySegment.ofArray(new byte[4])));
                });
                c.close();
            }
        }
    }

    @Test
    void udpMarksTruncatedDatagrams() throws Exception {
        try (NetworkStack stack = NetworkStacks.open("nio", options(1))) {
            CompletableFuture<String> got = new CompletableFuture<>();
            InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            try (UdpChannel rx = stack.openUdp(lo, UdpOptions.defaults().withMaxDatagramSize(8),
                    (ch, from, data, truncated) -> got.complete(
                            new String(data.toArray(ValueLayout.JAVA_BYTE)) + " " + truncated));
                 UdpChannel tx = stack.openUdp(lo, UdpOptions.defaults(), (ch, from, data, t) -> { })) {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                tx.worker().execute(() -> {
                    try {
                        tx.send(rx.localAddress(), MemorySegment.ofArray("0123456789".getBytes()));
                        sent.complete(null);
                    } catch (IOException e) {
                        sent.completeExceptionally(e);
                    }
                });
                sent.get(10, TimeUnit.SECONDS);
                assertEquals("01234567 true", got.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void badAddressesFailFast() throws Exception {
        try (NetworkStack stack = NetworkStacks.open("nio", options(1))) {
            assertThrows(IllegalArgumentException.class, () -> stack.connect(null, ConnectOptions.defaults(), new Collector()));
            assertThrows(IllegalArgumentException.class,
                    () -> stack.connect(InetSocketAddress.createUnresolved("example.invalid", 80), ConnectOptions.defaults(), new Collector()));
            assertThrows(IllegalArgumentException.class,
                    () -> stack.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ConnectOptions.defaults(), new Collector()));
            assertThrows(IllegalArgumentException.class,
                    () -> stack.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80),
                            ConnectOptions.defaults().withWorker(5), new Collector()));
        }
    }

    @Test
    void connectTimesOutAndCancelReleasesTheSocket() throws Exception {
        // A listener that never accepts, with a backlog of 1: once its accept queue is full the kernel
        // drops further SYNs, so a connect stays pending (tcp(7), listen(2)).
        try (NetworkStack stack = NetworkStacks.open("nio", options(1));
             java.nio.channels.ServerSocketChannel deaf = java.nio.channels.ServerSocketChannel.open()) {
            deaf.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            ConnectOptions quick = ConnectOptions.defaults().withTimeout(Duration.ofMillis(300));
            Throwable timeout = null;
            for (int i = 0; i < 8 && timeout == null; i++) {
                try {
                    stack.connect(deaf.getLocalAddress(), quick, new Collector()).get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    timeout = e.getCause();
                }
            }
            assertInstanceOf(ConnectException.class, timeout);
            assertTrue(timeout.getMessage().contains("timed out"), timeout.getMessage());

            // Closed channels give their fd back at the worker's next select: wait for the count to settle.
            long before = settledFds();
            CompletableFuture<Connection> pending = stack.connect(deaf.getLocalAddress(), ConnectOptions.defaults(), new Collector());
            assertTrue(waitForFds(before + 1), "the pending connect's socket is open");
            assertTrue(pending.cancel(true));
            assertTrue(waitForFds(before), "cancel closed the socket");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONNECTION_DISTRIBUTION", "FIXED"})
    void singleAcceptorSpreadsOrPins(String strategy) throws Exception {
        try (NetworkStack stack = NetworkStacks.open("nio", options(2))) {
            ListenOptions lo = strategy.equals("FIXED") ? ListenOptions.defaults().withFixedWorker(1)
                    : ListenOptions.defaults().withAcceptStrategy(AcceptStrategy.CONNECTION_DISTRIBUTION);
            java.util.concurrent.ConcurrentLinkedQueue<Integer> workers = new java.util.concurrent.ConcurrentLinkedQueue<>();
            java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(4);
            try (Listener l = stack.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), lo, () -> new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    workers.add(c.worker().index());
                    opened.countDown();
                }

                @Override
                public void onData(Connection c, Inbound in) {
                    in.skip(in.readableBytes());
                }
            })) {
                for (int i = 0; i < 4; i++) {
                    stack.connect(l.localAddress(), ConnectOptions.defaults(), new Collector()).get(10, TimeUnit.SECONDS);
                    assertTrue(opened.getCount() <= 3 - i || awaitOne(opened, 3 - i));
                }
                assertTrue(opened.await(10, TimeUnit.SECONDS));
                long onOne = workers.stream().filter(w -> w == 1).count();
                // Each connection is accepted once the previous one is open, so the fewest-connections
                // choice alternates: 2 each (the client side adds 2 per worker, round robin).
                assertEquals(strategy.equals("FIXED") ? 4 : 2, onOne, workers.toString());
            }
        }
    }

    private static boolean awaitOne(java.util.concurrent.CountDownLatch latch, long target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (latch.getCount() > target && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return latch.getCount() <= target;
    }
}
