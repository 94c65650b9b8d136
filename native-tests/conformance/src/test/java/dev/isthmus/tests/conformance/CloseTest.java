package dev.isthmus.tests.conformance;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.WritesDiscardedException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.CRC32C;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static dev.isthmus.tests.conformance.Fixtures.get;
import static org.junit.jupiter.api.Assertions.*;

/** Resets, aborts, graceful close with writes pending, and closing the whole stack. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class CloseTest {

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    /** Closes {@code s} with SO_LINGER 0: the kernel sends RST instead of FIN (socket(7)). */
    private static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    @ParameterizedTest(name = "[{0}] peer reset while reading: onClose gets an IOException")
    @MethodSource("stacks")
    void peerResetDuringRead(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1)) {
            Recorder server = Recorder.sink();
            try (Listener l = Fixtures.listen(stack, sut.ipv4(), () -> server)) {
                Socket peer = new Socket();
                peer.connect(l.localAddress(), (int) WAIT.toMillis());
                peer.getOutputStream().write(new byte[100]);
                server.awaitReceived(100, WAIT);
                reset(peer);
                Throwable cause = server.awaitClosed(WAIT);
                assertInstanceOf(IOException.class, cause, "a reset is not an orderly close");
                assertFalse(cause instanceof WritesDiscardedException, "nothing was pending: " + cause);
                assertFalse(get(server.opened).isOpen());
                server.assertContract();
            }
            // The same with the stack's own client aborting.
            Recorder server2 = Recorder.sink();
            try (Listener l = Fixtures.listen(stack, sut.ipv4(), () -> server2)) {
                Recorder client = Recorder.sink();
                Connection c = get(stack.connect(l.localAddress(), ConnectOptions.defaults().withTimeout(WAIT), client));
                get(server2.opened);
                c.abort();
                assertInstanceOf(IOException.class, server2.awaitClosed(WAIT));
                client.awaitClosed(WAIT);
                server2.assertContract();
                client.assertContract();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] peer reset while writing: WritesDiscardedException with the count")
    @MethodSource("stacks")
    void peerResetDuringWrite(StackUnderTest sut) throws Exception {
        long total = 64L << 20;
        try (NetworkStack stack = sut.open(1)) {
            // The server writes far more than the socket buffers hold to a peer that never reads, ignoring
            // isWritable so that bytes are certainly pending when the reset comes.
            Recorder server = Recorder.sink().onOpenDo(c -> {
                byte[] block = new byte[1 << 20];
                for (long i = 0; i < total; i += block.length) {
                    c.write(block);
                }
                c.flush();
            });
            try (Listener l = Fixtures.listen(stack, sut.ipv4(), () -> server)) {
                Socket peer = new Socket();
                peer.setReceiveBufferSize(64 * 1024);
                peer.connect(l.localAddress(), (int) WAIT.toMillis());
                Connection s = get(server.opened);
                Fixtures.eventually("server's socket buffer full", () -> {
                    try {
                        return Fixtures.onWorker(s.worker(), s::pendingWriteBytes) > 0;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                reset(peer);
                Throwable cause = server.awaitClosed(WAIT);
                WritesDiscardedException w = assertInstanceOf(WritesDiscardedException.class, cause,
                        "onClose cause when writes were pending at a reset");
                assertTrue(w.discardedBytes() > 0 && w.discardedBytes() <= total, "discarded " + w.discardedBytes());
                server.assertContract();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] abort: a java.net.Socket peer sees 'Connection reset'")
    @MethodSource("stacks")
    void abortResetsPeer(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1); ServerSocket ss = new ServerSocket(0, 10, sut.peerIpv4())) {
            Recorder client = Recorder.sink();
            Connection c = get(stack.connect(ss.getLocalSocketAddress(), ConnectOptions.defaults().withTimeout(WAIT), client));
            try (Socket peer = ss.accept()) {
                peer.setSoTimeout((int) WAIT.toMillis());
                c.abort();
                SocketException e = assertThrows(SocketException.class, () -> peer.getInputStream().read());
                assertTrue(e.getMessage().contains("reset"), "expected a reset, got: " + e);
            }
            client.awaitClosed(WAIT);
            assertFalse(c.isOpen());
            c.abort(); // idempotent
            c.close();
            client.assertContract();
        }
    }

    @ParameterizedTest(name = "[{0}] close with 8 MiB pending: a slow reader gets every byte, in order")
    @MethodSource("stacks")
    void closeFlushesPendingWrites(StackUnderTest sut) throws Exception {
        long total = 8L << 20;
        try (NetworkStack stack = sut.open(1); ServerSocket ss = new ServerSocket(0, 10, sut.peerIpv4())) {
            Recorder client = Recorder.sink().onOpenDo(c -> {
                // Write it all at once, ignoring backpressure, then close at once.
                new Pattern(total, 1 << 20, x -> { }).ignoringWatermarks().pump(c);
                c.close();
            });
            CompletableFuture<Connection> f = stack.connect(ss.getLocalSocketAddress(),
                    ConnectOptions.defaults().withTimeout(WAIT), client);
            try (Socket peer = ss.accept()) {
                peer.setSoTimeout((int) WAIT.toMillis());
                InputStream in = peer.getInputStream();
                byte[] buf = new byte[64 * 1024];
                CRC32C crc = new CRC32C();
                long got = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    got += n;
                    if ((got & ((1 << 20) - 1)) < n) {
                        Thread.sleep(5); // slow, but reading
                    }
                }
                assertEquals(total, got, "bytes the peer got before EOF");
                assertEquals(Pattern.crcOf(total), crc.getValue(), "the bytes, in order");
            }
            get(f);
            assertNull(client.awaitClosed(WAIT), "every byte went out: no cause");
            client.assertContract();
        }
    }

    @ParameterizedTest(name = "[{0}] stack close with a short deadline: WritesDiscardedException counts the bytes")
    @MethodSource("stacks")
    void stackCloseDeadlineDiscards(StackUnderTest sut) throws Exception {
        long total = 64L << 20;
        try (ServerSocket ss = new ServerSocket(0, 10, sut.peerIpv4())) {
            NetworkStack stack = sut.open(1);
            Recorder client = Recorder.sink().onOpenDo(c -> {
                byte[] block = new byte[1 << 20];
                for (long i = 0; i < total; i += block.length) {
                    c.write(block);
                }
                c.flush();
            });
            try (Socket peer = new ServerSocketAcceptor(ss).accept(stack, client)) {
                // The peer never reads.
                stack.close(Duration.ofMillis(200));
                assertTrue(stack.isClosed());
                Throwable cause = client.awaitClosed(WAIT);
                WritesDiscardedException w = assertInstanceOf(WritesDiscardedException.class, cause);
                assertTrue(w.discardedBytes() > 0 && w.discardedBytes() <= total, "discarded " + w.discardedBytes());
                client.assertContract();
            } finally {
                stack.close();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] stack close while busy: no fd, native memory or thread left")
    @MethodSource("stacks")
    void stackCloseReleasesEverything(StackUnderTest sut) throws Exception {
        // Warm up once so the JDK's lazily opened fds and classes are not counted as the stack's.
        try (NetworkStack warm = sut.open(2)) {
            ConnectTest.ConnectionRoundTrip.check(warm, sut.ipv4());
        }
        System.gc();
        long fds = Fixtures.stackFds();
        long memory = Fixtures.directMemory();
        NetworkStack stack = sut.open(2);
        List<Thread> workers = Fixtures.workerThreads(stack);
        List<Recorder> servers = java.util.Collections.synchronizedList(new ArrayList<>());
        Listener l = Fixtures.listen(stack, sut.ipv4(), () -> {
            Recorder r = Recorder.echo();
            servers.add(r);
            return r;
        });
        List<Recorder> clients = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            // Endless streams, echoed back: every connection is busy both ways when the stack closes.
            Recorder r = Recorder.sink().source(new Pattern(Long.MAX_VALUE, 64 * 1024, c -> { }));
            clients.add(r);
            get(stack.connect(l.localAddress(), ConnectOptions.defaults().withTimeout(WAIT), r));
        }
        for (Recorder r : clients) {
            r.awaitReceived(1 << 20, WAIT);
        }
        stack.close(Duration.ofMillis(300));
        assertTrue(stack.isClosed());
        for (Recorder r : clients) {
            assertTrue(r.closed.isDone(), "stack.close returned before onClose of a connection");
            r.assertContract();
        }
        for (Recorder r : servers) {
            assertTrue(r.closed.isDone(), "stack.close returned before onClose of an accepted connection");
            r.assertContract();
        }
        l.close(); // idempotent after the stack closed it
        stack.close();
        Fixtures.assertAllDead(workers);
        Fixtures.awaitFdsBackTo(fds, Fixtures::stackFds, "after stack close");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Fixtures.directMemory() > memory && System.nanoTime() < deadline) {
            System.gc(); // direct ByteBuffers, if a stack uses them, go back only through GC
            Thread.sleep(50);
        }
        assertTrue(Fixtures.directMemory() <= memory,
                "native memory after close " + Fixtures.directMemory() + " > before open " + memory);
        assertThrows(RejectedExecutionException.class, () -> stack.workers().getFirst().execute(() -> { }));
    }

    /** Connects {@code client} through {@code stack} to a java ServerSocket and returns the accepted peer. */
    private record ServerSocketAcceptor(ServerSocket ss) {
        Socket accept(NetworkStack stack, Recorder client) throws Exception {
            CompletableFuture<Connection> f = stack.connect(ss.getLocalSocketAddress(),
                    ConnectOptions.defaults().withTimeout(WAIT), client);
            Socket peer = ss.accept();
            get(f);
            return peer;
        }
    }
}
