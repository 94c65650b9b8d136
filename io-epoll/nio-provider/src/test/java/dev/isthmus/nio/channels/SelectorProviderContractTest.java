package dev.isthmus.nio.channels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented behaviour of Selector, SocketChannel, ServerSocketChannel and Pipe, run on the JDK's default
 * provider and on ours: each test must pass on both, so the two agree on what a java.nio user can observe.
 * The test JVM has no provider property, so {@link SelectorProvider#provider()} is the JDK's.
 */
class SelectorProviderContractTest {
    static Stream<SelectorProvider> providers() {
        SelectorProvider jdk = SelectorProvider.provider();
        if (jdk instanceof IsthmusSelectorProvider) {
            throw new IllegalStateException("the test JVM must run on the JDK's default provider");
        }
        return Stream.of(jdk, new IsthmusSelectorProvider());
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** A connected pair: [0] the client, [1] the accepted side; both blocking. */
    private static SocketChannel[] pair(SelectorProvider p) throws IOException {
        try (ServerSocketChannel server = p.openServerSocketChannel()) {
            server.bind(new InetSocketAddress(LOOPBACK, 0));
            SocketChannel client = p.openSocketChannel();
            assertTrue(client.connect(server.getLocalAddress()));
            SocketChannel accepted = server.accept();
            return new SocketChannel[] {client, accepted};
        }
    }

    private static void closeAll(SocketChannel[] cs) throws IOException {
        for (SocketChannel c : cs) {
            c.close();
        }
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes());
    }

    private static String readExactly(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new IOException("EOF after " + b.position());
            }
        }
        return new String(b.array());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void blockingConnectAcceptEchoWithHeapAndDirectBuffers(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try {
            assertEquals(p, cs[0].provider());
            assertTrue(cs[0].isConnected());
            assertTrue(cs[1].isConnected());
            assertEquals(cs[0].getLocalAddress(), cs[1].getRemoteAddress());
            assertEquals(cs[1].getLocalAddress(), cs[0].getRemoteAddress());
            assertEquals(5, cs[0].write(bytes("hello")));
            assertEquals("hello", readExactly(cs[1], 5));
            ByteBuffer d = ByteBuffer.allocateDirect(5).put("world".getBytes()).flip();
            assertEquals(5, cs[1].write(d));
            ByteBuffer in = ByteBuffer.allocateDirect(5);
            while (in.hasRemaining()) {
                cs[0].read(in);
            }
            byte[] got = new byte[5];
            in.flip().get(got);
            assertEquals("world", new String(got));
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void nonBlockingConnectFinishesThroughOpConnectAndAcceptThroughOpAccept(SelectorProvider p) throws IOException {
        try (Selector sel = p.openSelector();
             ServerSocketChannel server = p.openServerSocketChannel();
             SocketChannel client = p.openSocketChannel()) {
            server.bind(new InetSocketAddress(LOOPBACK, 0));
            server.configureBlocking(false);
            assertNull(server.accept(), "nothing to accept yet");
            SelectionKey acceptKey = server.register(sel, SelectionKey.OP_ACCEPT);
            client.configureBlocking(false);
            boolean now = client.connect(server.getLocalAddress());
            SelectionKey connectKey = client.register(sel, now ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
            SocketChannel accepted = null;
            boolean connected = now;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((accepted == null || !connected) && System.nanoTime() < deadline) {
                sel.select(1000);
                for (SelectionKey k : sel.selectedKeys()) {
                    if (k == acceptKey) {
                        assertTrue(k.isAcceptable());
                        accepted = server.accept();
                    } else if (k == connectKey && k.isConnectable()) {
                        connected = client.finishConnect();
                        if (connected) {
                            k.interestOps(SelectionKey.OP_READ);
                        }
                    }
                }
                sel.selectedKeys().clear();
            }
            assertTrue(connected, "connected");
            assertTrue(accepted != null, "accepted");
            assertTrue(client.isConnected());
            assertFalse(client.isConnectionPending());
            accepted.write(bytes("ping"));
            assertTrue(sel.select(2000) >= 1);
            assertTrue(sel.selectedKeys().contains(connectKey));
            assertTrue(connectKey.isReadable());
            if (sel.selectedKeys().contains(acceptKey)) {
                // the ready set is "a hint, not a guarantee" (SelectionKey): an edge-triggered selector may
                // report OP_ACCEPT once more after the last connection was taken; accept() then says so
                assertNull(server.accept());
                sel.selectedKeys().clear();
                assertEquals(1, sel.selectNow(), "after accept() met EAGAIN only the readable key is left");
                assertFalse(sel.selectedKeys().contains(acceptKey));
            }
            assertEquals("ping", readExactly(client, 4));
            accepted.close();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aReadyKeyIsSelectedAgainUntilItsDataIsReadLikeLevelTriggered(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try (Selector sel = p.openSelector()) {
            cs[1].configureBlocking(false);
            SelectionKey k = cs[1].register(sel, SelectionKey.OP_READ);
            assertEquals(0, sel.selectNow());
            cs[0].write(bytes("abcdef"));
            assertEquals(1, sel.select(2000));
            assertTrue(sel.selectedKeys().contains(k));
            assertEquals(SelectionKey.OP_READ, k.readyOps());
            assertEquals(0, sel.selectNow(), "already selected and no new ops: not counted");
            sel.selectedKeys().clear();
            assertEquals(1, sel.selectNow(), "still readable: selected again");
            sel.selectedKeys().clear();
            ByteBuffer part = ByteBuffer.allocate(3);
            assertEquals(3, cs[1].read(part));
            assertEquals(1, sel.selectNow(), "three bytes left");
            sel.selectedKeys().clear();
            ByteBuffer rest = ByteBuffer.allocate(16);
            assertEquals(3, cs[1].read(rest));
            assertEquals(0, cs[1].read(rest), "non-blocking read with nothing there");
            assertEquals(0, sel.selectNow(), "drained: not selected");
            assertTrue(sel.selectedKeys().isEmpty());
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void interestChangesTakeEffectAtTheNextSelection(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try (Selector sel = p.openSelector()) {
            cs[0].configureBlocking(false);
            SelectionKey k = cs[0].register(sel, 0);
            assertEquals(0, sel.selectNow(), "no interest, nothing selected");
            k.interestOps(SelectionKey.OP_WRITE);
            assertEquals(1, sel.selectNow());
            assertTrue(k.isWritable());
            sel.selectedKeys().clear();
            k.interestOps(SelectionKey.OP_READ);
            assertEquals(0, sel.selectNow(), "not readable");
            k.interestOpsOr(SelectionKey.OP_WRITE);
            assertEquals(1, sel.selectNow());
            assertEquals(SelectionKey.OP_WRITE, k.readyOps());
            assertThrows(IllegalArgumentException.class, () -> k.interestOps(SelectionKey.OP_ACCEPT));
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void selectWithATimeoutReturnsZeroAfterIt(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try (Selector sel = p.openSelector()) {
            cs[1].configureBlocking(false);
            cs[1].register(sel, SelectionKey.OP_READ);
            long t0 = System.nanoTime();
            assertEquals(0, sel.select(150));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 100, "returned after " + ms + " ms");
            assertThrows(IllegalArgumentException.class, () -> sel.select(-1));
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void wakeupBeforeSelectMakesTheNextSelectReturnAtOnce(SelectorProvider p) throws IOException {
        try (Selector sel = p.openSelector()) {
            sel.wakeup();
            sel.wakeup();
            long t0 = System.nanoTime();
            assertEquals(0, sel.select(10_000));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void wakeupFromAnotherThreadEndsABlockedSelect(SelectorProvider p) throws Exception {
        try (Selector sel = p.openSelector()) {
            CountDownLatch entering = new CountDownLatch(1);
            CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> {
                entering.countDown();
                try {
                    return sel.select();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            entering.await();
            Thread.sleep(100);
            assertFalse(r.isDone(), "select() with nothing registered must block");
            sel.wakeup();
            assertEquals(0, r.get(5, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void interruptEndsABlockedSelectAndKeepsTheStatus(SelectorProvider p) throws Exception {
        try (Selector sel = p.openSelector()) {
            CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    sel.select();
                    interrupted.complete(Thread.currentThread().isInterrupted());
                } catch (Throwable e) {
                    interrupted.completeExceptionally(e);
                }
            });
            t.start();
            Thread.sleep(100);
            t.interrupt();
            assertTrue(interrupted.get(5, TimeUnit.SECONDS));
            assertTrue(sel.isOpen());
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void selectWithAnActionCallsItForEachReadyKey(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try (Selector sel = p.openSelector()) {
            cs[0].configureBlocking(false);
            cs[1].configureBlocking(false);
            SelectionKey k0 = cs[0].register(sel, SelectionKey.OP_WRITE);
            SelectionKey k1 = cs[1].register(sel, SelectionKey.OP_WRITE);
            List<SelectionKey> seen = new ArrayList<>();
            assertEquals(2, sel.select(seen::add, 1000));
            assertEquals(Set.of(k0, k1), Set.copyOf(seen));
            assertTrue(sel.selectedKeys().isEmpty(), "the action variant leaves the selected-key set alone");
            assertThrows(UnsupportedOperationException.class, () -> sel.selectedKeys().add(k0));
            assertThrows(UnsupportedOperationException.class, () -> sel.keys().remove(k0));
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aCancelledKeyIsDroppedAtTheNextSelectionAndTheChannelCanRegisterAgain(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try (Selector sel = p.openSelector()) {
            cs[0].configureBlocking(false);
            SelectionKey k = cs[0].register(sel, SelectionKey.OP_WRITE);
            k.cancel();
            assertFalse(k.isValid());
            assertThrows(CancelledKeyException.class, k::interestOps);
            assertThrows(CancelledKeyException.class, () -> cs[0].register(sel, SelectionKey.OP_WRITE));
            assertEquals(0, sel.selectNow());
            assertFalse(sel.keys().contains(k));
            assertFalse(cs[0].isRegistered());
            SelectionKey again = cs[0].register(sel, SelectionKey.OP_WRITE);
            assertEquals(1, sel.selectNow());
            assertTrue(again.isWritable());
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closingARegisteredChannelInvalidatesItsKeyAndThePeerSeesEndOfStream(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try (Selector sel = p.openSelector()) {
            cs[0].configureBlocking(false);
            SelectionKey k = cs[0].register(sel, SelectionKey.OP_READ);
            cs[0].close();
            assertFalse(k.isValid());
            assertThrows(ClosedChannelException.class, () -> cs[0].read(ByteBuffer.allocate(1)));
            sel.selectNow();
            assertFalse(sel.keys().contains(k));
            assertEquals(-1, cs[1].read(ByteBuffer.allocate(1)), "descriptor closed once deregistered");
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void shutdownInputAndOutput(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try {
            cs[0].shutdownOutput();
            assertThrows(ClosedChannelException.class, () -> cs[0].write(bytes("x")));
            assertEquals(-1, cs[1].read(ByteBuffer.allocate(4)), "peer sees FIN");
            cs[1].write(bytes("still"));
            assertEquals("still", readExactly(cs[0], 5), "the other direction still works");
            cs[1].shutdownInput();
            assertEquals(-1, cs[1].read(ByteBuffer.allocate(4)));
            assertTrue(cs[1].socket().isInputShutdown());
            assertTrue(cs[0].socket().isOutputShutdown());
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void scatterAndGatherAcrossHeapAndDirectBuffers(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try {
            ByteBuffer[] out = {bytes("ab"), ByteBuffer.allocateDirect(3).put("cde".getBytes()).flip(), ByteBuffer.allocate(0), bytes("fghij")};
            assertEquals(10, cs[0].write(out));
            for (ByteBuffer b : out) {
                assertFalse(b.hasRemaining());
            }
            ByteBuffer[] in = {ByteBuffer.allocate(4), ByteBuffer.allocateDirect(4), ByteBuffer.allocate(2)};
            long n = 0;
            while (n < 10) {
                n += cs[1].read(in);
            }
            StringBuilder s = new StringBuilder();
            for (ByteBuffer b : in) {
                b.flip();
                while (b.hasRemaining()) {
                    s.append((char) b.get());
                }
            }
            assertEquals("abcdefghij", s.toString());
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aLargeTransferThroughTheSelectorArrivesIntact(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        byte[] data = new byte[3 << 20];
        new Random(42).nextBytes(data);
        try (Selector sel = p.openSelector()) {
            cs[0].configureBlocking(false);
            cs[1].configureBlocking(false);
            SelectionKey wk = cs[0].register(sel, SelectionKey.OP_WRITE);
            SelectionKey rk = cs[1].register(sel, SelectionKey.OP_READ);
            ByteBuffer src = ByteBuffer.wrap(data);
            ByteBuffer dst = ByteBuffer.allocateDirect(data.length);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (dst.hasRemaining() && System.nanoTime() < deadline) {
                sel.select(1000);
                for (SelectionKey k : sel.selectedKeys()) {
                    if (k == wk && k.isWritable()) {
                        cs[0].write(src);
                        if (!src.hasRemaining()) {
                            k.interestOps(0);
                        }
                    } else if (k == rk && k.isReadable()) {
                        cs[1].read(dst);
                    }
                }
                sel.selectedKeys().clear();
            }
            assertFalse(dst.hasRemaining(), "received " + dst.position() + " of " + data.length);
            byte[] got = new byte[data.length];
            dst.flip().get(got);
            assertArrayEquals(data, got);
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void connectRefusedIsReportedByFinishConnect(SelectorProvider p) throws IOException {
        InetSocketAddress closedPort;
        try (ServerSocketChannel s = p.openServerSocketChannel()) {
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            closedPort = (InetSocketAddress) s.getLocalAddress();
        }
        try (Selector sel = p.openSelector(); SocketChannel c = p.openSocketChannel()) {
            c.configureBlocking(false);
            if (c.connect(closedPort)) {
                throw new AssertionError("connected to a closed port");
            }
            c.register(sel, SelectionKey.OP_CONNECT);
            assertEquals(1, sel.select(5000));
            assertThrows(ConnectException.class, c::finishConnect);
            assertFalse(c.isOpen(), "a failed connect closes the channel");
        }
        try (SocketChannel c = p.openSocketChannel()) {
            assertThrows(ConnectException.class, () -> c.connect(closedPort));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void unconnectedChannelsRefuseIo(SelectorProvider p) throws IOException {
        try (SocketChannel c = p.openSocketChannel()) {
            assertThrows(NotYetConnectedException.class, () -> c.read(ByteBuffer.allocate(1)));
            assertThrows(NotYetConnectedException.class, () -> c.write(bytes("x")));
            assertNull(c.getRemoteAddress());
            assertNull(c.getLocalAddress());
            assertThrows(NotYetConnectedException.class, () -> c.read(ByteBuffer.allocate(1).asReadOnlyBuffer()),
                    "the state is checked before the buffer");
        }
        SocketChannel[] cs = pair(p);
        try {
            assertThrows(IllegalArgumentException.class, () -> cs[1].read(ByteBuffer.allocate(1).asReadOnlyBuffer()));
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void socketOptionsAgreeWithTheJdk(SelectorProvider p) throws IOException {
        Set<SocketOption<?>> jdk;
        try (SocketChannel j = SelectorProvider.provider().openSocketChannel()) {
            jdk = j.supportedOptions();
        }
        SocketChannel[] cs = pair(p);
        try {
            SocketChannel c = cs[0];
            assertTrue(jdk.containsAll(c.supportedOptions()), "every option offered is one the JDK offers: " + c.supportedOptions());
            for (SocketOption<?> o : List.of(StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE,
                    StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_LINGER,
                    StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.IP_TOS)) {
                assertTrue(c.supportedOptions().contains(o), o.name());
            }
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY));
            c.setOption(StandardSocketOptions.SO_LINGER, 7);
            assertEquals(7, c.getOption(StandardSocketOptions.SO_LINGER));
            c.setOption(StandardSocketOptions.SO_LINGER, -1);
            assertEquals(-1, c.getOption(StandardSocketOptions.SO_LINGER));
            c.socket().setKeepAlive(true);
            assertTrue(c.getOption(StandardSocketOptions.SO_KEEPALIVE));
            c.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
            assertTrue(c.getOption(StandardSocketOptions.SO_RCVBUF) >= 65536, "Linux doubles SO_RCVBUF");
            assertThrows(IllegalArgumentException.class, () -> c.setOption(StandardSocketOptions.SO_RCVBUF, -1));
            assertThrows(UnsupportedOperationException.class, () -> c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1));
            assertThrows(NullPointerException.class, () -> c.getOption(null));
            c.close();
            assertThrows(ClosedChannelException.class, () -> c.getOption(StandardSocketOptions.TCP_NODELAY));
        } finally {
            closeAll(cs);
        }
        try (ServerSocketChannel s = p.openServerSocketChannel();
             ServerSocketChannel j = SelectorProvider.provider().openServerSocketChannel()) {
            assertTrue(j.supportedOptions().containsAll(s.supportedOptions()));
            assertTrue(s.getOption(StandardSocketOptions.SO_REUSEADDR), "SO_REUSEADDR on by default, as the JDK sets it");
            assertEquals(j.getOption(StandardSocketOptions.SO_REUSEADDR), s.getOption(StandardSocketOptions.SO_REUSEADDR));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void unixDomainSocketsConnectAndEcho(SelectorProvider p, @TempDir Path dir) throws IOException {
        UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(dir.resolve("s"));
        try (ServerSocketChannel server = p.openServerSocketChannel(StandardProtocolFamily.UNIX);
             SocketChannel client = p.openSocketChannel(StandardProtocolFamily.UNIX);
             Selector sel = p.openSelector()) {
            server.bind(addr);
            assertEquals(addr, server.getLocalAddress());
            server.configureBlocking(false);
            server.register(sel, SelectionKey.OP_ACCEPT);
            assertTrue(client.connect(addr));
            assertEquals(addr, client.getRemoteAddress());
            assertEquals(1, sel.select(2000));
            try (SocketChannel accepted = server.accept()) {
                client.write(bytes("unix"));
                assertEquals("unix", readExactly(accepted, 4));
                assertTrue(accepted.supportedOptions().contains(StandardSocketOptions.SO_SNDBUF));
                assertFalse(accepted.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY));
            }
        }
        try (SocketChannel other = p.openSocketChannel(StandardProtocolFamily.UNIX)) {
            assertThrows(java.nio.channels.UnsupportedAddressTypeException.class,
                    () -> other.bind(new InetSocketAddress(LOOPBACK, 0)));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void pipeEndsCarryBytesAndSelect(SelectorProvider p) throws IOException {
        Pipe pipe = p.openPipe();
        try (Selector sel = p.openSelector(); Pipe.SourceChannel src = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            src.configureBlocking(false);
            SelectionKey k = src.register(sel, SelectionKey.OP_READ);
            assertEquals(0, sel.selectNow());
            assertEquals(0, src.read(ByteBuffer.allocate(8)));
            sink.write(bytes("pipe"));
            assertEquals(1, sel.select(2000));
            assertTrue(k.isReadable());
            ByteBuffer b = ByteBuffer.allocate(8);
            assertEquals(4, src.read(b));
            assertEquals("pipe", new String(b.array(), 0, 4));
            sink.close();
            sel.selectedKeys().clear();
            assertEquals(1, sel.select(2000), "end of stream is readable");
            assertEquals(-1, src.read(b));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closeFromAnotherThreadEndsABlockedReadWithAsynchronousCloseException(SelectorProvider p) throws Exception {
        SocketChannel[] cs = pair(p);
        try {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    cs[0].read(ByteBuffer.allocate(8));
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            t.start();
            Thread.sleep(150);
            assertFalse(outcome.isDone(), "read must block");
            cs[0].close();
            Throwable e = outcome.get(5, TimeUnit.SECONDS);
            assertInstanceOf(AsynchronousCloseException.class, e);
            assertFalse(e instanceof ClosedByInterruptException);
            assertEquals(-1, cs[1].read(ByteBuffer.allocate(1)), "the descriptor was closed");
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void interruptEndsABlockedReadWithClosedByInterruptException(SelectorProvider p) throws Exception {
        SocketChannel[] cs = pair(p);
        try {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CompletableFuture<Boolean> status = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    cs[0].read(ByteBuffer.allocate(8));
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
                status.complete(Thread.currentThread().isInterrupted());
            });
            t.start();
            Thread.sleep(150);
            t.interrupt();
            assertInstanceOf(ClosedByInterruptException.class, outcome.get(5, TimeUnit.SECONDS));
            assertTrue(status.get(5, TimeUnit.SECONDS), "the interrupt status stays set");
            assertFalse(cs[0].isOpen(), "the interrupt closed the channel");
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aVirtualThreadBlockedInReadIsEndedByClose(SelectorProvider p) throws Exception {
        SocketChannel[] cs = pair(p);
        try {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    ByteBuffer b = ByteBuffer.allocate(8);
                    int n = cs[0].read(b);
                    outcome.complete(n == 3 ? null : new AssertionError("read " + n));
                    cs[0].read(ByteBuffer.allocate(8)); // blocks again, until the close below
                } catch (Throwable e) {
                    outcome.obtrudeValue(e);
                }
            });
            Thread.sleep(100);
            cs[1].write(bytes("abc"));
            Thread.sleep(100);
            cs[0].close();
            t.join(5000);
            assertInstanceOf(AsynchronousCloseException.class, outcome.get(5, TimeUnit.SECONDS));
        } finally {
            closeAll(cs);
        }
    }

    /**
     * More virtual threads blocked in read than there are carriers (the scheduler's parallelism is the number
     * of CPUs): if a blocked read pinned its carrier, the remaining readers and the writers that feed them
     * could never run and the reads would time out.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void blockedVirtualThreadsDoNotPinTheirCarrier(SelectorProvider p) throws Exception {
        int pairs = Runtime.getRuntime().availableProcessors() + 2;
        List<SocketChannel[]> all = new ArrayList<>();
        var exec = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<java.util.concurrent.Future<String>> reads = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                SocketChannel[] cs = pair(p);
                all.add(cs);
                reads.add(exec.submit(() -> readExactly(cs[0], 2)));
            }
            Thread.sleep(200); // every reader is now blocked
            for (int i = 0; i < pairs; i++) {
                SocketChannel[] cs = all.get(i);
                int n = i;
                exec.submit(() -> cs[1].write(bytes("r" + n)));
            }
            for (int i = 0; i < pairs; i++) {
                assertEquals("r" + i, reads.get(i).get(10, TimeUnit.SECONDS));
            }
        } finally {
            for (SocketChannel[] cs : all) {
                closeAll(cs); // first: closing ends reads still blocked, so the executor can finish
            }
            exec.shutdownNow();
            assertTrue(exec.awaitTermination(10, TimeUnit.SECONDS), "virtual threads still blocked after close");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closeEndsABlockedAccept(SelectorProvider p) throws Exception {
        try (ServerSocketChannel server = p.openServerSocketChannel()) {
            server.bind(new InetSocketAddress(LOOPBACK, 0));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    server.accept();
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            t.start();
            Thread.sleep(150);
            assertFalse(outcome.isDone());
            server.close();
            assertInstanceOf(AsynchronousCloseException.class, outcome.get(5, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void blockingWriteOfMoreThanTheSocketBufferCompletesAsTheReaderDrains(SelectorProvider p) throws Exception {
        SocketChannel[] cs = pair(p);
        try {
            byte[] data = new byte[4 << 20];
            new Random(7).nextBytes(data);
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> {
                try {
                    ByteBuffer b = ByteBuffer.allocate(data.length);
                    while (b.hasRemaining() && cs[1].read(b) >= 0) {
                        // keep reading
                    }
                    return b.array();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertEquals(data.length, cs[0].write(ByteBuffer.wrap(data)), "blocking write writes everything");
            assertArrayEquals(data, got.get(20, TimeUnit.SECONDS));
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void socketAdaptorHonoursSoTimeout(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try {
            cs[0].socket().setSoTimeout(100);
            InputStream in = cs[0].socket().getInputStream();
            assertThrows(SocketTimeoutException.class, in::read);
            assertTrue(cs[0].isOpen(), "a time-out leaves the channel open");
            cs[1].write(bytes("z"));
            assertEquals('z', in.read());
            cs[0].socket().setTcpNoDelay(true);
            assertTrue(cs[0].socket().getTcpNoDelay());
            assertEquals(cs[0].getRemoteAddress(), cs[0].socket().getRemoteSocketAddress());
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void serverSocketAdaptorBindsAndAcceptsWithATimeout(SelectorProvider p) throws IOException {
        try (ServerSocketChannel server = p.openServerSocketChannel()) {
            server.socket().bind(new InetSocketAddress(LOOPBACK, 0), 10);
            assertTrue(server.socket().isBound());
            assertEquals(((InetSocketAddress) server.getLocalAddress()).getPort(), server.socket().getLocalPort());
            server.socket().setSoTimeout(100);
            assertThrows(SocketTimeoutException.class, () -> server.socket().accept());
            try (SocketChannel c = p.openSocketChannel(server.getLocalAddress() instanceof InetSocketAddress ? StandardProtocolFamily.INET : null)) {
                c.connect(new InetSocketAddress(LOOPBACK, server.socket().getLocalPort()));
                try (var s = server.socket().accept()) {
                    assertTrue(s.isConnected());
                    assertEquals(c.getLocalAddress(), s.getRemoteSocketAddress());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closingTheSelectorInvalidatesEveryKey(SelectorProvider p) throws IOException {
        SocketChannel[] cs = pair(p);
        try {
            Selector sel = p.openSelector();
            cs[0].configureBlocking(false);
            SelectionKey k = cs[0].register(sel, SelectionKey.OP_READ);
            sel.close();
            assertFalse(k.isValid());
            assertFalse(cs[0].isRegistered());
            assertThrows(java.nio.channels.ClosedSelectorException.class, sel::selectNow);
            cs[0].configureBlocking(true);
            cs[1].write(bytes("ok"));
            assertEquals("ok", readExactly(cs[0], 2), "the channel outlives its selector");
        } finally {
            closeAll(cs);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void datagramsSendReceiveConnectAndSelect(SelectorProvider p) throws IOException {
        try (java.nio.channels.DatagramChannel a = p.openDatagramChannel();
             java.nio.channels.DatagramChannel b = p.openDatagramChannel();
             Selector sel = p.openSelector()) {
            a.bind(new InetSocketAddress(LOOPBACK, 0));
            b.bind(new InetSocketAddress(LOOPBACK, 0));
            b.configureBlocking(false);
            assertNull(b.receive(ByteBuffer.allocate(16)), "nothing there yet");
            SelectionKey k = b.register(sel, SelectionKey.OP_READ);
            assertEquals(0, sel.selectNow());
            assertEquals(5, a.send(bytes("hello"), b.getLocalAddress()));
            assertEquals(1, sel.select(2000));
            assertTrue(k.isReadable());
            ByteBuffer in = ByteBuffer.allocateDirect(16);
            assertEquals(a.getLocalAddress(), b.receive(in));
            assertEquals(5, in.position());
            // a datagram longer than the buffer is truncated, the rest discarded
            a.send(bytes("0123456789"), b.getLocalAddress());
            ByteBuffer small = ByteBuffer.allocate(4);
            SocketAddress from = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (from == null && System.nanoTime() < deadline) {
                sel.select(500);
                from = b.receive(small);
            }
            assertEquals(a.getLocalAddress(), from);
            assertEquals("0123", new String(small.array()));
            k.cancel();
            sel.selectNow();
            b.configureBlocking(true);
            // connected: read and write, and only the peer's datagrams
            assertThrows(NotYetConnectedException.class, () -> a.write(bytes("x")));
            a.connect(b.getLocalAddress());
            b.connect(a.getLocalAddress());
            assertTrue(a.isConnected());
            assertEquals(b.getLocalAddress(), a.getRemoteAddress());
            assertEquals(3, a.write(bytes("abc")));
            ByteBuffer r = ByteBuffer.allocate(8);
            assertEquals(3, b.read(r));
            assertEquals("abc", new String(r.array(), 0, 3));
            assertThrows(java.nio.channels.AlreadyConnectedException.class,
                    () -> a.send(bytes("x"), new InetSocketAddress(LOOPBACK, 9)));
            a.disconnect();
            assertFalse(a.isConnected());
            assertNull(a.getRemoteAddress());
            assertTrue(p.openDatagramChannel().supportedOptions().contains(StandardSocketOptions.SO_RCVBUF));
        }
        try (java.nio.channels.DatagramChannel ours = p.openDatagramChannel();
             java.nio.channels.DatagramChannel jdk = SelectorProvider.provider().openDatagramChannel()) {
            assertTrue(jdk.supportedOptions().containsAll(ours.supportedOptions()));
            ours.setOption(StandardSocketOptions.SO_BROADCAST, true);
            assertTrue(ours.getOption(StandardSocketOptions.SO_BROADCAST));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closeEndsABlockedReceive(SelectorProvider p) throws Exception {
        try (java.nio.channels.DatagramChannel d = p.openDatagramChannel()) {
            d.bind(new InetSocketAddress(LOOPBACK, 0));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    d.receive(ByteBuffer.allocate(8));
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            t.start();
            Thread.sleep(150);
            assertFalse(outcome.isDone());
            d.close();
            assertInstanceOf(AsynchronousCloseException.class, outcome.get(5, TimeUnit.SECONDS));
        }
    }

    /** Our selector takes only our channels, the JDK's only its own: each fails with IllegalSelectorException. */
    @Test
    void channelsOfOneProviderCannotRegisterWithTheOther() throws IOException {
        SelectorProvider ours = new IsthmusSelectorProvider();
        SelectorProvider jdk = SelectorProvider.provider();
        try (Selector sel = ours.openSelector(); SocketChannel c = jdk.openSocketChannel()) {
            c.configureBlocking(false);
            assertThrows(IllegalSelectorException.class, () -> c.register(sel, SelectionKey.OP_READ));
        }
        try (Selector sel = jdk.openSelector(); SocketChannel c = ours.openSocketChannel()) {
            c.configureBlocking(false);
            assertThrows(IllegalSelectorException.class, () -> c.register(sel, SelectionKey.OP_READ));
        }
        assertTrue(Arrays.stream(NativeSocketChannel.class.getInterfaces()).anyMatch(i -> i == NativeChannel.class));
    }
}
