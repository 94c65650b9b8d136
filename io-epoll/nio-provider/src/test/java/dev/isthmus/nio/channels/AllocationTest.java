package dev.isthmus.nio.channels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heap allocation of the hot path, read from the thread's allocation counter
 * (com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes): a non-blocking write and read of a
 * direct buffer, and a selectNow with a ready key already in the selected set, after warm-up; and the same
 * for heap buffers (copied through the thread's bounce buffer), read-only ones and scatter/gather included.
 */
class AllocationTest {
    private static final int WARMUP = 50_000;
    private static final int MEASURED = 20_000;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** A connected loopback pair on our provider, both ends non-blocking: {@code c} connected, {@code a} accepted. */
    private record Pair(ServerSocketChannel server, SocketChannel c, SocketChannel a) implements AutoCloseable {
        static Pair open(IsthmusSelectorProvider p) throws IOException {
            ServerSocketChannel server = p.openServerSocketChannel();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel c = p.openSocketChannel();
            c.connect(server.getLocalAddress());
            SocketChannel a = server.accept();
            c.configureBlocking(false);
            a.configureBlocking(false);
            return new Pair(server, c, a);
        }

        @Override
        public void close() throws IOException {
            try (server; c; a) {
                // closes all three, whatever throws
            }
        }
    }

    @Test
    void directBufferReadWriteAndReselectionAllocateNothingPerCall() throws IOException {
        IsthmusSelectorProvider p = new IsthmusSelectorProvider();
        try (Pair pair = Pair.open(p); var sel = p.openSelector()) {
            SocketChannel c = pair.c();
            SocketChannel a = pair.a();
            SelectionKey k = a.register(sel, SelectionKey.OP_WRITE);
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            round(c, a, sel, out, in, WARMUP);
            long before = allocated();
            round(c, a, sel, out, in, MEASURED);
            long perRound = (allocated() - before) / MEASURED;
            assertTrue(k.isValid());
            // a round is a write, a read and a selectNow; a few bytes of slack for the counter itself
            assertTrue(perRound < 8, "allocated " + perRound + " bytes per write+read+selectNow");
        }
    }

    /**
     * Heap buffers go through the thread's bounce buffer; the copy must not allocate either. Jetty writes its replies
     * from read-only heap buffers: {@code MemorySegment.ofBuffer} on them cost ~150 B per request before.
     */
    @Test
    void heapBufferReadWriteScatterAndGatherAllocateNothingPerCall() throws IOException {
        try (Pair pair = Pair.open(new IsthmusSelectorProvider())) {
            SocketChannel c = pair.c();
            SocketChannel a = pair.a();
            byte[] reply = new byte[48];
            for (int i = 0; i < reply.length; i++) {
                reply[i] = (byte) i;
            }
            ByteBuffer readOnly = ByteBuffer.wrap(reply).asReadOnlyBuffer();
            ByteBuffer[] gather = {ByteBuffer.allocate(16), readOnly};
            ByteBuffer in = ByteBuffer.allocate(64);
            ByteBuffer[] scatter = {ByteBuffer.allocate(40), ByteBuffer.allocate(24)};
            heapRound(c, a, gather, in, scatter, WARMUP);
            // the bytes arrive intact: the read-only part lands at 16.. of the first read
            for (int i = 0; i < reply.length; i++) {
                assertEquals(reply[i], in.get(16 + i));
            }
            long before = allocated();
            heapRound(c, a, gather, in, scatter, MEASURED);
            long perRound = (allocated() - before) / MEASURED;
            assertTrue(perRound < 8, "allocated " + perRound + " bytes per round of heap write, gather, read, scatter");
        }
    }

    private static void heapRound(SocketChannel c, SocketChannel a, ByteBuffer[] gather, ByteBuffer in,
                                  ByteBuffer[] scatter, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            gather[0].clear();
            gather[1].clear();
            assertEquals(64, c.write(gather));
            in.clear();
            int got = 0;
            while (got < 64) {
                got += a.read(in);
            }
            gather[1].clear();
            assertEquals(48, c.write(gather[1]));
            gather[0].clear();
            assertEquals(16, c.write(gather[0]));
            scatter[0].clear();
            scatter[1].clear();
            long both = 0;
            while (both < 64) {
                both += a.read(scatter);
            }
        }
    }

    private static void round(SocketChannel c, SocketChannel a, java.nio.channels.Selector sel, ByteBuffer out,
                              ByteBuffer in, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            out.clear();
            assertEquals(64, c.write(out));
            in.clear();
            int got = 0;
            while (got < 64) {
                got += a.read(in);
            }
            sel.selectNow(); // the key is already selected and stays writable: nothing new to add
        }
    }
}
