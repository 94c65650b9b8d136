package dev.isthmus.nio.channels;

import dev.isthmus.uring.StandaloneRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The selector's read-ahead ({@link ReadAhead}): bytes read ahead come first and in order, then end of stream or
 * the error; every read path sees them; every block goes back to the pool; one selection of N ready channels is
 * one io_uring_enter and N reads without read(2). These need io_uring (this build's machines have it; the first
 * assertion says so where they do not).
 */
class ReadAheadTest {
    private final IsthmusSelectorProvider provider = new IsthmusSelectorProvider();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        System.clearProperty(ReadAhead.PROPERTY);
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private EpollSelector selector() throws IOException {
        assertNull(StandaloneRing.unavailability(), "io_uring must run for the read-ahead tests");
        EpollSelector sel = keep((EpollSelector) provider.openSelector());
        assertNotNull(sel.readAhead(), "read-ahead is on by default");
        return sel;
    }

    /** A connected pair over loopback TCP: [0] the client (blocking), [1] the accepted side (non-blocking). */
    private SocketChannel[] pair() throws IOException {
        ServerSocketChannel server = keep(provider.openServerSocketChannel());
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel c = keep(provider.openSocketChannel());
        c.connect(server.getLocalAddress());
        SocketChannel a = keep(server.accept());
        a.configureBlocking(false);
        return new SocketChannel[] {c, a};
    }

    private static void send(SocketChannel c, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static String read(SocketChannel a, int max) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(max);
        int n = a.read(b);
        return n < 0 ? "EOF" : new String(b.array(), 0, n, StandardCharsets.US_ASCII);
    }

    /** Selects until the key is selected for reading (bounded), and clears the selected set. */
    private static void selectReadable(EpollSelector sel, SelectionKey k) throws IOException {
        for (int i = 0; i < 100; i++) {
            sel.select(100);
            boolean got = sel.selectedKeys().remove(k) && (k.readyOps() & SelectionKey.OP_READ) != 0;
            sel.selectedKeys().clear();
            if (got) {
                return;
            }
        }
        throw new AssertionError("not selected for reading within 10 s");
    }

    private static NativeSocketChannel nat(SocketChannel a) {
        return (NativeSocketChannel) a;
    }

    @Test
    void bytesReadAheadComeFirstThenLaterBytes() throws IOException {
        EpollSelector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        send(p[0], "AAAA");
        selectReadable(sel, k);
        assertEquals(1, sel.readAhead().pool().outstanding(), "the selector read AAAA ahead");
        send(p[0], "BBBB");
        assertEquals("AA", read(p[1], 2));
        assertEquals("AA", read(p[1], 2));
        assertEquals(0, sel.readAhead().pool().outstanding(), "the block went back once its bytes were read");
        assertEquals(0, nat(p[1]).systemReads(), "AAAA came without read(2)");
        assertEquals("BBBB", read(p[1], 64)); // after the read-ahead, the socket
        assertEquals(2, nat(p[1]).readAheadReads());
    }

    @Test
    void endOfStreamAfterReadAheadData() throws IOException {
        EpollSelector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        send(p[0], "data");
        selectReadable(sel, k);
        p[0].shutdownOutput();
        assertEquals("data", read(p[1], 64));
        selectReadable(sel, k); // the FIN: read ahead as end of stream
        assertEquals("EOF", read(p[1], 64));
        assertEquals(0, nat(p[1]).systemReads(), "data and end of stream both came from the read-ahead");
        assertEquals("EOF", read(p[1], 64)); // and stays: read(2) says 0 again
    }

    @Test
    void resetAfterDataSurfacesAfterTheData() throws IOException {
        EpollSelector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        send(p[0], "last words");
        selectReadable(sel, k);
        p[0].setOption(StandardSocketOptions.SO_LINGER, 0);
        p[0].close(); // RST
        assertEquals("last words", read(p[1], 64));
        selectReadable(sel, k);
        IOException e = assertThrows(IOException.class, () -> read(p[1], 64));
        assertTrue(e.getMessage().contains("reset") || e.getMessage().contains("ECONNRESET"), e.getMessage());
        assertEquals(0, nat(p[1]).systemReads(), "the reset came from the read-ahead too");
    }

    @Test
    void scatterReadSeesReadAheadBytes() throws IOException {
        EpollSelector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        send(p[0], "0123456789");
        selectReadable(sel, k);
        ByteBuffer[] bs = {ByteBuffer.allocate(3), ByteBuffer.allocateDirect(4), ByteBuffer.allocate(10)};
        assertEquals(10, p[1].read(bs));
        assertEquals("012", new String(bs[0].array(), StandardCharsets.US_ASCII));
        byte[] mid = new byte[4];
        bs[1].flip().get(mid);
        assertEquals("3456", new String(mid, StandardCharsets.US_ASCII));
        assertEquals("789", new String(bs[2].array(), 0, 3, StandardCharsets.US_ASCII));
        assertEquals(3, bs[2].position());
        assertEquals(0, nat(p[1]).systemReads());
        assertEquals(0, sel.readAhead().pool().outstanding());
    }

    /** Deregistration moves the bytes to the heap; the adaptor's stream (blocking mode) reads them first. */
    @Test
    void socketAdaptorStreamSeesReadAheadBytesAfterDeregistration() throws IOException {
        EpollSelector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        send(p[0], "hello");
        selectReadable(sel, k);
        assertEquals(1, sel.readAhead().pool().outstanding());
        k.cancel();
        sel.selectNow(); // deregisters
        assertEquals(0, sel.readAhead().pool().outstanding(), "deregistration gave the block back");
        p[1].configureBlocking(true);
        InputStream in = p[1].socket().getInputStream();
        assertEquals(5, in.available());
        send(p[0], " world");
        byte[] b = new byte[64];
        assertEquals(5, in.read(b));
        assertEquals("hello", new String(b, 0, 5, StandardCharsets.US_ASCII));
        assertEquals(0, in.available());
        int n = in.read(b);
        assertEquals(" world", new String(b, 0, n, StandardCharsets.US_ASCII));
        assertEquals(1, nat(p[1]).systemReads());
    }

    /**
     * A selector passes between threads (Jetty hands its selector on): the read-ahead ring must not be tied to the
     * first thread that entered it (IORING_SETUP_SINGLE_ISSUER would make the second thread's enter fail).
     */
    @Test
    void selectionsFromAnotherThreadReadAheadToo() throws Exception {
        EpollSelector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        send(p[0], "first");
        selectReadable(sel, k);
        assertEquals("first", read(p[1], 64));
        long enters = sel.readAhead().enters();
        java.util.concurrent.FutureTask<String> other = new java.util.concurrent.FutureTask<>(() -> {
            send(p[0], "second");
            selectReadable(sel, k);
            return read(p[1], 64);
        });
        Thread t = new Thread(other, "second selecting thread");
        t.start();
        assertEquals("second", other.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(sel.readAhead().enters() > enters, "the other thread entered the ring");
        assertEquals(0, nat(p[1]).systemReads(), "both reads were served by the read-ahead");
    }

    /** Cancelled but not yet deregistered, then blocking: the bytes move to the heap there and then. */
    @Test
    void switchingToBlockingModeGivesTheBlockBack() throws IOException {
        EpollSelector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        send(p[0], "before blocking");
        selectReadable(sel, k);
        k.cancel(); // no selection after: the key is still in the cancelled set
        p[1].configureBlocking(true);
        assertEquals(0, sel.readAhead().pool().outstanding(), "configureBlocking(true) gave the block back");
        assertEquals("before blocking", read(p[1], 64));
        sel.selectNow(); // the deregistration has nothing left to give back
        assertEquals(0, sel.readAhead().pool().outstanding());
        assertEquals(0, nat(p[1]).systemReads());
    }

    @Test
    void shutdownInputAndCloseGiveTheBlockBack() throws IOException {
        EpollSelector sel = selector();
        SocketChannel[] p = pair();
        SocketChannel[] q = pair();
        SelectionKey kp = p[1].register(sel, SelectionKey.OP_READ);
        SelectionKey kq = q[1].register(sel, SelectionKey.OP_READ);
        send(p[0], "x");
        send(q[0], "y");
        selectReadable(sel, kp);
        if (sel.readAhead().pool().outstanding() < 2) {
            selectReadable(sel, kq);
        }
        ReadAheadPool pool = sel.readAhead().pool();
        assertEquals(2, pool.outstanding());
        p[1].shutdownInput();
        assertEquals(1, pool.outstanding(), "shutdownInput dropped what was read ahead");
        assertEquals("EOF", read(p[1], 64));
        q[1].close();
        assertEquals(0, pool.outstanding(), "close dropped what was read ahead");
        sel.selectNow(); // deregisters both; nothing to give back twice
        assertEquals(0, pool.outstanding());
        assertFalse(kq.isValid());
    }

    @Test
    void selectorCloseLeavesTheBytesReadable() throws IOException {
        EpollSelector sel = selector();
        SocketChannel[] p = pair();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        send(p[0], "kept");
        selectReadable(sel, k);
        ReadAheadPool pool = sel.readAhead().pool();
        sel.close();
        assertEquals(0, pool.outstanding());
        assertEquals("kept", read(p[1], 64));
    }

    /** The point: N ready channels, one selection, ONE io_uring_enter, then N reads without read(2). */
    @Test
    void oneEnterPerSelectionAndNoReadSyscalls() throws Exception {
        int n = 16;
        EpollSelector sel = selector();
        List<SocketChannel[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel[] p = pair();
            p[1].register(sel, SelectionKey.OP_READ, i);
            pairs.add(p);
        }
        assertEquals(n, batch(sel, pairs));
        long enters = sel.readAhead().enters();
        long prepared = sel.readAhead().prepared();
        assertEquals(n, sel.selectNow(), "every request was in before the selection");
        assertEquals(n, sel.readAhead().prepared() - prepared, "one recv per ready channel");
        assertEquals(1, sel.readAhead().enters() - enters, "ONE io_uring_enter for the whole selection");
        for (SelectionKey k : sel.selectedKeys()) {
            SocketChannel a = (SocketChannel) k.channel();
            assertEquals("request " + k.attachment(), read(a, 64));
        }
        for (SocketChannel[] p : pairs) {
            assertEquals(0, nat(p[1]).systemReads(), "served without read(2)");
        }
        assertEquals(0, sel.readAhead().pool().outstanding());
    }

    private static int batch(EpollSelector sel, List<SocketChannel[]> pairs) throws Exception {
        sel.selectNow(); // the connections' first writable edges
        sel.selectedKeys().clear();
        for (int i = 0; i < pairs.size(); i++) {
            send(pairs.get(i)[0], "request " + i);
        }
        Thread.sleep(200); // let loopback deliver every request before the selection under test
        return pairs.size();
    }

    /** With N ready channels, a selection after the switch turned it off reads nothing ahead. */
    @Test
    void switchedOffTheReadsAreRead2() throws Exception {
        System.setProperty(ReadAhead.PROPERTY, "false");
        EpollSelector sel = keep((EpollSelector) provider.openSelector());
        assertNull(sel.readAhead());
        List<SocketChannel[]> pairs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SocketChannel[] p = pair();
            p[1].register(sel, SelectionKey.OP_READ, i);
            pairs.add(p);
        }
        batch(sel, pairs);
        assertEquals(4, sel.selectNow());
        for (SelectionKey k : sel.selectedKeys()) {
            assertEquals("request " + k.attachment(), read((SocketChannel) k.channel(), 64));
            assertEquals(1, nat((SocketChannel) k.channel()).systemReads());
            assertEquals(0, nat((SocketChannel) k.channel()).readAheadReads());
        }
    }

    @Test
    void badSwitchValueFailsClearly() {
        System.setProperty(ReadAhead.PROPERTY, "yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, provider::openSelector);
        assertTrue(e.getMessage().contains(ReadAhead.PROPERTY + "=yes"), e.getMessage());
        assertTrue(e.getMessage().contains("true or false"), e.getMessage());
    }

    @Test
    void offWithOneLineWhereIoUringCannotRun() {
        List<String> lines = new ArrayList<>();
        assertFalse(ReadAhead.enabled(null, () -> "io_uring_setup: EPERM", lines::add));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("EPERM"), lines.get(0));
        assertTrue(ReadAhead.enabled(null, () -> null, lines::add));
        assertTrue(ReadAhead.enabled("true", () -> null, lines::add));
        assertFalse(ReadAhead.enabled("false", () -> null, lines::add));
        assertEquals(1, lines.size());
    }

    @Test
    void unixDomainChannelsAreReadAheadToo() throws IOException {
        EpollSelector sel = selector();
        Path dir = Files.createTempDirectory("isthmus-ra");
        Path path = dir.resolve("s");
        try (ServerSocketChannel server = provider.openServerSocketChannel(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel c = provider.openSocketChannel(java.net.StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(path));
                try (SocketChannel a = server.accept()) {
                    a.configureBlocking(false);
                    SelectionKey k = a.register(sel, SelectionKey.OP_READ);
                    send(c, "unix");
                    selectReadable(sel, k);
                    assertEquals("unix", read(a, 64));
                    assertEquals(0, nat(a).systemReads());
                }
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }
}
